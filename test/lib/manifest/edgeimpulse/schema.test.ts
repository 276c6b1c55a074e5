import { TerraformStack, Testing } from 'cdktf';
import { parseManifest } from '../../../../lib/manifest/loader';
import { ManifestKeys } from '../../../../lib/manifest/manifest-keys';
import { connectionOf, manifestIssues as issuesOf } from '../../../support/lib';

const VALID = `version: 1
organizations:
  - name: acme-ei
    vendor: edgeimpulse
    organizationId: 4711
    apiKeyEnv: ACME_EI_API_KEY
    keys:
      - name: ci
        role: admin
        ttlSeconds: 3600
      - name: dashboards
        role: member
`;

describe('manifest: Edge Impulse organizations', () => {
  test('a valid organization parses, keys default to none', () => {
    expect(parseManifest(VALID).organizations[0]).toEqual({
      name: 'acme-ei', vendor: 'edgeimpulse', organizationId: 4711, apiKeyEnv: 'ACME_EI_API_KEY',
      keys: [{ name: 'ci', role: 'admin', ttlSeconds: 3600 }, { name: 'dashboards', role: 'member' }],
      undeclaredKeys: 'warn',
    });
    const bare = parseManifest('version: 1\norganizations:\n  - name: e\n    vendor: edgeimpulse\n    organizationId: 1\n    apiKeyEnv: E_EI_API_KEY\n');
    expect(bare.organizations[0]).toMatchObject({ keys: [] });
  });

  test('every problem is reported with its line, at once', () => {
    const issues = issuesOf(`version: 1
organizations:
  - name: acme-ei
    vendor: edgeimpulse
    organizationId: "4711"
    keys:
      - name: ci
        role: owner
        ttlSeconds: 0
      - name: ci
        role: admin
`);
    expect(issues).toHaveLength(4);
    expect(issues[0]).toBe("3:5 organizations[0].apiKeyEnv: is required: name the environment variable that holds the Edge Impulse organization API key (ei_...), such as ACME_EI_API_KEY");
    const text = issues.join('\n');
    expect(text).toContain('5:21 organizations[0].organizationId: must be the whole-number id of the Edge Impulse organization');
    expect(text).toMatch(/organizations\[0\]\.apiKeyEnv: /);
    expect(text).toContain('8:15 organizations[0].keys[0].role: must be one of "admin", "member" (got "owner").');
    expect(text).toContain('9:21 organizations[0].keys[0].ttlSeconds: must be a number of seconds: a whole number, at least 1 (got 0).');
  });

  test('duplicate key names and a bad variable name are reported where they occur', () => {
    const issues = issuesOf(VALID.replace('name: dashboards', 'name: ci').replace('apiKeyEnv: ACME_EI_API_KEY', 'apiKeyEnv: 1BAD'));
    expect(issues).toEqual([
      '6:16 organizations[0].apiKeyEnv: must be the name of an environment variable (letters, digits and underscores, not starting with a digit, at most 128 characters), not a value',
      '11:15 organizations[0].keys[1].name: "ci" is already used by keys[0]; names must be unique',
    ]);
    expect(issuesOf(VALID.replace('name: dashboards', 'name: ci'))).toEqual(['11:15 organizations[0].keys[1].name: "ci" is already used by keys[0]; names must be unique']);
  });

  test('a caller-supplied key has no place in a manifest', () => {
    const issues = issuesOf(VALID.replace('        role: member\n', `        role: member\n        apiKey: ei_${'a'.repeat(40)}\n`));
    expect(issues).toEqual([
      '11:9 organizations[0].keys[1]: Unrecognized key: "apiKey"',
      expect.stringMatching(/^13:17 organizations\[0\]\.keys\[1\]\.apiKey: looks like a credential/),
    ]);
    const disguised = issuesOf(VALID.replace('name: dashboards', `name: ei_${'a'.repeat(40)}`));
    expect(disguised).toEqual([expect.stringMatching(/organizations\[0\]\.keys\[1\]\.name: looks like a credential/)]);
    expect(disguised.join('\n')).not.toContain('a'.repeat(40));
  });

  test('ManifestKeys turns it into the construct, with the organization id on every key', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new ManifestKeys(stack, 'keys', { manifest: parseManifest(VALID) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.apikeys_edgeimpulse_organization_key['acme-ei_ci']).toMatchObject({
      organization_id: 4711, name: 'ci', role: 'admin', ttl_seconds: 3600, provider: 'apikeys',
    });
    expect(connectionOf(json.resource.apikeys_edgeimpulse_organization_key['acme-ei_ci'])).toBe('acme-ei');
    expect(json.output['acme-ei_secrets']).toMatchObject({ sensitive: true, value: { dashboards: '${apikeys_edgeimpulse_organization_key.acme-ei_dashboards.secret}' } });
    expect(json.provider.apikeys).toEqual([{ edgeimpulse_connection: { 'acme-ei': { api_key_env: 'ACME_EI_API_KEY' } } }]);
  });
});
