import { join } from 'node:path';
import { loadManifestFile, parseManifest } from '../../lib/manifest/loader';
import { ProjectError } from '../../src/core/errors';
import { organizationsOfManifest, organizationsOfStack, provisionForManifest, type SynthesizedStackJson } from '../../src/cli/emulated-organizations';
import { VendorEmulator } from '../../src/emulator/server';

/**
 * What the emulator holds for a deploy, read from synthesized stacks the way
 * the provider reads them: connections name the variables, resources and
 * data sources give organization and project ids.
 */
const ATLAS_ORG = '5f1e2d3c4b5a69788796a5b4';

describe('organizationsOfStack', () => {
  test('labelled connections with the resources and data sources that use them', () => {
    const stack: SynthesizedStackJson = {
      provider: {
        apikeys: [{
          openai_connection: { research: { admin_key_env: 'RESEARCH_OPENAI_ADMIN_KEY' } },
          edgeimpulse_connection: { edge: { api_key_env: 'EDGE_EI_API_KEY' } },
          atlas_connection: { atlas: { client_id_env: 'ACME_ATLAS_CLIENT_ID', client_secret_env: 'ACME_ATLAS_CLIENT_SECRET' } },
        }],
      },
      resource: {
        apikeys_openai_project_key: {
          a: { connection_name: 'research', project_id: 'proj_one', name: 'a', provider: 'apikeys' },
          b: { connection_name: 'research', project_id: 'proj_two', name: 'b', provider: 'apikeys' },
        },
        apikeys_edgeimpulse_organization_key: { c: { connection_name: 'edge', organization_id: 77, name: 'c', role: 'admin', provider: 'apikeys' } },
        terraform_data: { unrelated: { input: 'x' } },
      },
      data: {
        apikeys_organization_keys: {
          d: { connection_name: 'atlas', family: 'atlas_organization_key', organization_id: ATLAS_ORG, provider: 'apikeys' },
          e: { connection_name: 'research', family: 'openai_project_key', project_id: 'proj_three', provider: 'apikeys' },
        },
      },
    };
    expect(organizationsOfStack(stack, 'stack keys')).toEqual([
      { vendor: 'openai', name: 'research', credentialEnv: { admin_key: 'RESEARCH_OPENAI_ADMIN_KEY' }, projectIds: ['proj_one', 'proj_two', 'proj_three'] },
      { vendor: 'edgeimpulse', name: 'edge', organizationId: 77, credentialEnv: { api_key: 'EDGE_EI_API_KEY' } },
      {
        vendor: 'atlas', name: 'atlas', organizationId: ATLAS_ORG,
        credentialEnv: { public_key: undefined, private_key: undefined, client_id: 'ACME_ATLAS_CLIENT_ID', client_secret: 'ACME_ATLAS_CLIENT_SECRET' },
      },
    ]);
  });

  test('the flat attributes are the default connection, held when named or used; aliased blocks are their own connections', () => {
    const stack: SynthesizedStackJson = {
      provider: {
        apikeys: [
          { edgeimpulse_api_key_env: 'DEFAULT_EI_API_KEY' },
          { alias: 'second', openai_connection: { research: {} } },
        ],
      },
      resource: {
        apikeys_openai_admin_key: { a: { name: 'a', provider: 'apikeys' }, b: { name: 'b', connection_name: 'research', provider: 'apikeys.second' } },
        apikeys_edgeimpulse_organization_key: { c: { name: 'c', organization_id: 5, role: 'admin', provider: 'apikeys' } },
      },
    };
    expect(organizationsOfStack(stack, 'stack keys').map((spec) => [spec.vendor, spec.name, spec.credentialEnv])).toEqual([
      ['openai', 'default openai connection', { admin_key: undefined }],
      ['edgeimpulse', 'default edgeimpulse connection', { api_key: 'DEFAULT_EI_API_KEY' }],
      ['openai', 'research (provider apikeys.second)', { admin_key: undefined }],
    ]);
  });

  test('values Terraform resolves later (${...}) are not guessed at', () => {
    const stack: SynthesizedStackJson = {
      provider: { apikeys: [{ edgeimpulse_connection: { edge: { api_key_env: '${var.name}' } } }] },
      resource: { apikeys_edgeimpulse_organization_key: { c: { connection_name: 'edge', organization_id: '${var.org}', provider: 'apikeys' } } },
    };
    expect(organizationsOfStack(stack, 'stack keys')).toEqual([{ vendor: 'edgeimpulse', name: 'edge', organizationId: undefined, credentialEnv: { api_key: undefined } }]);
  });

  test('a connection used with two organizations, or with an id that is not one, is a ProjectError naming the stack and connection', () => {
    const twoOrganizations: SynthesizedStackJson = {
      provider: { apikeys: [{ edgeimpulse_connection: { edge: { api_key_env: 'EDGE_EI_API_KEY' } } }] },
      resource: { apikeys_edgeimpulse_organization_key: { a: { connection_name: 'edge', organization_id: 1 }, b: { connection_name: 'edge', organization_id: 2 } } },
    };
    expect(() => organizationsOfStack(twoOrganizations, 'stack keys')).toThrow(ProjectError);
    expect(() => organizationsOfStack(twoOrganizations, 'stack keys'))
      .toThrow('stack keys: the Edge Impulse connection edge is used with organizations 1 and 2, but one credential reaches one organization');
    const badId: SynthesizedStackJson = {
      provider: { apikeys: [{ atlas_connection: { atlas: {} } }] },
      resource: { apikeys_atlas_organization_key: { a: { connection_name: 'atlas', organization_id: 'not-hex' } } },
    };
    expect(() => organizationsOfStack(badId, 'stack keys')).toThrow(/^stack keys: atlas: organization_id "not-hex" is not an Atlas organization id/);
  });
});

describe('a manifest, read from the stack the library makes of it', () => {
  test('the example manifest: each organization, its ids, projects and variables', () => {
    const specs = organizationsOfManifest(loadManifestFile(join(__dirname, '..', '..', 'examples', 'apikeys.yaml')));
    expect(specs).toEqual([
      { vendor: 'openai', name: 'acme-openai', credentialEnv: { admin_key: 'ACME_OPENAI_ADMIN_KEY' }, projectIds: ['proj_acmeProduction'] },
      { vendor: 'edgeimpulse', name: 'acme-edge', organizationId: 4242, credentialEnv: { api_key: 'ACME_EI_API_KEY' } },
      {
        vendor: 'atlas', name: 'acme-atlas', organizationId: ATLAS_ORG,
        credentialEnv: { public_key: 'ACME_ATLAS_PUBLIC_KEY', private_key: 'ACME_ATLAS_PRIVATE_KEY', client_id: undefined, client_secret: undefined },
      },
    ]);
  });

  test('provisionForManifest: the environment a deploy of the manifest needs, and organizations without keys still held', async () => {
    const emulator = await VendorEmulator.start();
    try {
      const env = provisionForManifest(emulator, parseManifest(`version: 1
organizations:
  - { name: bare-openai, vendor: openai }
  - { name: edge, vendor: edgeimpulse, organizationId: 9, apiKeyEnv: EDGE_EI_API_KEY, keys: [{ name: ci, role: member }] }
  - { name: atlas, vendor: atlas, organizationId: ${ATLAS_ORG} }
`));
      expect(Object.keys(env).sort()).toEqual([
        'APIKEYS_ALLOWED_HOSTS', 'EDGEIMPULSE_BASE_URL', 'EDGE_EI_API_KEY', 'MONGODB_ATLAS_BASE_URL', 'MONGODB_ATLAS_PRIVATE_KEY', 'MONGODB_ATLAS_PUBLIC_KEY', 'OPENAI_ADMIN_KEY', 'OPENAI_BASE_URL',
      ]);
      expect(emulator.edgeimpulse.organizations.get(9)!.bootstrapApiKey).toBe(env.EDGE_EI_API_KEY);
      expect(emulator.atlas.organization(ATLAS_ORG)!.bootstrapKey.privateKey).toBe(env.MONGODB_ATLAS_PRIVATE_KEY);
    } finally {
      await emulator.stop();
    }
  });
});
