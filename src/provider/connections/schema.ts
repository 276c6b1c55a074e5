import type { AttributeSchema, NestedBlockSchema } from '../framework/schema';
import { baseUrlAttribute } from './base-url';
import { blockName, type VendorConnection } from './connection';
import { credentialAttributes, credentialSpecs } from './credentials';

/**
 * A vendor's connection settings as provider schema: the flat default
 * attributes (`openai_admin_key_env`...) and the labelled block
 * (`openai_connection "acme" { admin_key_env = ... }`) carry the same
 * settings, the flat ones prefixed with the vendor.
 */
function settingsAttributes(connection: VendorConnection<unknown>, prefix: string): Record<string, AttributeSchema> {
  return {
    ...Object.assign({}, ...credentialSpecs(connection.facts).map((spec) => credentialAttributes(spec, prefix))),
    ...baseUrlAttribute(connection.facts, prefix, connection.baseUrlNote),
    ...Object.fromEntries(Object.entries(connection.extraAttributes ?? {}).map(([name, attribute]) => [`${prefix}${name}`, attribute])),
  };
}

/** The vendor's default connection: flat provider attributes. */
export const defaultConnectionAttributes = (connection: VendorConnection<unknown>): Record<string, AttributeSchema> =>
  settingsAttributes(connection, `${connection.facts.vendor}_`);

/** The vendor's labelled connection block, by its type name. */
export function connectionBlock(connection: VendorConnection<unknown>): Record<string, NestedBlockSchema> {
  const { facts } = connection;
  return {
    [blockName(facts)]: {
      nesting: 'map',
      description: `A named ${facts.label} connection: one organization's credentials and base URL. Resources and data sources choose it with ` +
        `\`connection = "<label>"\`; each connection is listed once per run. Unset settings default as for the provider's flat \`${facts.vendor}_*\` attributes.`,
      attributes: settingsAttributes(connection, ''),
    },
  };
}
