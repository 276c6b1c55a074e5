import { VENDOR_FACTS } from '../../src/facts';
import { oneOf } from '../../src/rules';
import type { AttributeSchema, NestedBlockSchema } from '../../src/provider/framework/schema';
import type { SchemaSource } from './schema-model';

/**
 * TEMPORARY, until the provider schema declares its `<vendor>_connection`
 * blocks (branch wt-provider): the blocks of the target design, built from
 * the vendor facts, so the bindings' block API exists before the schema has
 * them. Ignored as soon as the schema has blocks of its own; then delete
 * this file and its use in ./index.ts.
 */
function connectionBlock(facts: (typeof VENDOR_FACTS)[number]): NestedBlockSchema {
  const attributes: Record<string, AttributeSchema> = {};
  for (const [name, credential] of Object.entries(facts.credentials)) {
    attributes[`${name}_env`] = {
      type: 'string', optional: true,
      description: `Name of the environment variable that holds the ${credential.label}. Default \`${credential.defaultEnv}\`.`,
    };
    attributes[name] = { type: 'string', optional: true, sensitive: true, description: `The ${credential.label} itself. Prefer \`${name}_env\`.` };
  }
  attributes.base_url = {
    type: 'string', optional: true,
    description: `${facts.label} API base URL. Default: the provider's \`${facts.vendor}_base_url\`, else \`${facts.baseUrlEnv}\`, else \`${facts.defaultBaseUrl}\`.`,
  };
  const apiVersions = (facts as { apiVersions?: readonly string[] }).apiVersions;
  if (apiVersions) attributes.api_version = { type: 'string', optional: true, validators: [oneOf(apiVersions)], description: `${facts.label} API version.` };
  return { nesting: 'map', description: `A named connection to one ${facts.label} organization; resources choose it with \`connection\`.`, attributes };
}

export function withPendingConnectionBlocks(source: SchemaSource): SchemaSource {
  if (source.schema.blocks) return source;
  const blocks = Object.fromEntries(VENDOR_FACTS.map((facts) => [`${facts.vendor}_connection`, connectionBlock(facts)]));
  return { ...source, schema: { ...source.schema, blocks } };
}
