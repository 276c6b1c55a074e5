import { TerraformStack, Testing } from 'cdktf';
import { parseManifest } from '../../../../lib/manifest/loader';
import { ManifestKeys } from '../../../../lib/manifest/manifest-keys';
import { connectionOf, manifestIssues as issuesOf } from '../../../support/lib';

const VALID = `version: 1
organizations:
  - name: acme-atlas
    vendor: atlas
    organizationId: 5980cfc70b6d97029d82e3f6
    auth:
      clientIdEnv: ACME_ATLAS_CLIENT_ID
      clientSecretEnv: ACME_ATLAS_CLIENT_SECRET
    apiVersion: v1.0
    outputs: key
    keys:
      - name: ci
        roles: [ORG_MEMBER]
      - name: billing
        description: Billing export
        roles: [ORG_BILLING_READ_ONLY, ORG_READ_ONLY]
`;

describe('atlas organizations in the manifest', () => {
  test('a valid organization parses and becomes constructs with stable addresses', () => {
    const manifest = parseManifest(VALID);
    expect(manifest.organizations[0]).toMatchObject({ vendor: 'atlas', organizationId: '5980cfc70b6d97029d82e3f6', apiVersion: 'v1.0' });
    const stack = new TerraformStack(Testing.app(), 'test');
    new ManifestKeys(stack, 'keys', { manifest });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.apikeys_atlas_organization_key['acme-atlas_ci']).toMatchObject({
      organization_id: '5980cfc70b6d97029d82e3f6', description: 'ci', roles: ['ORG_MEMBER'], provider: 'apikeys',
    });
    expect(connectionOf(json.resource.apikeys_atlas_organization_key['acme-atlas_ci'])).toBe('acme-atlas');
    expect(json.resource.apikeys_atlas_organization_key['acme-atlas_billing'].description).toBe('Billing export');
    expect(Object.keys(json.output).sort()).toEqual(['acme-atlas_billing_secret', 'acme-atlas_ci_secret']);
    expect(json.output['acme-atlas_billing_secret'].sensitive).toBe(true);
    expect(json.provider.apikeys).toEqual([{ atlas_connection: { 'acme-atlas': {
      client_id_env: 'ACME_ATLAS_CLIENT_ID', client_secret_env: 'ACME_ATLAS_CLIENT_SECRET', api_version: 'v1.0',
    } } }]);
  });

  test('every problem at once, each at its line and path', () => {
    const issues = issuesOf(`version: 1
organizations:
  - name: acme-atlas
    vendor: atlas
    organizationId: 5980CFC70B6D
    auth:
      publicKeyEnv: ACME_ATLAS_PUBLIC_KEY
    apiVersion: v3
    keys:
      - name: ci
        roles: []
      - name: ops
        description: ""
        roles: [GROUP_OWNER]
      - name: ci
        roles: [ORG_MEMBER]
        expiresInSeconds: 60
`);
    expect(issues).toEqual([
      '5:21 organizations[0].organizationId: must be an Atlas organization id: 24 hexadecimal digits (got "5980CFC70B6D").',
      expect.stringMatching(/^7:7 organizations\[0\]\.auth: .*privateKeyEnv.*is missing: name the environment variable|^7:\d+ organizations\[0\]\.auth\.privateKeyEnv: is missing/),
      '8:17 organizations[0].apiVersion: must be one of "v2", "v1.0" (got "v3").',
      '11:16 organizations[0].keys[0].roles: must contain at least one element.',
      '13:22 organizations[0].keys[1].description: must be 1 to 250 characters long (it has 0).',
      expect.stringMatching(/^14:16 organizations\[0\]\.keys\[1\]\.roles: contains "GROUP_OWNER"; allowed values are ORG_OWNER, /),
      expect.stringMatching(/^15:9 organizations\[0\]\.keys\[2\]: Unrecognized key: "expiresInSeconds"/),
      '15:15 organizations[0].keys[2].name: "ci" is already used by keys[0]; names must be unique',
    ]);
  });

  test('duplicate key names, and an auth block with both pairs, are named', () => {
    const issues = issuesOf(VALID
      .replace('      clientSecretEnv: ACME_ATLAS_CLIENT_SECRET\n', '      clientSecretEnv: ACME_ATLAS_CLIENT_SECRET\n      publicKeyEnv: X_ATLAS_PUBLIC_KEY\n      privateKeyEnv: Y_ATLAS_PRIVATE_KEY\n')
      .replace('      - name: billing', '      - name: ci'));
    expect(issues).toEqual([
      expect.stringMatching(/organizations\[0\]\.auth: must be either \{ publicKeyEnv, privateKeyEnv \}/),
      expect.stringMatching(/organizations\[0\]\.keys\[1\]\.name: "ci" is already used by keys\[0\]/),
    ]);
  });

  test('an Atlas private key or service-account secret in the manifest is refused', () => {
    const issues = issuesOf(VALID.replace('description: Billing export', 'description: 3f2a1b4c-1234-4abc-8def-db2c132ca78d'));
    expect(issues).toEqual([expect.stringMatching(/keys\[1\]\.description: looks like a credential; never put secrets in a manifest/)]);
    const secret = issuesOf(VALID.replace('description: Billing export', 'description: mdb_sa_sk_abcdefghijklmnop'));
    expect(secret).toHaveLength(1);
  });
});
