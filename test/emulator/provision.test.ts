import { provisionOrganizations } from '../../src/emulator/provision';
import { VendorEmulator } from '../../src/emulator/server';
import { EmulatorSpecError } from '../../src/emulator/spec';
import { organizationSpec } from '../../src/emulator/vendors';

/** The emulator's own provisioning: specs in its own terms, checked by each family; the environment a deploy needs. */
let emulator: VendorEmulator;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
});

afterEach(async () => {
  await emulator.stop();
});

const secretsOf = (env: Record<string, string>) => Object.keys(env).filter((name) => !name.endsWith('_BASE_URL') && name !== 'APIKEYS_ALLOWED_HOSTS').sort();

describe('organizationSpec: each family checks its fields', () => {
  test('ids in the vendor\'s form pass, and unknown credentials are dropped', () => {
    expect(organizationSpec({ vendor: 'edgeimpulse', name: 'edge', organizationId: 42, credentialEnv: { api_key: 'EDGE_EI_API_KEY', admin_key: 'X' } }))
      .toEqual({ vendor: 'edgeimpulse', name: 'edge', organizationId: 42, credentialEnv: { api_key: 'EDGE_EI_API_KEY' } });
    expect(organizationSpec({ vendor: 'openai', name: 'oa', projectIds: ['proj_a'] })).toEqual({ vendor: 'openai', name: 'oa', credentialEnv: { admin_key: undefined }, projectIds: ['proj_a'] });
  });

  test.each([
    [{ vendor: 'edgeimpulse', name: 'edge', organizationId: '42' }, /edge: organization_id "42" is not an Edge Impulse organization id/],
    [{ vendor: 'edgeimpulse', name: 'edge', organizationId: 0 }, /edge: organization_id 0/],
    [{ vendor: 'atlas', name: 'at', organizationId: 'abc' }, /at: organization_id "abc" is not an Atlas organization id \(24 hexadecimal digits\)/],
    [{ vendor: 'nope', name: 'x' }, /x: the emulator has no vendor "nope" \(it has openai, edgeimpulse, atlas\)/],
  ])('%j is refused, naming the organization and the field', (fields, message) => {
    expect(() => organizationSpec(fields)).toThrow(EmulatorSpecError);
    expect(() => organizationSpec(fields)).toThrow(message);
  });
});

describe('provisionOrganizations', () => {
  test('credentials go under the variables each spec names; the rest is the base URLs and the allowed host', () => {
    const env = provisionOrganizations(emulator, [
      { vendor: 'openai', name: 'oa', credentialEnv: { admin_key: 'ACME_OPENAI_ADMIN_KEY' }, projectIds: ['proj_one'] },
      { vendor: 'edgeimpulse', name: 'ei', organizationId: 4242, credentialEnv: { api_key: 'ACME_EI_API_KEY' } },
      { vendor: 'atlas', name: 'at', organizationId: 'a'.repeat(24), credentialEnv: { client_id: 'ACME_ATLAS_CLIENT_ID', client_secret: 'ACME_ATLAS_CLIENT_SECRET' } },
    ]);
    expect(secretsOf(env)).toEqual(['ACME_ATLAS_CLIENT_ID', 'ACME_ATLAS_CLIENT_SECRET', 'ACME_EI_API_KEY', 'ACME_OPENAI_ADMIN_KEY']);
    expect(env.APIKEYS_ALLOWED_HOSTS).toBe(new URL(emulator.url).host);
    expect(env.MONGODB_ATLAS_BASE_URL).toBe(`${emulator.url}/atlas`);
    expect(emulator.openai.organizationOf(env.ACME_OPENAI_ADMIN_KEY)!.projects.projects.get('proj_one')).toBeDefined();
    expect(emulator.edgeimpulse.organizations.get(4242)!.bootstrapApiKey).toBe(env.ACME_EI_API_KEY);
    expect(emulator.atlas.organization('a'.repeat(24))!.serviceAccount.clientSecret).toBe(env.ACME_ATLAS_CLIENT_SECRET);
  });

  test('credentials a spec leaves out go in the facts\' default variables; Atlas then uses a programmatic key', () => {
    const env = provisionOrganizations(emulator, [
      { vendor: 'openai', name: 'oa' }, { vendor: 'edgeimpulse', name: 'ei' }, { vendor: 'atlas', name: 'at' },
    ]);
    expect(secretsOf(env)).toEqual(['EI_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY', 'MONGODB_ATLAS_PUBLIC_KEY', 'OPENAI_ADMIN_KEY']);
  });

  test('Atlas: half a pair is completed with the other half\'s default variable', () => {
    const env = provisionOrganizations(emulator, [{ vendor: 'atlas', name: 'at', credentialEnv: { public_key: 'ACME_ATLAS_PUBLIC_KEY' } }]);
    expect(secretsOf(env)).toEqual(['ACME_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PRIVATE_KEY']);
  });

  test('one variable for two organizations is refused, naming both', () => {
    expect(() => provisionOrganizations(emulator, [
      { vendor: 'edgeimpulse', name: 'first', organizationId: 1, credentialEnv: { api_key: 'SHARED_EI_API_KEY' } },
      { vendor: 'edgeimpulse', name: 'second', organizationId: 2, credentialEnv: { api_key: 'SHARED_EI_API_KEY' } },
    ])).toThrow(new EmulatorSpecError('SHARED_EI_API_KEY would hold the credentials of two organizations (first and second); give each organization a variable of its own'));
  });

  test('two specs of the same organization and variable are one organization', () => {
    const specs = [
      { vendor: 'openai', name: 'one', credentialEnv: { admin_key: 'A_OPENAI_ADMIN_KEY' }, projectIds: ['proj_a'] },
      { vendor: 'openai', name: 'again', credentialEnv: { admin_key: 'A_OPENAI_ADMIN_KEY' }, projectIds: ['proj_b'] },
    ] as const;
    const env = provisionOrganizations(emulator, specs);
    expect(emulator.openai.organizations.size).toBe(1);
    const projects = emulator.openai.organizationOf(env.A_OPENAI_ADMIN_KEY)!.projects.projects;
    expect([projects.get('proj_a'), projects.get('proj_b')].every(Boolean)).toBe(true);
  });

  test('an OpenAI project id that is not one is refused', () => {
    expect(() => provisionOrganizations(emulator, [{ vendor: 'openai', name: 'oa', projectIds: ['production'] }]))
      .toThrow(/oa: project id "production" is not an OpenAI project id such as proj_abc123/);
  });
});
