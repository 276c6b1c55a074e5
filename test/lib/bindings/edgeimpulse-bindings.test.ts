import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { EdgeimpulseOrganizationKey } from '../../../lib/bindings/edgeimpulse-organization-key';
import { ApikeysProvider } from '../../../lib/bindings/provider';

function synth(build: (stack: TerraformStack) => void): string {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  return Testing.synth(stack);
}

describe('Edge Impulse bindings', () => {
  test('provider settings synthesize as edgeimpulse_* attributes', () => {
    const json = JSON.parse(synth((stack) => new ApikeysProvider(stack, 'p', {
      alias: 'ei', edgeimpulseApiKeyEnv: 'ACME_EI_API_KEY', edgeimpulseBaseUrl: 'https://studio.example/v1',
    })));
    expect(json.provider.apikeys).toEqual([{ alias: 'ei', edgeimpulse_api_key_env: 'ACME_EI_API_KEY', edgeimpulse_base_url: 'https://studio.example/v1' }]);
  });

  test('the resource synthesizes snake_case arguments, write-only ones by reference only', () => {
    const json = JSON.parse(synth((stack) => {
      const custom = new TerraformVariable(stack, 'custom_key', { type: 'string', sensitive: true });
      custom.addOverride('ephemeral', true); // as the resource docs advise
      new EdgeimpulseOrganizationKey(stack, 'ci', { organizationId: 7, name: 'ci', role: 'admin', ttlSeconds: 60 });
      new EdgeimpulseOrganizationKey(stack, 'custom', { organizationId: 7, name: 'custom', role: 'member', apiKeyWo: custom.stringValue, apiKeyWoVersion: 2 });
    }));
    const resources = json.resource.apikeys_edgeimpulse_organization_key;
    expect(resources.ci).toEqual(expect.objectContaining({ organization_id: 7, name: 'ci', role: 'admin', ttl_seconds: 60 }));
    expect(resources.ci).not.toHaveProperty('api_key_wo');
    expect(resources.custom).toMatchObject({ api_key_wo: '${var.custom_key}', api_key_wo_version: 2 });
    expect(json.variable.custom_key).toEqual({ type: 'string', sensitive: true, ephemeral: true });
  });

  test('HCL synthesis carries the same arguments, typed', () => {
    const stack = new TerraformStack(Testing.app(), 'hcl');
    const key = new EdgeimpulseOrganizationKey(stack, 'ci', { organizationId: 7, name: 'ci', role: 'member' });
    const hcl = (key as unknown as { synthesizeHclAttributes(): Record<string, unknown> }).synthesizeHclAttributes();
    expect(hcl).toEqual({
      organization_id: { value: 7, isBlock: false, type: 'simple', storageClassType: 'number' },
      name: { value: 'ci', isBlock: false, type: 'simple', storageClassType: 'string' },
      role: { value: 'member', isBlock: false, type: 'simple', storageClassType: 'string' },
    });
  });

  test('attribute getters are Terraform references', () => {
    const json = JSON.parse(synth((stack) => {
      const key = new EdgeimpulseOrganizationKey(stack, 'ci', { organizationId: 7, name: 'ci', role: 'admin' });
      new TerraformOutput(stack, 'secret', { value: key.secret, sensitive: true });
      new TerraformOutput(stack, 'id', { value: key.keyId });
      new TerraformOutput(stack, 'redacted', { value: key.redactedValue });
      new TerraformOutput(stack, 'used', { value: key.lastUsedIp });
    }));
    expect(json.output.secret.value).toBe('${apikeys_edgeimpulse_organization_key.ci.secret}');
    expect(json.output.id.value).toBe('${apikeys_edgeimpulse_organization_key.ci.id}');
    expect(json.output.redacted.value).toBe('${apikeys_edgeimpulse_organization_key.ci.redacted_value}');
    expect(json.output.used.value).toBe('${apikeys_edgeimpulse_organization_key.ci.last_used_ip}');
  });
});
