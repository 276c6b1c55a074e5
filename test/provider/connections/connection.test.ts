/**
 * Named connections, vendor-agnostic: how a connection's settings are read
 * and named (flat default attributes, labelled blocks), the base URL chain,
 * unknown labels, import ids, and one set of clients per vendor and label.
 */
import { ImportIdError, UnknownConnectionError } from '../../../src/core/errors';
import { OPENAI } from '../../../src/core/facts/openai';
import { resolveBaseUrl } from '../../../src/provider/connections/base-url';
import { ConnectionSettings, connectionSettings, connectionTo, importIdOf, splitImportId } from '../../../src/provider/connections/connection';
import { ProviderContext } from '../../../src/provider/context';
import type { CtyObject } from '../../../src/provider/cty/value';
import { openAiConnection } from '../../../src/provider/families/openai/connection';
import { parseScopedId } from '../../../src/provider/families/family';

const CONFIG: CtyObject = {
  openai_admin_key_env: 'DEFAULT_OPENAI_ADMIN_KEY',
  openai_base_url: 'http://127.0.0.1:4000/v1',
  openai_connection: {
    acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY', admin_key: null, base_url: null },
    globex: { admin_key_env: null, admin_key: null, base_url: 'http://127.0.0.1:4001/v1' },
  },
};
const ENV = { APIKEYS_ALLOWED_HOSTS: '127.0.0.1', DEFAULT_OPENAI_ADMIN_KEY: `sk-admin-${'d'.repeat(40)}`, ACME_OPENAI_ADMIN_KEY: `sk-admin-${'a'.repeat(40)}`, OPENAI_ADMIN_KEY: `sk-admin-${'o'.repeat(40)}` };

/** The clients of an OpenAI connection of `context`. */
const openAi = (context: ProviderContext, label: string | null) => connectionTo(context, openAiConnection, label).clients;

describe('ConnectionSettings', () => {
  test('the default connection reads the flat attributes without their vendor prefix; a block reads its own', () => {
    const flat = ConnectionSettings.defaultOf(OPENAI, CONFIG);
    const acme = ConnectionSettings.named(OPENAI, CONFIG, 'acme')!;
    expect([flat.value('admin_key_env'), acme.value('admin_key_env')]).toEqual(['DEFAULT_OPENAI_ADMIN_KEY', 'ACME_OPENAI_ADMIN_KEY']);
    expect([flat.attribute('admin_key_env'), acme.attribute('admin_key_env')]).toEqual(['openai_admin_key_env', 'admin_key_env in openai_connection "acme"']);
    expect([flat.path('base_url'), acme.path('base_url')]).toEqual([['openai_base_url'], ['openai_connection', { key: 'acme' }, 'base_url']]);
    expect(ConnectionSettings.all(OPENAI, CONFIG).map((settings) => settings.label)).toEqual([undefined, 'acme', 'globex']);
    expect(ConnectionSettings.named(OPENAI, CONFIG, 'initech')).toBeUndefined();
  });

  test('base URL: the block\'s own, else the provider\'s flat attribute, else the environment, else the vendor\'s', () => {
    expect(resolveBaseUrl(ConnectionSettings.named(OPENAI, CONFIG, 'globex')!, ENV)).toBe('http://127.0.0.1:4001/v1');
    expect(resolveBaseUrl(ConnectionSettings.named(OPENAI, CONFIG, 'acme')!, ENV)).toBe('http://127.0.0.1:4000/v1');
    const bare: CtyObject = { openai_connection: { acme: {} } };
    expect(resolveBaseUrl(ConnectionSettings.named(OPENAI, bare, 'acme')!, { ...ENV, OPENAI_BASE_URL: 'http://127.0.0.1:4002/v1' })).toBe('http://127.0.0.1:4002/v1');
    expect(resolveBaseUrl(ConnectionSettings.named(OPENAI, bare, 'acme')!, {})).toBe(OPENAI.defaultBaseUrl);
  });

  test('a refused inherited URL says where it came from', () => {
    expect(() => resolveBaseUrl(ConnectionSettings.named(OPENAI, CONFIG, 'acme')!, {}))
      .toThrow('openai_base_url (used because base_url in openai_connection "acme" is unset) points at 127.0.0.1:4000');
  });
});

describe('connectionSettings: a label the provider block lacks', () => {
  const failure = (config: CtyObject, label: string): UnknownConnectionError => {
    try {
      connectionSettings(OPENAI, config, label);
    } catch (error) {
      if (error instanceof UnknownConnectionError) return error;
      throw error;
    }
    throw new Error('expected an UnknownConnectionError');
  };

  test('lists the configured labels, suggests a close one, and is about `connection_name`', () => {
    const error = failure(CONFIG, 'globx');
    expect(error.attributePath).toEqual(['connection_name']);
    expect(error.code).toBe('APIKEYS_ERR_UNKNOWN_CONNECTION');
    expect(error.hint).toContain('Configured openai_connection labels: "acme", "globex". Did you mean "globex"?');
    expect(failure(CONFIG, 'initech').hint).not.toContain('Did you mean');
    expect(failure(CONFIG, '__proto__').message).toBe('the apikeys provider block has no openai_connection "__proto__"');
    expect(failure(CONFIG, 'constructor').message).toBe('the apikeys provider block has no openai_connection "constructor"');
  });

  test('says so when the vendor has no blocks at all', () => {
    expect(failure({}, 'acme').hint).toContain('The provider block configures no openai_connection.');
  });

  test('null or undefined is the default connection', () => {
    expect(connectionSettings(OPENAI, CONFIG, null).label).toBeUndefined();
    expect(connectionSettings(OPENAI, CONFIG, undefined).label).toBeUndefined();
  });
});

describe('clients', () => {
  test('are built once per vendor and label, with the label\'s own credentials and listings', () => {
    const context = new ProviderContext(CONFIG, ENV);
    const acme = openAi(context, 'acme');
    expect(openAi(context, 'acme')).toBe(acme);
    expect(openAi(context, 'globex')).not.toBe(acme);
    expect(openAi(context, null)).not.toBe(acme);
    expect(acme.adminKeyInventory).not.toBe(openAi(context, null).adminKeyInventory);
    expect(acme.projectKeyInventory('proj_a')).toBe(openAi(context, 'acme').projectKeyInventory('proj_a'));
  });
});

describe('import ids', () => {
  test('<connection>:<id> names the connection; an id alone is the default connection', () => {
    expect(splitImportId(' acme:proj_a/key_b ')).toEqual({ connection: 'acme', id: 'proj_a/key_b' });
    expect(splitImportId('key_b')).toEqual({ connection: null, id: 'key_b' });
    expect(importIdOf('acme', 'key_b')).toBe('acme:key_b');
    expect(importIdOf(null, 'key_b')).toBe('key_b');
  });

  test('<scope>/<id> ids: both parts checked, nothing more or less', () => {
    const digits = (part: string) => /^\d+$/.test(part);
    expect(parseScopedId('12/34', digits, digits)).toEqual({ scope: '12', id: '34' });
    for (const bad of ['12', '12/', '12/34/56', 'a/34', '12/b']) expect(parseScopedId(bad, digits, digits)).toBeUndefined();
  });

  test('a malformed label is an ImportIdError that shows the expected form', () => {
    expect(() => splitImportId('1acme:key_b')).toThrow(ImportIdError);
    expect(() => splitImportId(':key_b')).toThrow('the connection label before ":"');
  });
});
