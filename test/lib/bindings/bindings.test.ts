import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_VERSION } from '../../../lib/bindings/attributes';
import { OpenaiAdminKey } from '../../../lib/bindings/openai-admin-key';
import { ApikeysProvider } from '../../../lib/bindings/provider';
import { synthStack as synth } from '../../support/lib';

describe('hand-written bindings', () => {
  test('the bindings pin the provider version this package builds', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    expect(PROVIDER_VERSION).toBe(version);
  });

  test('provider synthesizes source, version, alias and only the settings given', () => {
    const json = synth((stack) => new ApikeysProvider(stack, 'p', { alias: 'acme', openaiAdminKeyEnv: 'ACME_KEY', maxRetries: 2 }));
    expect(json.terraform.required_providers.apikeys).toEqual({ source: 'cdktf-apikeys/apikeys', version: PROVIDER_VERSION });
    expect(json.provider.apikeys).toEqual([{ alias: 'acme', openai_admin_key_env: 'ACME_KEY', max_retries: 2 }]);
  });

  test('resource synthesizes snake_case arguments and references the aliased provider', () => {
    const json = synth((stack) => {
      const provider = new ApikeysProvider(stack, 'p', { alias: 'acme' });
      new OpenaiAdminKey(stack, 'ci', { provider, name: 'ci', expiresInSeconds: 60 });
      new OpenaiAdminKey(stack, 'ops', { provider, name: 'ops' });
    });
    const resources = json.resource.apikeys_openai_admin_key;
    expect(resources.ci).toMatchObject({ name: 'ci', expires_in_seconds: 60, provider: 'apikeys.acme' });
    expect(resources.ops).not.toHaveProperty('expires_in_seconds');
  });

  test('attribute getters are Terraform references', () => {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const key = new OpenaiAdminKey(stack, 'ci', { name: 'ci' });
    new TerraformOutput(stack, 'secret', { value: key.secret, sensitive: true });
    new TerraformOutput(stack, 'id', { value: key.keyId });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.secret.value).toBe('${apikeys_openai_admin_key.ci.secret}');
    expect(json.output.id.value).toBe('${apikeys_openai_admin_key.ci.id}');
  });
});
