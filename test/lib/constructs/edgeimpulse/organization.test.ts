import { EdgeImpulseOrganization, type EdgeImpulseOrganizationProps } from '../../../../lib/constructs/edgeimpulse/organization';
import { PropsValidationError } from '../../../../lib/constructs/validation';
import { connectionOf, synthStack, thrown, type SynthJson } from '../../../support/lib';

const synthOrganization = (props: EdgeImpulseOrganizationProps, id = 'acme'): SynthJson => synthStack((stack) => new EdgeImpulseOrganization(stack, id, props));
const problemsOf = (props: EdgeImpulseOrganizationProps): PropsValidationError => thrown(PropsValidationError, () => synthOrganization(props));

describe('EdgeImpulseOrganization', () => {
  test('one resource per key at a stable address, the secrets in one sensitive map output, credentials by variable name', () => {
    const json = synthOrganization({
      organizationId: 4711, apiKeyEnv: 'ACME_EI_API_KEY', baseUrl: 'http://127.0.0.1:9/edgeimpulse/v1',
      keys: [{ name: 'CI deployer', role: 'admin', ttlSeconds: 3600 }, { name: 'dashboards', role: 'member' }],
    });
    const resources = json.resource.apikeys_edgeimpulse_organization_key;
    expect(Object.keys(resources).sort()).toEqual(['acme_CI_deployer', 'acme_dashboards']);
    expect(resources.acme_CI_deployer).toMatchObject({ organization_id: 4711, name: 'CI deployer', role: 'admin', ttl_seconds: 3600, provider: 'apikeys' });
    expect(connectionOf(resources.acme_CI_deployer)).toBe('acme');
    expect(resources.acme_dashboards).not.toHaveProperty('ttl_seconds');
    expect(resources.acme_dashboards).not.toHaveProperty('api_key_wo');
    expect(json.output).toEqual({
      acme_secrets: {
        sensitive: true, description: 'The secrets of the keys of Edge Impulse organization acme, by key name',
        value: { 'CI deployer': '${apikeys_edgeimpulse_organization_key.acme_CI_deployer.secret}', dashboards: '${apikeys_edgeimpulse_organization_key.acme_dashboards.secret}' },
      },
    });
    expect(json.provider.apikeys).toEqual([{ edgeimpulse_connection: { acme: { api_key_env: 'ACME_EI_API_KEY', base_url: 'http://127.0.0.1:9/edgeimpulse/v1' } } }]);
  });

  test('addresses depend only on the construct id and key name', () => {
    const first = synthOrganization({ organizationId: 1, apiKeyEnv: 'K_EI_API_KEY', keys: [{ name: 'a', role: 'admin' }, { name: 'b', role: 'member' }] });
    const reordered = synthOrganization({ organizationId: 1, apiKeyEnv: 'K_EI_API_KEY', keys: [{ name: 'b', role: 'member' }, { name: 'a', role: 'admin' }] });
    expect(Object.keys(reordered.resource.apikeys_edgeimpulse_organization_key).sort()).toEqual(Object.keys(first.resource.apikeys_edgeimpulse_organization_key).sort());
  });

  test('reports every invalid prop at once', () => {
    const error = problemsOf({
      organizationId: 0, apiKeyEnv: 'not a variable', baseUrl: 'ftp://nope', outputs: 'both' as never,
      keys: [{ name: 'a b', role: 'owner' as never, ttlSeconds: 0 }, { name: 'a_b', role: 'member', ttlSeconds: 2.5 }, { name: ' ', role: 'admin' }],
    });
    const text = error.problems.join('\n');
    expect(error.problems).toHaveLength(9);
    expect(text).toContain('outputs must be "organization" or "key" (got "both").');
    expect(text).toContain('organizationId must be an Edge Impulse organization id: a whole number, at least 1 (got 0).');
    expect(text).toMatch(/apiKeyEnv must be the name of an environment variable/);
    expect(text).toMatch(/baseUrl must be an absolute http\(s\) URL/);
    expect(text).toContain('keys[1] "a_b" clashes with "a b"');
    expect(text).toContain('keys[2].name must not be empty or only white space.');
    expect(text).toContain('keys[0].role must be one of "admin", "member" (got "owner").');
    expect(text).toContain('keys[0].ttlSeconds must be a number of seconds: a whole number, at least 1 (got 0).');
    expect(error.message).toMatch(/^EdgeImpulseOrganization "acme" \(test\/acme\) has 9 problems:/);
    expect(text).toContain('keys[1].ttlSeconds must be a number of seconds: a whole number, at least 1 (got 2.5).');
  });

  test('a fractional ttl and a missing apiKeyEnv are reported', () => {
    const error = problemsOf({ organizationId: 1.5, apiKeyEnv: undefined as never, keys: [{ name: 'x', role: 'admin', ttlSeconds: 2.5 }] });
    expect(error.problems).toEqual([
      'organizationId must be an Edge Impulse organization id: a whole number, at least 1 (got 1.5).',
      "apiKeyEnv is required: name the environment variable that holds the organization's admin API key.",
      'keys[0].ttlSeconds must be a number of seconds: a whole number, at least 1 (got 2.5).',
    ]);
  });
});
