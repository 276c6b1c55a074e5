/**
 * cty types as Terraform encodes them in schemas: JSON such as "string",
 * ["set","string"] or ["object",{"name":"string"}].
 */
export type CtyPrimitive = 'string' | 'number' | 'bool';
export type CtyType =
  | CtyPrimitive
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', { readonly [attribute: string]: CtyType }];

// Each constructor keeps its exact type, so a schema's state type can be derived from it (framework/schema.ts StateOf).
export const listOf = <const T extends CtyType>(element: T): readonly ['list', T] => ['list', element] as const;
export const setOf = <const T extends CtyType>(element: T): readonly ['set', T] => ['set', element] as const;
export const mapOf = <const T extends CtyType>(element: T): readonly ['map', T] => ['map', element] as const;
export const objectOf = <const T extends { readonly [attribute: string]: CtyType }>(attributes: T): readonly ['object', T] => ['object', attributes] as const;

/** The type as the JSON bytes that Schema.Attribute.type carries. */
export const typeToJsonBytes = (type: CtyType): Buffer => Buffer.from(JSON.stringify(type), 'utf8');

export function describeType(type: CtyType): string {
  if (typeof type === 'string') return type;
  if (type[0] === 'object') return 'object';
  return `${type[0]} of ${describeType(type[1])}`;
}
