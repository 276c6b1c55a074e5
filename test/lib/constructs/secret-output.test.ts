import { EdgeImpulseOrganization } from '../../../lib/constructs/edgeimpulse/organization';
import { synthStack } from '../../support/lib';

const synthKeys = (names: string[], outputs?: 'organization' | 'key') => synthStack((stack) => new EdgeImpulseOrganization(stack, 'acme', {
  organizationId: 1, apiKeyEnv: 'ACME_EI_API_KEY', outputs, keys: names.map((name) => ({ name, role: 'member' as const })),
}));

describe('secret outputs', () => {
  test('the map output\'s keys are literal names: Terraform reads property names as templates, so ${ and %{ are escaped', () => {
    const json = synthKeys(['a ${b}', 'c %{d}', 'plain']);
    expect(Object.keys(json.output.acme_secrets.value).sort()).toEqual(['a $${b}', 'c %%{d}', 'plain']);
  });

  test('an organization without keys still has its map output, empty; per-key outputs are none', () => {
    expect(synthKeys([]).output).toEqual({ acme_secrets: expect.objectContaining({ sensitive: true, value: {} }) });
    expect(synthKeys([], 'key').output).toBeUndefined();
  });

  test('every output is sensitive and keeps its static name', () => {
    const perKey = synthKeys(['ci', 'ops'], 'key');
    expect(perKey.output).toEqual({
      acme_ci_secret: { sensitive: true, value: '${apikeys_edgeimpulse_organization_key.acme_ci.secret}', description: 'Edge Impulse member API key "ci" of organization acme' },
      acme_ops_secret: { sensitive: true, value: '${apikeys_edgeimpulse_organization_key.acme_ops.secret}', description: 'Edge Impulse member API key "ops" of organization acme' },
    });
  });
});
