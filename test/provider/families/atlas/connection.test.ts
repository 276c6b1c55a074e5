import { ConfigurationError, UnknownConnectionError } from '../../../../src/core/errors';
import { ATLAS } from '../../../../src/core/facts/atlas';
import { ConnectionSettings, connectionTo } from '../../../../src/provider/connections/connection';
import { atlasConnection, atlasApiVersion, atlasBaseUrl, resolveAtlasCredentials as resolveFor } from '../../../../src/provider/families/atlas/connection';
import { ProviderContext } from '../../../../src/provider/context';
import { UNKNOWN, type CtyObject } from '../../../../src/provider/cty/value';

/** The clients of an Atlas connection of `context`. */
const atlas = (context: ProviderContext, label: string | null) => connectionTo(context, atlasConnection, label).clients;

/** The default connection of a provider block (its flat atlas_* attributes). */
const flat = (config: CtyObject) => ConnectionSettings.defaultOf(ATLAS, config);
const resolveAtlasCredentials = (config: CtyObject, env: NodeJS.ProcessEnv) => resolveFor(flat(config), env);

const PUBLIC = 'abcdefgh';
const PRIVATE = '12345678-1234-1234-1234-123456789abc';
const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';
const CLIENT_SECRET = 'mdb_sa_sk_0123456789abcdef0123456789abcdef01234567';

function failure(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('resolveAtlasCredentials', () => {
  test('a programmatic API key from the default environment variables', () => {
    expect(resolveAtlasCredentials({}, { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE })).toMatchObject({
      kind: 'api-key', publicKey: PUBLIC, privateKey: PRIVATE,
    });
  });

  test('a service account wins when both pairs are set', () => {
    const env = { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE, MONGODB_ATLAS_CLIENT_ID: CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET };
    expect(resolveAtlasCredentials({}, env)).toMatchObject({ kind: 'service-account', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });

  test('the *_env attributes choose other variables; provider attributes beat the environment', () => {
    const config = { atlas_client_id_env: 'ACME_ATLAS_CLIENT_ID', atlas_client_secret_env: 'ACME_ATLAS_CLIENT_SECRET' };
    const resolved = resolveAtlasCredentials(config, { ACME_ATLAS_CLIENT_ID: CLIENT_ID, ACME_ATLAS_CLIENT_SECRET: CLIENT_SECRET, MONGODB_ATLAS_CLIENT_ID: 'ignored' });
    expect(resolved).toMatchObject({ kind: 'service-account', clientId: CLIENT_ID });
    expect(resolved.source).toContain('environment variable ACME_ATLAS_CLIENT_ID');
    expect(resolveAtlasCredentials({ atlas_public_key: PUBLIC, atlas_private_key: PRIVATE }, { MONGODB_ATLAS_PUBLIC_KEY: 'other' }))
      .toMatchObject({ kind: 'api-key', publicKey: PUBLIC, source: 'provider attribute atlas_public_key, and provider attribute atlas_private_key' });
  });

  test('a pair the provider block names wins over the other pair found only in the default variables', () => {
    const config = { atlas_public_key_env: 'ACME_ATLAS_PUBLIC_KEY', atlas_private_key_env: 'ACME_ATLAS_PRIVATE_KEY' };
    const env = { ACME_ATLAS_PUBLIC_KEY: PUBLIC, ACME_ATLAS_PRIVATE_KEY: PRIVATE, MONGODB_ATLAS_CLIENT_ID: CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET };
    expect(resolveAtlasCredentials(config, env)).toMatchObject({ kind: 'api-key', publicKey: PUBLIC });
    // And the named pair must be complete: the default service account does not stand in for it.
    const error = failure(() => resolveAtlasCredentials(config, { ACME_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_CLIENT_ID: CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET }));
    expect(error.attribute).toBe('atlas_private_key');
  });

  test('nothing set: an error naming both ways and every variable', () => {
    const error = failure(() => resolveAtlasCredentials({}, {}));
    expect(error.message).toBe('no MongoDB Atlas credentials are configured');
    expect(error.attribute).toBe('atlas_client_id');
    for (const name of ['MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET', 'MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PRIVATE_KEY']) {
      expect(error.hint).toContain(name);
    }
    expect(error.hint).toContain('Nothing was sent to the vendor.');
  });

  test.each([
    ['public key only', { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC }, 'atlas_private_key', 'programmatic API key (private key) is missing'],
    ['private key only', { MONGODB_ATLAS_PRIVATE_KEY: PRIVATE }, 'atlas_public_key', 'programmatic API key (public key) is missing'],
    ['client id only', { MONGODB_ATLAS_CLIENT_ID: CLIENT_ID }, 'atlas_client_secret', 'service account client secret is missing'],
    ['client secret only, with a whole key pair', { MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET, MONGODB_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE }, 'atlas_client_id', 'service account client id is missing'],
  ])('half a pair is an error, even when the other pair is complete: %s', (_label, env, attribute, message) => {
    const error = failure(() => resolveAtlasCredentials({}, env));
    expect(error.attribute).toBe(attribute);
    expect(error.message).toContain(message);
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toMatch(new RegExp([PRIVATE, CLIENT_SECRET].join('|')));
  });

  test('a credential not known until apply counts as missing, and says so', () => {
    const error = failure(() => resolveAtlasCredentials({ atlas_private_key: UNKNOWN }, { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC }));
    expect(error.hint).toContain('provider attribute atlas_private_key (not known until apply)');
  });
});

describe('provider settings', () => {
  test('base URL: attribute, then MONGODB_ATLAS_BASE_URL, then cloud.mongodb.com; version v2 unless v1.0', () => {
    const allowed = { APIKEYS_ALLOWED_HOSTS: '127.0.0.1,x' };
    expect(atlasBaseUrl(flat({ atlas_base_url: 'http://127.0.0.1:1/atlas' }), { ...allowed, MONGODB_ATLAS_BASE_URL: 'https://x' })).toBe('http://127.0.0.1:1/atlas');
    expect(atlasBaseUrl(flat({}), { ...allowed, MONGODB_ATLAS_BASE_URL: 'https://x' })).toBe('https://x');
    expect(atlasBaseUrl(flat({}), {})).toBe('https://cloud.mongodb.com');
    expect(atlasApiVersion(flat({}))).toBe('v2');
    expect(atlasApiVersion(flat({ atlas_api_version: 'v1.0' }))).toBe('v1.0');
  });

  test('atlas(context) builds once per process and shares one inventory per organization', () => {
    const context = new ProviderContext({}, { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE });
    const connection = atlas(context, null);
    expect(atlas(context, null)).toBe(connection);
    expect(connection.inventory('5980cfc70b6d97029d82e3f6')).toBe(connection.inventory('5980cfc70b6d97029d82e3f6'));
    expect(connection.inventory('5980cfc70b6d97029d82e3f6')).not.toBe(connection.inventory('5980cfc70b6d97029d82e3f7'));
    expect(connection.inventory('5980cfc70b6d97029d82e3f6').listingCount).toBe(0); // nothing is sent until a read
  });
});

describe('named connections (atlas_connection "label")', () => {
  const config = (blocks: Record<string, CtyObject>, flatSettings: CtyObject = {}): CtyObject => ({ ...flatSettings, atlas_connection: blocks });

  test('a block\'s settings drop the vendor prefix; messages name the setting with its block', () => {
    const settings = ConnectionSettings.named(ATLAS, config({ acme: { public_key_env: 'ACME_ATLAS_PUBLIC_KEY', private_key_env: 'ACME_ATLAS_PRIVATE_KEY' } }), 'acme')!;
    expect(resolveFor(settings, { ACME_ATLAS_PUBLIC_KEY: PUBLIC, ACME_ATLAS_PRIVATE_KEY: PRIVATE })).toMatchObject({ kind: 'api-key', publicKey: PUBLIC });
    const error = failure(() => resolveFor(settings, { ACME_ATLAS_PUBLIC_KEY: PUBLIC }));
    expect(error.attribute).toBe('private_key in atlas_connection "acme"');
    expect(error.hint).toContain('environment variable ACME_ATLAS_PRIVATE_KEY');
  });

  test('base_url and api_version fall back to the provider\'s flat attributes, then the environment', () => {
    const allowed = { APIKEYS_ALLOWED_HOSTS: '127.0.0.1' };
    const inherits = config({ acme: {} }, { atlas_base_url: 'http://127.0.0.1:1', atlas_api_version: 'v1.0' });
    const acme = ConnectionSettings.named(ATLAS, inherits, 'acme')!;
    expect(atlasBaseUrl(acme, allowed)).toBe('http://127.0.0.1:1');
    expect(atlasApiVersion(acme)).toBe('v1.0');
    const own = ConnectionSettings.named(ATLAS, config({ acme: { base_url: 'http://127.0.0.1:2', api_version: 'v2' } }, { atlas_base_url: 'http://127.0.0.1:1', atlas_api_version: 'v1.0' }), 'acme')!;
    expect(atlasBaseUrl(own, allowed)).toBe('http://127.0.0.1:2');
    expect(atlasApiVersion(own)).toBe('v2');
    const bare = ConnectionSettings.named(ATLAS, config({ acme: {} }), 'acme')!;
    expect(atlasBaseUrl(bare, { ...allowed, MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:3' })).toBe('http://127.0.0.1:3');
  });

  test('clients are built once per label, each with its own inventories', () => {
    const env = { ACME_ATLAS_PUBLIC_KEY: PUBLIC, ACME_ATLAS_PRIVATE_KEY: PRIVATE, MONGODB_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE };
    const context = new ProviderContext(config({ acme: { public_key_env: 'ACME_ATLAS_PUBLIC_KEY', private_key_env: 'ACME_ATLAS_PRIVATE_KEY' } }), env);
    const acme = atlas(context, 'acme');
    expect(atlas(context, 'acme')).toBe(acme);
    expect(atlas(context, null)).not.toBe(acme);
    expect(acme.inventory('5980cfc70b6d97029d82e3f6')).not.toBe(atlas(context, null).inventory('5980cfc70b6d97029d82e3f6'));
  });

  test('an unknown label is an UnknownConnectionError on `connection_name` that lists the labels and suggests the closest', () => {
    const context = new ProviderContext(config({ acme: {}, globex: {} }), {});
    let caught: unknown;
    try {
      atlas(context, 'acmee');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownConnectionError);
    const error = caught as UnknownConnectionError;
    expect(error.attributePath).toEqual(['connection_name']);
    expect(error.message).toBe('the apikeys provider block has no atlas_connection "acmee"');
    expect(error.hint).toContain('Configured atlas_connection labels: "acme", "globex". Did you mean "acme"?');
  });
});
