import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseManifest } from '../../../lib/manifest/loader';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchemaText } from '../../../lib/manifest/json-schema';

const ROOT = join(__dirname, '../../..');
const EXAMPLE = join(ROOT, 'examples', 'apikeys.yaml');
type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The JSON Schema keywords the generated schema uses, checked the way a JSON-Schema validator would.
 * No validator is installed and none is worth a dependency for one test; an unknown keyword fails
 * loudly, so a schema that grows past this subset cannot pass unchecked.
 */
const KNOWN = new Set(['$schema', 'title', 'description', 'type', 'const', 'enum', 'pattern', 'format', 'minimum', 'maximum',
  'minLength', 'maxLength', 'minItems', 'properties', 'required', 'additionalProperties', 'items', 'oneOf', 'default']);
function schemaErrors(schema: Schema, value: unknown, at = '$'): string[] {
  for (const keyword of Object.keys(schema)) if (!KNOWN.has(keyword)) throw new Error(`keyword ${keyword} at ${at} is not checked by this test`);
  if (schema.oneOf) {
    const matching = (schema.oneOf as Schema[]).filter((option) => schemaErrors(option, value, at).length === 0).length;
    return matching === 1 ? [] : [`${at}: matches ${matching} of oneOf`];
  }
  const kind = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (schema.type && !(schema.type === kind || (schema.type === 'number' && kind === 'integer'))) return [`${at}: expected ${schema.type}, got ${kind}`];
  const errors: string[] = [];
  if ('const' in schema && value !== schema.const) errors.push(`${at}: must be ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: not in enum`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (value.length < (schema.minLength ?? 0) || value.length > (schema.maxLength ?? Infinity)) errors.push(`${at}: length`);
  }
  if (typeof value === 'number' && (value < (schema.minimum ?? -Infinity) || value > (schema.maximum ?? Infinity))) errors.push(`${at}: out of range`);
  if (Array.isArray(value)) {
    if (value.length < (schema.minItems ?? 0)) errors.push(`${at}: too few items`);
    value.forEach((item, index) => errors.push(...schemaErrors(schema.items ?? {}, item, `${at}[${index}]`)));
  }
  if (kind === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${at}: ${name} is required`);
    for (const [name, item] of Object.entries(object)) {
      if (schema.properties?.[name]) errors.push(...schemaErrors(schema.properties[name], item, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: ${name} is not allowed`);
    }
  }
  return errors;
}

const committed = (): Schema => JSON.parse(readFileSync(join(ROOT, MANIFEST_JSON_SCHEMA_PATH), 'utf8'));
const loaderAccepts = (text: string): boolean => {
  try {
    parseManifest(text);
    return true;
  } catch {
    return false;
  }
};

const VALID = readFileSync(EXAMPLE, 'utf8');
/** Manifests both the loader and the schema must reject: each breaks one rule the schema can express. */
const INVALID: Record<string, string> = {
  'a misspelt key': VALID.replace('adminKeys:', 'adminKey:'),
  'an unknown vendor': VALID.replace('vendor: openai', 'vendor: stripe'),
  'a string organization id for Edge Impulse': VALID.replace('organizationId: 4242', 'organizationId: "4242"'),
  'a missing Edge Impulse apiKeyEnv': VALID.replace(/\n\s+apiKeyEnv: ACME_EI_API_KEY/, ''),
  'a role that does not exist': VALID.replace('role: member', 'role: viewer'),
  'an invalid environment variable name': VALID.replace('apiKeyEnv: ACME_EI_API_KEY', 'apiKeyEnv: ACME-EI'),
  'an expiry beyond 365 days': VALID.replace('expiresInSeconds: 7776000', 'expiresInSeconds: 99999999'),
  'an empty Atlas role list': VALID.replace('roles: [ORG_READ_ONLY]', 'roles: []'),
  'version 2': VALID.replace('version: 1', 'version: 2'),
};

describe('manifest JSON Schema', () => {
  test(`${MANIFEST_JSON_SCHEMA_PATH} is what lib/manifest/schema.ts generates (run "npm run schema" after changing the manifest schema)`, () => {
    expect(readFileSync(join(ROOT, MANIFEST_JSON_SCHEMA_PATH), 'utf8')).toBe(manifestJsonSchemaText());
  });

  test('the example manifest points editors at the schema and is valid against it', () => {
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(VALID);
    expect(modeline).not.toBeNull();
    expect(resolve(dirname(EXAMPLE), modeline![1])).toBe(join(ROOT, MANIFEST_JSON_SCHEMA_PATH));
    expect(schemaErrors(committed(), parse(VALID))).toEqual([]);
    expect(loaderAccepts(VALID)).toBe(true);
  });

  test('defaulted fields are optional for the writer, required ones are required', () => {
    const [openai, edge] = committed().properties.organizations.items.oneOf as Schema[];
    expect(openai.required).toEqual(['name', 'vendor']);
    expect(edge.required).toEqual(['name', 'vendor', 'organizationId', 'apiKeyEnv']);
    expect(edge.properties.apiKeyEnv.pattern).toBe('^[A-Za-z_][A-Za-z0-9_]*$');
  });

  test.each(Object.entries(INVALID))('the loader and the schema both reject %s', (_, text) => {
    expect(text).not.toBe(VALID);
    expect(loaderAccepts(text)).toBe(false);
    expect(schemaErrors(committed(), parse(text))).not.toEqual([]);
  });
});
