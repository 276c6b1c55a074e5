/**
 * Where a connection's credential comes from: the connection's own setting,
 * else the variable its `*_env` setting names (which must pass the operator's
 * policy), else the vendor's default variable (not read when an allowlist
 * leaves it out). Messages name the holder and say where to put a missing
 * credential; none carries a secret.
 */
import { ConfigurationError } from '../../../src/core/errors';
import { ATLAS } from '../../../src/core/facts/atlas';
import { EDGE_IMPULSE } from '../../../src/core/facts/edgeimpulse';
import { OPENAI } from '../../../src/core/facts/openai';
import { ConnectionSettings } from '../../../src/provider/connections/connection';
import {
  baseUrlAndCredential, credentialAttributes, credentialEnvSettingProblem, credentialSpec, credentialSpecs, envSetting, requireCredential, resolveCredential,
} from '../../../src/provider/connections/credentials';
import { UNKNOWN, type CtyObject } from '../../../src/provider/cty/value';

const ADMIN_KEY = credentialSpec(OPENAI, 'admin_key');
const SECRET = `sk-admin-${'s'.repeat(40)}`;
const DEFAULT_SECRET = `sk-admin-${'d'.repeat(40)}`;
const ACME_SECRET = `sk-admin-${'a'.repeat(40)}`;

/** The default OpenAI connection of a provider block with these flat settings. */
const flat = (settings: CtyObject): ConnectionSettings => ConnectionSettings.defaultOf(OPENAI, Object.fromEntries(Object.entries(settings).map(([name, value]) => [`openai_${name}`, value])));
/** The `openai_connection "acme"` block with these settings. */
const acme = (settings: CtyObject): ConnectionSettings => ConnectionSettings.named(OPENAI, { openai_connection: { acme: settings } }, 'acme')!;

/** The ConfigurationError `call` throws. */
function configurationError(call: () => unknown): ConfigurationError {
  try {
    call();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('specs from the vendors\' facts', () => {
  test('every credential of a vendor, with its default variable, policy kind and label', () => {
    expect(credentialSpecs(OPENAI)).toEqual([{ name: 'admin_key', defaultEnv: 'OPENAI_ADMIN_KEY', kind: 'openai_admin_key', label: 'OpenAI organization admin key (sk-admin-...)' }]);
    expect(credentialSpecs(ATLAS).map((spec) => spec.name)).toEqual(['public_key', 'private_key', 'client_id', 'client_secret']);
    expect(credentialSpec(EDGE_IMPULSE, 'api_key').defaultEnv).toBe('EI_API_KEY');
    expect(() => credentialSpec(OPENAI, 'api_key')).toThrow('openai has no credential api_key');
    expect(envSetting(ADMIN_KEY)).toBe('admin_key_env');
  });

  test('attributes: the sensitive secret and its variable\'s name, prefixed for the flat attributes, documented with the policy', () => {
    const attributes = credentialAttributes(ADMIN_KEY, 'openai_');
    expect(Object.keys(attributes)).toEqual(['openai_admin_key', 'openai_admin_key_env']);
    expect(attributes.openai_admin_key).toMatchObject({ type: 'string', optional: true, sensitive: true });
    expect(attributes.openai_admin_key_env.sensitive).toBeUndefined();
    expect(attributes.openai_admin_key_env.description).toContain('must end with `_OPENAI_ADMIN_KEY`');
    expect(attributes.openai_admin_key_env.description).toContain('APIKEYS_CREDENTIAL_ENV_ALLOWLIST');
    expect(Object.keys(credentialAttributes(credentialSpec(EDGE_IMPULSE, 'api_key'), ''))).toEqual(['api_key', 'api_key_env']);
    expect(credentialAttributes(credentialSpec(EDGE_IMPULSE, 'api_key'), '').api_key_env.description).toContain('`_EI_API_KEY` or `_EDGEIMPULSE_API_KEY`');
  });
});

describe('resolveCredential: the order', () => {
  const env = { OPENAI_ADMIN_KEY: DEFAULT_SECRET, ACME_OPENAI_ADMIN_KEY: ACME_SECRET };

  test('1. the connection\'s own setting, whatever the environment holds', () => {
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key: SECRET, admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }), env)).toEqual({
      value: SECRET, source: 'provider attribute openai_admin_key', holder: 'provider attribute openai_admin_key',
    });
    expect(resolveCredential(ADMIN_KEY, acme({ admin_key: SECRET }), env)).toMatchObject({ value: SECRET, holder: 'provider attribute admin_key in openai_connection "acme"' });
  });

  test('2. the variable its `*_env` setting names', () => {
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }), env)).toEqual({
      value: ACME_SECRET, source: 'provider attribute openai_admin_key or environment variable ACME_OPENAI_ADMIN_KEY', holder: 'ACME_OPENAI_ADMIN_KEY',
    });
    expect(resolveCredential(ADMIN_KEY, acme({ admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }), env)).toMatchObject({ value: ACME_SECRET, holder: 'ACME_OPENAI_ADMIN_KEY' });
  });

  test('3. the vendor\'s default variable, for the flat attributes and for a block alike', () => {
    expect(resolveCredential(ADMIN_KEY, flat({}), env)).toEqual({
      value: DEFAULT_SECRET, source: 'provider attribute openai_admin_key or environment variable OPENAI_ADMIN_KEY', holder: 'OPENAI_ADMIN_KEY',
    });
    expect(resolveCredential(ADMIN_KEY, acme({}), env)).toMatchObject({ value: DEFAULT_SECRET, holder: 'OPENAI_ADMIN_KEY' });
  });

  test('an empty setting falls through to the environment; a variable\'s value is trimmed, and a blank one is no credential', () => {
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key: '' }), env).value).toBe(DEFAULT_SECRET);
    expect(resolveCredential(ADMIN_KEY, flat({}), { OPENAI_ADMIN_KEY: ` ${DEFAULT_SECRET}\n` }).value).toBe(DEFAULT_SECRET);
    expect(resolveCredential(ADMIN_KEY, flat({}), { OPENAI_ADMIN_KEY: '  ' })).toEqual({
      value: undefined, source: 'provider attribute openai_admin_key or environment variable OPENAI_ADMIN_KEY', holder: 'OPENAI_ADMIN_KEY',
    });
  });

  test('a named variable that is unset is not replaced by the default one', () => {
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key_env: 'GLOBEX_OPENAI_ADMIN_KEY' }), env)).toMatchObject({ value: undefined, holder: 'GLOBEX_OPENAI_ADMIN_KEY' });
  });

  test('a setting not known until apply is read from nowhere else meanwhile', () => {
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key: UNKNOWN }), env)).toEqual({ source: 'provider attribute openai_admin_key (not known until apply)' });
    const named = resolveCredential(ADMIN_KEY, acme({ admin_key_env: UNKNOWN }), env);
    expect(named.value).toBeUndefined();
    expect(named.source).toBe('admin_key_env in openai_connection "acme" (not known until apply)');
  });
});

describe('resolveCredential: the operator\'s policy', () => {
  test('a named variable without the kind\'s suffix is refused on the `*_env` setting, before anything is read', () => {
    const error = configurationError(() => resolveCredential(ADMIN_KEY, acme({ admin_key_env: 'GITHUB_TOKEN' }), { GITHUB_TOKEN: 'ghp_never_read' }));
    expect(error.attribute).toBe('admin_key_env in openai_connection "acme"');
    expect(error.message).toBe('admin_key_env in openai_connection "acme" names GITHUB_TOKEN, but an openai_admin_key variable must end with _OPENAI_ADMIN_KEY (such as ACME_OPENAI_ADMIN_KEY), so that a manifest cannot read other secrets; or the operator lists it in APIKEYS_CREDENTIAL_ENV_ALLOWLIST');
    expect(error.hint).toBe('Nothing was read from the environment and nothing was sent to the vendor.');
    expect(error.message).not.toContain('ghp_never_read');
  });

  test('a pasted key in place of a variable\'s name is refused without repeating it', () => {
    const error = configurationError(() => resolveCredential(ADMIN_KEY, flat({ admin_key_env: SECRET }), {}));
    expect(error.message).toContain('openai_admin_key_env looks like a secret key, not the name of an environment variable');
    expect(`${error.message} ${error.hint}`).not.toContain(SECRET);
  });

  test('with an allowlist, a named variable must be on it (names or prefixes ending in *)', () => {
    const allow = { APIKEYS_CREDENTIAL_ENV_ALLOWLIST: 'CI_*, OTHER_KEY', CI_ADMIN: SECRET, OTHER_KEY: ACME_SECRET, ACME_OPENAI_ADMIN_KEY: DEFAULT_SECRET };
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key_env: 'CI_ADMIN' }), allow).value).toBe(SECRET);
    expect(resolveCredential(ADMIN_KEY, flat({ admin_key_env: 'OTHER_KEY' }), allow).value).toBe(ACME_SECRET);
    // The suffix convention no longer applies: the list replaces it.
    expect(configurationError(() => resolveCredential(ADMIN_KEY, flat({ admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }), allow)).message)
      .toBe('openai_admin_key_env names ACME_OPENAI_ADMIN_KEY, which the operator\'s APIKEYS_CREDENTIAL_ENV_ALLOWLIST does not allow; add it there, or use an allowed variable');
  });

  test('a default variable the allowlist leaves out is simply not read, and the source says what would be', () => {
    const resolved = resolveCredential(ADMIN_KEY, acme({}), { APIKEYS_CREDENTIAL_ENV_ALLOWLIST: 'CI_*', OPENAI_ADMIN_KEY: DEFAULT_SECRET });
    expect(resolved).toEqual({
      source: 'provider attribute admin_key in openai_connection "acme", or a variable named by admin_key_env in openai_connection "acme" that APIKEYS_CREDENTIAL_ENV_ALLOWLIST allows (the default OPENAI_ADMIN_KEY is not in it)',
    });
    expect(resolveCredential(ADMIN_KEY, flat({}), { APIKEYS_CREDENTIAL_ENV_ALLOWLIST: 'OPENAI_*', OPENAI_ADMIN_KEY: DEFAULT_SECRET }).value).toBe(DEFAULT_SECRET);
  });

  test('credentialEnvSettingProblem: the same judgement without throwing; nothing to judge when the setting is unset or unknown', () => {
    expect(credentialEnvSettingProblem(ADMIN_KEY, flat({ admin_key_env: 'AWS_SECRET_ACCESS_KEY' }), {})).toMatch(/^names AWS_SECRET_ACCESS_KEY, but an openai_admin_key variable must end with _OPENAI_ADMIN_KEY/);
    expect(credentialEnvSettingProblem(ADMIN_KEY, flat({ admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }), {})).toBeUndefined();
    expect(credentialEnvSettingProblem(ADMIN_KEY, flat({ admin_key_env: 'acme_openai_admin_key' }), {})).toBeUndefined();
    expect(credentialEnvSettingProblem(ADMIN_KEY, flat({}), {})).toBeUndefined();
    expect(credentialEnvSettingProblem(ADMIN_KEY, flat({ admin_key_env: UNKNOWN }), {})).toBeUndefined();
    expect(credentialEnvSettingProblem(ADMIN_KEY, flat({ admin_key_env: '1BAD NAME' }), {})).toContain('must be the name of an environment variable');
  });
});

describe('a missing credential', () => {
  test('requireCredential says which credential, for which connection, and where to put it; nothing was sent', () => {
    const connection = acme({ admin_key_env: 'ACME_OPENAI_ADMIN_KEY' });
    const error = configurationError(() => requireCredential(ADMIN_KEY, connection, resolveCredential(ADMIN_KEY, connection, {})));
    expect(error.message).toBe('no OpenAI organization admin key (sk-admin-...) is configured for openai_connection "acme"');
    expect(error.attribute).toBe('admin_key in openai_connection "acme"');
    expect(error.hint).toBe('Set provider attribute admin_key in openai_connection "acme" or environment variable ACME_OPENAI_ADMIN_KEY. Nothing was sent to the vendor.');
    const fromDefault = configurationError(() => requireCredential(ADMIN_KEY, flat({}), resolveCredential(ADMIN_KEY, flat({}), {})));
    expect(fromDefault.message).toBe('no OpenAI organization admin key (sk-admin-...) is configured');
    expect(requireCredential(ADMIN_KEY, flat({}), { value: SECRET, source: 'x' })).toBe(SECRET);
  });

  test('baseUrlAndCredential: the base URL first (a refused host fails even without a credential), then the credential', () => {
    const refusedHost = configurationError(() => baseUrlAndCredential(ADMIN_KEY, flat({ base_url: 'https://collector.example.net/v1' }), {}));
    expect(refusedHost.attribute).toBe('openai_base_url');
    expect(refusedHost.message).toContain('points at collector.example.net, which the operator has not allowed');
    expect(configurationError(() => baseUrlAndCredential(ADMIN_KEY, flat({}), {})).attribute).toBe('openai_admin_key');
    expect(baseUrlAndCredential(ADMIN_KEY, acme({ admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }), { ACME_OPENAI_ADMIN_KEY: ACME_SECRET })).toEqual({
      baseUrl: OPENAI.defaultBaseUrl, secret: ACME_SECRET, holder: 'ACME_OPENAI_ADMIN_KEY',
      source: 'provider attribute admin_key in openai_connection "acme" or environment variable ACME_OPENAI_ADMIN_KEY',
    });
    expect(baseUrlAndCredential(ADMIN_KEY, flat({ admin_key: SECRET }), {}).holder).toBe('provider attribute openai_admin_key');
  });
});
