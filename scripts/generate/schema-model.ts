import type { CtyType } from '../../src/provider/cty/types';
import { isComputedOnly, isConfigurable, type AttributeSchema, type NestedBlockSchema, type Schema } from '../../src/provider/framework/schema';

/**
 * The provider schema as the generators see it: names in every case they
 * need, in schema order (the order the provider declares, so output is
 * deterministic and reads the way the schema does).
 */
export interface ModelAttribute {
  /** Terraform name, snake_case. */
  readonly name: string;
  /** Property or getter name, camelCase. */
  readonly property: string;
  readonly schema: AttributeSchema;
  /** The strings a `oneOf` validator admits, when it has one. */
  readonly allowed?: readonly string[];
}

export interface ModelBlock {
  /** Block type, e.g. `openai_connection`. */
  readonly type: string;
  /** `OpenaiConnection`. */
  readonly pascal: string;
  readonly property: string;
  readonly schema: NestedBlockSchema;
  readonly attributes: readonly ModelAttribute[];
}

export type SchemaKind = 'resource' | 'data-source' | 'provider';

export interface ModelSchema {
  readonly kind: SchemaKind;
  /** Terraform type name, e.g. `apikeys_openai_admin_key` (the provider's own name for the provider). */
  readonly typeName: string;
  /** The type name without the provider prefix, e.g. `openai_admin_key`: docs page and binding file names. */
  readonly shortName: string;
  readonly className: string;
  readonly description: string;
  readonly arguments: readonly ModelAttribute[];
  readonly computed: readonly ModelAttribute[];
  readonly blocks: readonly ModelBlock[];
}

export interface ProviderModel {
  readonly name: string;
  readonly provider: ModelSchema;
  readonly resources: readonly ModelSchema[];
  readonly dataSources: readonly ModelSchema[];
}

export const camelCase = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
export const pascalCase = (snake: string): string => camelCase(snake).replace(/^[a-z]/, (letter) => letter.toUpperCase());
export const kebabCase = (snake: string): string => snake.replace(/_/g, '-');

function allowedValues(schema: AttributeSchema): readonly string[] | undefined {
  for (const validator of schema.validators ?? []) {
    const allowed = (validator as { allowed?: unknown }).allowed;
    if (Array.isArray(allowed)) return allowed as string[];
  }
  return undefined;
}

const attributesOf = (attributes: { readonly [name: string]: AttributeSchema }): ModelAttribute[] =>
  Object.entries(attributes).map(([name, schema]) => ({ name, property: camelCase(name), schema, allowed: allowedValues(schema) }));

function modelOf(kind: SchemaKind, typeName: string, shortName: string, className: string, schema: Schema): ModelSchema {
  const attributes = attributesOf(schema.attributes);
  return {
    kind, typeName, shortName, className,
    description: schema.description,
    arguments: attributes.filter((attribute) => isConfigurable(attribute.schema)),
    computed: attributes.filter((attribute) => isComputedOnly(attribute.schema)),
    blocks: Object.entries(schema.blocks ?? {}).map(([type, block]) => ({
      type, pascal: pascalCase(type), property: camelCase(type), schema: block, attributes: attributesOf(block.attributes),
    })),
  };
}

/** What the generators read of a provider definition (src/provider/provider.ts's `apiKeysProvider`). */
export interface SchemaSource {
  readonly typeName: string;
  readonly schema: Schema;
  readonly resources: readonly { readonly typeName: string; readonly schema: Schema }[];
  readonly dataSources: readonly { readonly typeName: string; readonly schema: Schema }[];
}

export function providerModel(provider: SchemaSource): ProviderModel {
  const prefix = `${provider.typeName}_`;
  const shortName = (typeName: string): string => {
    if (!typeName.startsWith(prefix)) throw new Error(`${typeName} does not start with the provider's prefix ${prefix}`);
    return typeName.slice(prefix.length);
  };
  const model: ProviderModel = {
    name: provider.typeName,
    provider: modelOf('provider', provider.typeName, provider.typeName, `${pascalCase(provider.typeName)}Provider`, provider.schema),
    // cdktf's names: a resource class is its type without the provider prefix, a data source class `Data` + its whole type.
    resources: provider.resources.map((resource) =>
      modelOf('resource', resource.typeName, shortName(resource.typeName), pascalCase(shortName(resource.typeName)), resource.schema)),
    dataSources: provider.dataSources.map((dataSource) =>
      modelOf('data-source', dataSource.typeName, shortName(dataSource.typeName), `Data${pascalCase(dataSource.typeName)}`, dataSource.schema)),
  };
  for (const schema of [...model.resources, ...model.dataSources]) {
    if (schema.blocks.length > 0) throw new Error(`${schema.typeName} has nested blocks; the generator supports them on the provider only (extend scripts/generate).`);
  }
  return model;
}

/**
 * Names Terraform reads as meta-arguments or meta-blocks of a resource
 * (`connection` and `provisioner` are provisioners' blocks). In native HCL a
 * provider attribute of such a name may still be set, but in the JSON syntax
 * (what cdktf synthesizes) Terraform decodes the key as the meta-argument:
 * `"connection": "acme"` fails with "Either a JSON object or a JSON array is
 * required, representing the contents of one or more "connection" blocks".
 */
const RESOURCE_META_NAMES = ['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'connection', 'provisioner'];
const DATA_SOURCE_META_NAMES = ['count', 'for_each', 'depends_on', 'provider', 'lifecycle'];

/** Arguments that no JSON configuration (so no cdktf stack) can set, as sentences naming them. */
export function reservedNameProblems(model: ProviderModel): string[] {
  const problems = (schemas: readonly ModelSchema[], reserved: readonly string[], what: string): string[] =>
    schemas.flatMap((schema) => schema.arguments.filter((attribute) => reserved.includes(attribute.name)).map((attribute) =>
      `${schema.typeName}.${attribute.name}: Terraform reads "${attribute.name}" in a ${what} as its own meta-argument, so JSON configurations ` +
      '(cdktf synthesizes JSON) cannot set it; rename the attribute in the provider schema.'));
  return [...problems(model.resources, RESOURCE_META_NAMES, 'resource block'), ...problems(model.dataSources, DATA_SOURCE_META_NAMES, 'data block')];
}

/** Terraform's names for a type, as the docs write them: `String`, `Set of String`, `List of Object`. */
export function typeLabel(type: CtyType): string {
  if (type === 'string') return 'String';
  if (type === 'number') return 'Number';
  if (type === 'bool') return 'Bool';
  if (type[0] === 'object') return 'Object';
  return `${pascalCase(type[0])} of ${typeLabel(type[1])}`;
}
