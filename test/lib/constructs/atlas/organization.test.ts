import { AtlasOrganization, type AtlasOrganizationProps } from '../../../../lib/constructs/atlas/organization';
import { PropsValidationError } from '../../../../lib/constructs/validation';
import { connectionOf, synthStack, thrown, type SynthJson } from '../../../support/lib';

const synthOrganization = (props: AtlasOrganizationProps): SynthJson => synthStack((stack) => new AtlasOrganization(stack, 'acme-atlas', props));
const problemsOf = (props: AtlasOrganizationProps): PropsValidationError => thrown(PropsValidationError, () => synthOrganization(props));

const ORG = '5980cfc70b6d97029d82e3f6';

describe('AtlasOrganization', () => {
  test('one resource per key at a stable address, description defaulting to the name; with outputs "key", one sensitive output each', () => {
    const json = synthOrganization({
      organizationId: ORG, outputs: 'key',
      auth: { publicKeyEnv: 'ACME_ATLAS_PUBLIC_KEY', privateKeyEnv: 'ACME_ATLAS_PRIVATE_KEY' },
      keys: [{ name: 'CI deployer', roles: ['ORG_MEMBER', 'ORG_MEMBER'] }, { name: 'billing', description: 'Billing export', roles: ['ORG_BILLING_READ_ONLY'] }],
    });
    const resources = json.resource.apikeys_atlas_organization_key;
    expect(Object.keys(resources).sort()).toEqual(['acme-atlas_CI_deployer', 'acme-atlas_billing']);
    expect(resources['acme-atlas_CI_deployer']).toMatchObject({
      organization_id: ORG, description: 'CI deployer', roles: ['ORG_MEMBER'], provider: 'apikeys',
    });
    expect(connectionOf(resources['acme-atlas_CI_deployer'])).toBe('acme-atlas');
    expect(resources['acme-atlas_billing']).toMatchObject({ description: 'Billing export', roles: ['ORG_BILLING_READ_ONLY'] });
    expect(Object.keys(json.output).sort()).toEqual(['acme-atlas_CI_deployer_secret', 'acme-atlas_billing_secret']);
    expect(json.output['acme-atlas_billing_secret']).toMatchObject({
      sensitive: true, value: '${apikeys_atlas_organization_key.acme-atlas_billing.secret}',
    });
    expect(json.provider.apikeys).toEqual([{ atlas_connection: { 'acme-atlas': { public_key_env: 'ACME_ATLAS_PUBLIC_KEY', private_key_env: 'ACME_ATLAS_PRIVATE_KEY' } } }]);
  });

  test('a service account, base URL and API version go to the organization\'s connection; no credential value anywhere', () => {
    const json = synthOrganization({
      organizationId: ORG, auth: { clientIdEnv: 'ACME_ATLAS_CLIENT_ID', clientSecretEnv: 'ACME_ATLAS_CLIENT_SECRET' },
      baseUrl: 'http://127.0.0.1:9/atlas', apiVersion: 'v1.0', keys: [{ name: 'ci', roles: ['ORG_OWNER'] }],
    });
    expect(json.provider.apikeys).toEqual([{ atlas_connection: { 'acme-atlas': {
      client_id_env: 'ACME_ATLAS_CLIENT_ID', client_secret_env: 'ACME_ATLAS_CLIENT_SECRET', base_url: 'http://127.0.0.1:9/atlas', api_version: 'v1.0',
    } } }]);
  });

  test('without auth the connection keeps the provider\'s default variables', () => {
    const json = synthOrganization({ organizationId: ORG, keys: [] });
    expect(json.provider.apikeys).toEqual([{ atlas_connection: { 'acme-atlas': {} } }]);
  });

  test('reports every invalid prop at once', () => {
    const error = problemsOf({
      organizationId: '5980CFC70B6D97029D82E3F6',
      auth: { publicKeyEnv: 'not a variable', privateKeyEnv: 'OK_ATLAS_PRIVATE_KEY' },
      baseUrl: 'ftp://nope',
      apiVersion: 'v3' as 'v2',
      keys: [
        { name: 'a b', roles: [] },
        { name: 'a_b', roles: ['ORG_MEMBER'] },
        { name: 'x'.repeat(251), roles: ['GROUP_OWNER', 'ORG_ADMIN'] },
      ],
    });
    const text = error.problems.join('\n');
    expect(error.problems).toHaveLength(8);
    expect(text).toContain('organizationId must be an Atlas organization id: 24 hexadecimal digits (got "5980CFC70B6D97029D82E3F6").');
    expect(text).toMatch(/auth\.publicKeyEnv must be the name of an environment variable/);
    expect(text).toMatch(/baseUrl must be an absolute http\(s\) URL/);
    expect(text).toContain('apiVersion must be one of "v2", "v1.0" (got "v3").');
    expect(text).toMatch(/keys\[1\] "a_b" clashes with "a b"/);
    expect(text).toContain('keys[0].roles must contain at least one element.');
    expect(text).toContain('keys[2].name (also its description) must be 1 to 250 characters long (it has 251).');
    expect(text).toMatch(/keys\[2\]\.roles contains "GROUP_OWNER", "ORG_ADMIN"; allowed values are ORG_OWNER, ORG_MEMBER/);
    expect(error.message).toMatch(/^AtlasOrganization "acme-atlas" \(test\/acme-atlas\) has 8 problems:/);
  });

  test('auth must be exactly one complete pair', () => {
    const mixed = problemsOf({ organizationId: ORG, auth: { publicKeyEnv: 'A', privateKeyEnv: 'B', clientIdEnv: 'C_ATLAS_CLIENT_ID' } as never });
    expect(mixed.problems).toEqual([expect.stringMatching(/^auth must be either \{ publicKeyEnv, privateKeyEnv \}.*not both or neither/)]);
    const half = problemsOf({ organizationId: ORG, auth: { clientIdEnv: 'C_ATLAS_CLIENT_ID' } as never });
    expect(half.problems).toEqual(['auth.clientSecretEnv is missing: name the environment variable that holds it.']);
  });
});
