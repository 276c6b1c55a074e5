import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { parseManifest } from '../../../lib/manifest/loader';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchemaText } from '../../../lib/manifest/json-schema';

const ROOT = join(__dirname, '../../..');
const EXAMPLE = join(ROOT, 'examples', 'apikeys.yaml');
type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON Schema documents, read loosely

/** A real JSON-Schema validator (draft 2020-12), as editors use one. */
const ajv = new Ajv2020({ allErrors: true, strict: false });
function schemaErrors(schema: Schema, value: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '$'}: ${error.message}`);
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
