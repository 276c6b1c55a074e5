import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { OpenaiAdminKey } from '../../../lib/bindings/openai-admin-key';
import { ApikeysProvider } from '../../../lib/bindings/provider';
import { synthStack } from '../../support/lib';

const INJECTION = 'X_${file("/etc/hostname")}_%{ if true }_OPENAI_ADMIN_KEY';
const ESCAPED = 'X_$${file("/etc/hostname")}_%%{ if true }_OPENAI_ADMIN_KEY';

describe('the provider binding: named connection blocks', () => {
  test('config maps and add* calls synthesize one JSON object per block type, keyed by label, without unset settings', () => {
    const json = synthStack((stack) => {
      const provider = new ApikeysProvider(stack, 'p', {
        openaiAdminKeyEnv: 'OPENAI_ADMIN_KEY',
        openaiConnection: { acme: { adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY' } },
      });
      provider.addOpenaiConnection('Globex-EU', { adminKeyEnv: 'GLOBEX_OPENAI_ADMIN_KEY', baseUrl: 'http://127.0.0.1:4010/v1' });
      provider.addAtlasConnection('acme', { clientIdEnv: 'ACME_ATLAS_CLIENT_ID', clientSecretEnv: 'ACME_ATLAS_CLIENT_SECRET', apiVersion: 'v2' });
    });
    expect(json.provider.apikeys).toEqual([{
      openai_admin_key_env: 'OPENAI_ADMIN_KEY',
      openai_connection: {
        acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' },
        // Labels are written as given (cdktf turns attribute names to snake_case; labels are not names).
        'Globex-EU': { admin_key_env: 'GLOBEX_OPENAI_ADMIN_KEY', base_url: 'http://127.0.0.1:4010/v1' },
      },
      atlas_connection: { acme: { client_id_env: 'ACME_ATLAS_CLIENT_ID', client_secret_env: 'ACME_ATLAS_CLIENT_SECRET', api_version: 'v2' } },
    }]);
  });

  test('a provider without blocks synthesizes no block types at all', () => {
    const json = synthStack((stack) => new ApikeysProvider(stack, 'p', { maxRetries: 1 }));
    expect(json.provider.apikeys).toEqual([{ max_retries: 1 }]);
  });

  test('has* tells which labels exist, per block type', () => {
    const stack = new TerraformStack(Testing.app(), 'has');
    const provider = new ApikeysProvider(stack, 'p', { edgeimpulseConnection: { acme: {} } });
    provider.addOpenaiConnection('globex', {});
    expect([provider.hasEdgeimpulseConnection('acme'), provider.hasOpenaiConnection('globex')]).toEqual([true, true]);
    expect([provider.hasOpenaiConnection('acme'), provider.hasAtlasConnection('globex')]).toEqual([false, false]);
  });

  test('a second block with a label already used for that type throws, naming the provider, the type and the label', () => {
    const stack = new TerraformStack(Testing.app(), 'dup');
    const provider = new ApikeysProvider(stack, 'p', { openaiConnection: { acme: { adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY' } } });
    expect(() => provider.addOpenaiConnection('acme', {})).toThrow('dup/p already has a block openai_connection "acme": each label names one connection.');
    // The same label in another vendor's block type is another connection.
    expect(() => provider.addAtlasConnection('acme', {})).not.toThrow();
  });

  test('settings are literal strings: ${ and %{ in a connection setting are escaped; references still work', () => {
    const json = synthStack((stack) => {
      const variable = new TerraformVariable(stack, 'env_name', { type: 'string' });
      const provider = new ApikeysProvider(stack, 'p');
      provider.addOpenaiConnection('acme', { adminKeyEnv: INJECTION });
      provider.addOpenaiConnection('ref', { adminKeyEnv: variable.stringValue });
    });
    expect(json.provider.apikeys[0].openai_connection).toEqual({
      acme: { admin_key_env: ESCAPED },
      ref: { admin_key_env: '${var.env_name}' },
    });
  });

  test('HCL output writes labelled blocks, escaped', () => {
    const app = Testing.app({ hclOutput: true } as Parameters<typeof Testing.app>[0]);
    const stack = new TerraformStack(app, 'hcl');
    const provider = new ApikeysProvider(stack, 'p', { alias: 'many', openaiAdminKeyEnv: 'OPENAI_ADMIN_KEY' });
    provider.addOpenaiConnection('acme', { adminKeyEnv: INJECTION });
    provider.addAtlasConnection('Acme-EU', { publicKeyEnv: 'ACME_ATLAS_PUBLIC_KEY' });
    const hcl = Testing.synthHcl(stack).replace(/\s+/g, ' ');
    expect(hcl).toContain(`openai_connection "acme" { admin_key_env = "${ESCAPED}" }`);
    expect(hcl).toContain('atlas_connection "Acme-EU" { public_key_env = "ACME_ATLAS_PUBLIC_KEY" }');
    expect(hcl).toContain('alias = "many"');
  });

  test('resources keep their provider reference next to a provider with blocks', () => {
    const json = synthStack((stack) => {
      const provider = new ApikeysProvider(stack, 'p', { alias: 'many', openaiConnection: { acme: {} } });
      new OpenaiAdminKey(stack, 'ci', { provider, name: 'ci' });
    });
    expect(json.resource.apikeys_openai_admin_key.ci.provider).toBe('apikeys.many');
    expect(json.provider.apikeys[0]).toEqual({ alias: 'many', openai_connection: { acme: {} } });
  });
});

describe('resources: connection_name', () => {
  test.each([false, true])('synthesizes the resource\'s connection label, and nothing when unset (HCL output: %s)', (hcl) => {
    const app = Testing.app({ hclOutput: hcl } as Parameters<typeof Testing.app>[0]);
    const stack = new TerraformStack(app, 'conn');
    new OpenaiAdminKey(stack, 'ci', { name: 'ci', connectionName: 'acme' });
    new OpenaiAdminKey(stack, 'default', { name: 'ci' });
    if (hcl) {
      const text = Testing.synthHcl(stack).replace(/\s+/g, ' ');
      expect(text).toContain('connection_name = "acme"');
      expect(text.match(/connection_name/g)).toHaveLength(1);
      return;
    }
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.apikeys_openai_admin_key.ci).toMatchObject({ name: 'ci', connection_name: 'acme' });
    expect(json.resource.apikeys_openai_admin_key.default).not.toHaveProperty('connection_name');
  });
});
