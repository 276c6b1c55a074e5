import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import { parseManifest } from '../../../lib/manifest/loader';
import { ManifestKeys } from '../../../lib/manifest/manifest-keys';
import { connectionOf, synthStack } from '../../support/lib';

const MANIFEST = `version: 1
organizations:
  - name: acme-openai
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY
    adminKeys: [{ name: ci }]
  - name: acme-edge
    vendor: edgeimpulse
    organizationId: 4242
    apiKeyEnv: ACME_EI_API_KEY
    keys: [{ name: ci, role: member }]
  - name: acme-atlas
    vendor: atlas
    organizationId: 5980cfc70b6d97029d82e3f6
    keys: [{ name: ci, roles: [ORG_READ_ONLY] }]
`;

describe('ManifestKeys', () => {
  test('every organization of a manifest, and those declared in code, share the stack\'s one provider configuration', () => {
    const json = synthStack((stack) => {
      const keys = new ManifestKeys(stack, 'keys', { manifest: parseManifest(MANIFEST) });
      expect(Object.keys(keys.organizations)).toEqual(['acme-openai', 'acme-edge', 'acme-atlas']);
      new OpenAiOrganization(stack, 'research', { adminKeyEnv: 'RESEARCH_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'ci' }] });
    });
    expect(json.provider.apikeys).toEqual([{
      openai_connection: { 'acme-openai': { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }, research: { admin_key_env: 'RESEARCH_OPENAI_ADMIN_KEY' } },
      edgeimpulse_connection: { 'acme-edge': { api_key_env: 'ACME_EI_API_KEY' } },
      atlas_connection: { 'acme-atlas': {} },
    }]);
    expect(connectionOf(json.resource.apikeys_openai_admin_key['acme-openai_ci'])).toBe('acme-openai');
    expect(connectionOf(json.resource.apikeys_openai_admin_key.research_ci)).toBe('research');
    expect(connectionOf(json.resource.apikeys_edgeimpulse_organization_key['acme-edge_ci'])).toBe('acme-edge');
    expect(connectionOf(json.resource.apikeys_atlas_organization_key['acme-atlas_ci'])).toBe('acme-atlas');
  });
});
