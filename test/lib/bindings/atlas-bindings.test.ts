import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AtlasOrganizationKey } from '../../../lib/bindings/atlas-organization-key';
import { ApikeysProvider } from '../../../lib/bindings/provider';

describe('Atlas bindings', () => {
  test('provider synthesizes the atlas settings it is given, and only those', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new ApikeysProvider(stack, 'p', { alias: 'acme', atlasPublicKeyEnv: 'PUB', atlasPrivateKeyEnv: 'PRIV', atlasBaseUrl: 'https://cloud.mongodb.com', atlasApiVersion: 'v2' });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.provider.apikeys).toEqual([{ alias: 'acme', atlas_public_key_env: 'PUB', atlas_private_key_env: 'PRIV', atlas_base_url: 'https://cloud.mongodb.com', atlas_api_version: 'v2' }]);
  });

  test('the key resource synthesizes organization_id, description and roles; getters are references', () => {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const key = new AtlasOrganizationKey(stack, 'ci', { organizationId: '5980cfc70b6d97029d82e3f6', description: 'ci', roles: ['ORG_MEMBER', 'ORG_READ_ONLY'] });
    new TerraformOutput(stack, 'secret', { value: key.secret, sensitive: true });
    new TerraformOutput(stack, 'public', { value: key.publicKey });
    new TerraformOutput(stack, 'masked', { value: key.redactedPrivateKey });
    new TerraformOutput(stack, 'id', { value: key.keyId });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.apikeys_atlas_organization_key.ci).toEqual({
      organization_id: '5980cfc70b6d97029d82e3f6', description: 'ci', roles: ['ORG_MEMBER', 'ORG_READ_ONLY'],
    });
    expect(json.output.secret.value).toBe('${apikeys_atlas_organization_key.ci.secret}');
    expect(json.output.public.value).toBe('${apikeys_atlas_organization_key.ci.public_key}');
    expect(json.output.masked.value).toBe('${apikeys_atlas_organization_key.ci.redacted_private_key}');
    expect(json.output.id.value).toBe('${apikeys_atlas_organization_key.ci.id}');
  });

  test('HCL synthesis carries roles as a set of strings', () => {
    const app = Testing.app({ hclOutput: true } as Parameters<typeof Testing.app>[0]);
    const stack = new TerraformStack(app, 'hcl');
    new AtlasOrganizationKey(stack, 'ci', { organizationId: '5980cfc70b6d97029d82e3f6', description: 'ci', roles: ['ORG_MEMBER'] });
    const hcl = Testing.synthHcl(stack);
    expect(hcl.replace(/\s+/g, ' ')).toContain('roles = [ "ORG_MEMBER" ]');
  });
});
