import { ConfigurationError } from '../../../src/errors';
import { atlas, atlasApiVersion, atlasBaseUrl, resolveAtlasCredentials } from '../../../src/provider/connections/atlas';
import { ProviderContext } from '../../../src/provider/context';
import { UNKNOWN } from '../../../src/provider/cty/value';

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
    expect(atlasBaseUrl({ atlas_base_url: 'http://127.0.0.1:1/atlas' }, { ...allowed, MONGODB_ATLAS_BASE_URL: 'https://x' })).toBe('http://127.0.0.1:1/atlas');
    expect(atlasBaseUrl({}, { ...allowed, MONGODB_ATLAS_BASE_URL: 'https://x' })).toBe('https://x');
    expect(atlasBaseUrl({}, {})).toBe('https://cloud.mongodb.com');
    expect(atlasApiVersion({})).toBe('v2');
    expect(atlasApiVersion({ atlas_api_version: 'v1.0' })).toBe('v1.0');
  });

  test('atlas(context) builds once per process and shares one inventory per organization', () => {
    const context = new ProviderContext({}, { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE });
    const connection = atlas(context);
    expect(atlas(context)).toBe(connection);
    expect(connection.inventory('5980cfc70b6d97029d82e3f6')).toBe(connection.inventory('5980cfc70b6d97029d82e3f6'));
    expect(connection.inventory('5980cfc70b6d97029d82e3f6')).not.toBe(connection.inventory('5980cfc70b6d97029d82e3f7'));
    expect(connection.inventory('5980cfc70b6d97029d82e3f6').listingCount).toBe(0); // nothing is sent until a read
  });
});
