/**
 * The operator's credential policy as the provider enforces it: in the
 * provider's validation (names the attribute, never throws) and in each
 * vendor connection (a ConfigurationError before any client exists, so
 * before any request).
 */
import { encode } from '@msgpack/msgpack';
import { ConfigurationError } from '../../../src/core/errors';
import { checkConnectionSettings } from '../../../src/provider/connections/policy-check';
import { atlasConnection } from '../../../src/provider/families/atlas/connection';
import { connectionTo } from '../../../src/provider/connections/connection';
import { edgeImpulseConnection } from '../../../src/provider/families/edgeimpulse/connection';
import { openAiConnection } from '../../../src/provider/families/openai/connection';
import { ProviderContext } from '../../../src/provider/context';
import type { CtyObject } from '../../../src/provider/cty/value';
import { Diagnostics } from '../../../src/provider/framework/diagnostics';
import { ProviderServer } from '../../../src/provider/framework/provider-server';
import { apiKeysProvider, PROVIDER_FAMILIES } from '../../../src/provider/provider';

/** Each vendor's default connection (the flat attributes). */
const openAi = (context: ProviderContext) => connectionTo(context, openAiConnection, null);
const edgeImpulse = (context: ProviderContext) => connectionTo(context, edgeImpulseConnection, null);
const atlas = (context: ProviderContext) => connectionTo(context, atlasConnection, null);

const OPENAI_KEY = `sk-admin-${'a'.repeat(40)}`;
const EI_KEY = `ei_${'b'.repeat(40)}`;
const ATLAS_PUBLIC = 'abcdefgh';
const ATLAS_PRIVATE = '12345678-1234-1234-1234-123456789abc';
const CREDENTIALS = { OPENAI_ADMIN_KEY: OPENAI_KEY, EI_API_KEY: EI_KEY, MONGODB_ATLAS_PUBLIC_KEY: ATLAS_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ATLAS_PRIVATE };
const LOCAL = { APIKEYS_ALLOWED_HOSTS: '127.0.0.1:4010' };

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

const connections = {
  openai: (context: ProviderContext) => openAi(context),
  edgeimpulse: (context: ProviderContext) => edgeImpulse(context),
  atlas: (context: ProviderContext) => atlas(context),
};
const ATTRIBUTES = { openai: 'openai_base_url', edgeimpulse: 'edgeimpulse_base_url', atlas: 'atlas_base_url' } as const;
const ENV_NAMES = { openai: 'OPENAI_BASE_URL', edgeimpulse: 'EDGEIMPULSE_BASE_URL', atlas: 'MONGODB_ATLAS_BASE_URL' } as const;

describe.each(Object.keys(connections) as (keyof typeof connections)[])('the %s connection', (vendor) => {
  const connect = connections[vendor];
  const attribute = ATTRIBUTES[vendor];

  test('refuses a provider-block base URL the operator has not allowed, naming the attribute', () => {
    const context = new ProviderContext({ [attribute]: 'http://127.0.0.1:4011/v1' }, { ...CREDENTIALS, ...LOCAL });
    const error = configurationError(() => connect(context));
    expect(error.attribute).toBe(attribute);
    expect(error.message).toContain(`${attribute} points at 127.0.0.1:4011, which the operator has not allowed`);
    expect(error.hint).toContain('Nothing was sent to the vendor');
  });

  test('refuses the same URL from the environment variable, saying where it came from', () => {
    const context = new ProviderContext({}, { ...CREDENTIALS, ...LOCAL, [ENV_NAMES[vendor]]: 'https://collector.example/v1' });
    const error = configurationError(() => connect(context));
    expect(error.attribute).toBe(attribute);
    expect(error.message).toContain(`the environment variable ${ENV_NAMES[vendor]} (used because ${attribute} is unset) points at collector.example`);
  });

  test('refuses a bad URL even when no credential is set (the destination is checked first)', () => {
    const error = configurationError(() => connect(new ProviderContext({ [attribute]: 'http://256.1.1.1/v1' }, {})));
    expect(error.attribute).toBe(attribute);
    expect(error.message).toMatch(/must be an absolute http\(s\) URL/);
  });

  test('an empty base URL is an error, not a silent fallback', () => {
    expect(configurationError(() => connect(new ProviderContext({ [attribute]: '' }, CREDENTIALS))).message).toContain('must not be empty');
  });

  test('accepts an allowed host, and the vendor\'s default with no allow-list at all', () => {
    expect(() => connect(new ProviderContext({ [attribute]: 'http://127.0.0.1:4010/v1' }, { ...CREDENTIALS, ...LOCAL }))).not.toThrow();
    expect(() => connect(new ProviderContext({}, CREDENTIALS))).not.toThrow();
  });
});

describe('credential variables', () => {
  test.each([
    ['openai_admin_key_env', 'GITHUB_TOKEN', openAi],
    ['edgeimpulse_api_key_env', 'AWS_SECRET_ACCESS_KEY', edgeImpulse],
    ['atlas_private_key_env', 'PATH', atlas],
  ] as const)('%s = %s is refused before anything is read', (envAttribute, name, connect) => {
    const context = new ProviderContext({ [envAttribute]: name }, { ...CREDENTIALS, [name]: 'the-secret-value-of-another-tool' });
    const error = configurationError(() => connect(context));
    expect(error.attribute).toBe(envAttribute);
    expect(error.message).toContain(`names ${name}, but`);
    expect(`${error.message} ${error.hint}`).not.toContain('the-secret-value-of-another-tool');
  });

  test('a default variable that the operator\'s allow-list leaves out is not read', () => {
    const env = { ...CREDENTIALS, APIKEYS_CREDENTIAL_ENV_ALLOWLIST: 'CI_*' };
    const error = configurationError(() => openAi(new ProviderContext({}, env)));
    expect(error.attribute).toBe('openai_admin_key');
    expect(error.hint).toContain('the default OPENAI_ADMIN_KEY is not in it');
    expect(() => openAi(new ProviderContext({ openai_admin_key_env: 'CI_OPENAI' }, { ...env, CI_OPENAI: OPENAI_KEY }))).not.toThrow();
  });
});

describe('Atlas: the OAuth token URL comes from the base URL and passes the same check', () => {
  test('a service account against an unlisted host fails on atlas_base_url before any token request', () => {
    const env = { ACME_ATLAS_CLIENT_ID: 'mdb_sa_id_x', ACME_ATLAS_CLIENT_SECRET: `mdb_sa_sk_${'c'.repeat(30)}`, ...LOCAL };
    const config = { atlas_base_url: 'https://token-thief.example', atlas_client_id_env: 'ACME_ATLAS_CLIENT_ID', atlas_client_secret_env: 'ACME_ATLAS_CLIENT_SECRET' };
    const error = configurationError(() => atlas(new ProviderContext(config, env)));
    expect(error.attribute).toBe('atlas_base_url');
  });
});

describe('checkConnectionSettings (ValidateProviderConfig)', () => {
  const check = (config: CtyObject, env: NodeJS.ProcessEnv = LOCAL) => {
    const diagnostics = new Diagnostics();
    checkConnectionSettings(config, diagnostics, env, PROVIDER_FAMILIES.map((family) => family.connection));
    return diagnostics.items;
  };

  test('one error per refused attribute, each with its path', () => {
    const items = check({
      openai_base_url: 'http://256.1.1.1/v1', edgeimpulse_base_url: 'javascript:alert(1)', atlas_base_url: 'https://u:p@127.0.0.1:4010',
      openai_admin_key_env: 'GITHUB_TOKEN', atlas_client_id_env: 'ACME_ATLAS_CLIENT_ID',
    });
    expect(items.map((item) => [item.summary, item.path])).toEqual([
      ['Invalid openai_base_url', ['openai_base_url']],
      ['Invalid openai_admin_key_env', ['openai_admin_key_env']],
      ['Invalid edgeimpulse_base_url', ['edgeimpulse_base_url']],
      ['Invalid atlas_base_url', ['atlas_base_url']],
    ]);
    expect(items.every((item) => item.severity === 'error')).toBe(true);
  });

  test('a pasted key is named by attribute, without a path (Terraform would print the line) and without the value', () => {
    const [item, ...rest] = check({ openai_admin_key_env: OPENAI_KEY });
    expect(rest).toEqual([]);
    expect(item.summary).toBe('Invalid openai_admin_key_env');
    expect(item.path).toBeUndefined();
    expect(item.detail).not.toContain(OPENAI_KEY);
  });

  test('every named connection is checked too, each error with its block path', () => {
    const items = check({
      openai_connection: { acme: { admin_key_env: 'GITHUB_TOKEN', base_url: null }, ok: { admin_key_env: 'OK_OPENAI_ADMIN_KEY', base_url: 'http://127.0.0.1:4010/v1' } },
      atlas_connection: { globex: { base_url: 'https://collector.example', client_secret_env: 'AWS_SECRET_ACCESS_KEY' } },
      edgeimpulse_connection: { 'bad label': {} },
    });
    expect(items.map((item) => [item.summary, item.path])).toEqual([
      ['Invalid admin_key_env in openai_connection "acme"', ['openai_connection', { key: 'acme' }, 'admin_key_env']],
      ['Invalid edgeimpulse_connection label', ['edgeimpulse_connection', { key: 'bad label' }]],
      ['Invalid base_url in atlas_connection "globex"', ['atlas_connection', { key: 'globex' }, 'base_url']],
      ['Invalid client_secret_env in atlas_connection "globex"', ['atlas_connection', { key: 'globex' }, 'client_secret_env']],
    ]);
    expect(items[0].detail).toContain('admin_key_env in openai_connection "acme" names GITHUB_TOKEN, but');
  });

  test('values from the environment are left to first use, so unrelated variables do not fail validation', () => {
    expect(check({}, { OPENAI_BASE_URL: 'https://elsewhere.example' })).toEqual([]);
  });
});

describe('ProviderServer never turns a bad value into a gRPC error', () => {
  const server = new ProviderServer(apiKeysProvider);
  const attributes = Object.keys(apiKeysProvider.schema.attributes);
  const blocks = Object.keys(apiKeysProvider.schema.blocks ?? {});
  const rawConfig = (values: Record<string, unknown>) => ({
    msgpack: encode({ ...Object.fromEntries(attributes.map((name) => [name, values[name] ?? null])), ...Object.fromEntries(blocks.map((name) => [name, values[name] ?? {}])) }),
  });

  test.each([
    ['a number beyond float64', { request_timeout_seconds: '1e400' }, 'request_timeout_seconds'],
    ['a string where a number belongs', { max_retries: 'many' }, 'max_retries'],
    ['an impossible IPv4 address', { openai_base_url: 'http://256.1.1.1/v1' }, 'openai_base_url'],
    ['a fraction of a second', { request_timeout_seconds: 0.5 }, 'request_timeout_seconds'],
    ['too many retries', { max_retries: 11 }, 'max_retries'],
  ])('validate: %s', (_label, values, attribute) => {
    const response = server.validateProviderConfig({ config: rawConfig(values) }) as { diagnostics: { summary: string; attribute?: { steps: { attribute_name: string }[] } }[] };
    expect(response.diagnostics).toHaveLength(1);
    expect(response.diagnostics[0].summary).toBe(`Invalid ${attribute}`);
    expect(response.diagnostics[0].attribute?.steps[0].attribute_name).toBe(attribute);
  });

  test('configure: a number validation could not see is still refused, with its attribute', () => {
    const response = server.configureProvider({ config: rawConfig({ request_timeout_seconds: 1e308 }) }) as { diagnostics: { detail: string; attribute?: { steps: { attribute_name: string }[] } }[] };
    expect(response.diagnostics[0].attribute?.steps[0].attribute_name).toBe('request_timeout_seconds');
    expect(response.diagnostics[0].detail).toContain('must be a whole number from 1 to 600 seconds');
  });
});
