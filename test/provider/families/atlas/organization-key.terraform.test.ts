/**
 * apikeys_atlas_organization_key end to end: the real terraform binary, the
 * provider bundle from this checkout, and the emulator. No mocks. Organization
 * 0 is reached with a programmatic API key (HTTP Digest), organization 1 with a
 * service account (OAuth client credentials) through an aliased provider.
 */
import { VendorEmulator } from '../../../../src/emulator/server';
import { findLeaks } from '../../../support/leaks';
import { TerraformWorkspace, expectExit } from '../../../../harness/terraform';

const CONFIG = (baseUrl: string, org0: string, org1: string) => `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  atlas_base_url = "${baseUrl}"
  max_retries    = 1
}
provider "apikeys" {
  alias                   = "org1"
  atlas_base_url          = "${baseUrl}"
  atlas_client_id_env     = "ORG1_ATLAS_CLIENT_ID"
  atlas_client_secret_env = "ORG1_ATLAS_CLIENT_SECRET"
  max_retries             = 1
}
resource "apikeys_atlas_organization_key" "ci" {
  organization_id = "${org0}"
  description     = "ci-deployer"
  roles           = ["ORG_MEMBER"]
}
resource "apikeys_atlas_organization_key" "billing" {
  provider        = apikeys.org1
  organization_id = "${org1}"
  description     = "billing export"
  roles           = ["ORG_BILLING_READ_ONLY", "ORG_READ_ONLY"]
}
output "ci_secret" {
  value     = apikeys_atlas_organization_key.ci.secret
  sensitive = true
}
output "billing_secret" {
  value     = apikeys_atlas_organization_key.billing.secret
  sensitive = true
}
`;

describe('apikeys_atlas_organization_key with the real terraform binary', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let credentials: Record<string, string>;
  let org0: string;
  let org1: string;
  let mainConfig: string;

  const keyOf = (org: string, desc: string) => emulator.atlas.organization(org)!.keys.all().find((key) => key.desc === desc);
  const allOrganizations = () => emulator.atlas.organizations;
  /** Everything that must never show in terraform output: every private key, client secret and token. */
  const secrets = () => [
    ...allOrganizations().flatMap((org) => [...org.keys.all().map((key) => key.privateKey), org.serviceAccount.clientSecret]),
    ...emulator.atlas.issuedTokens(),
  ];
  const listings = (org: string) => emulator.requestsTo('atlas', 'GET').filter((record) => record.path.endsWith(`/orgs/${org}/apiKeys`) && record.status === 200);

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const described = emulator.describe().vendors.atlas;
    credentials = Object.fromEntries(Object.entries(described).map(([name, value]) => [name, String(value)]));
    [org0, org1] = [credentials.orgId, credentials.orgId_1];
    mainConfig = CONFIG(credentials.baseUrl, org0, org1);
    workspace = TerraformWorkspace.create({ 'main.tf': mainConfig }, {
      MONGODB_ATLAS_PUBLIC_KEY: credentials.publicKey,
      MONGODB_ATLAS_PRIVATE_KEY: credentials.privateKey,
      ORG1_ATLAS_CLIENT_ID: credentials.clientId_1,
      ORG1_ATLAS_CLIENT_SECRET: credentials.clientSecret_1,
    });
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  test('init installs the provider offline', async () => {
    expectExit(await workspace.terraform(['init']), 0);
  });

  test('plan shows the secret as (sensitive value) and writes nothing at the vendor', async () => {
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/secret\s+= \(sensitive value\)/);
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    // The plan lists each organization (to name same-name keys no state tracks); org 1 needs an OAuth token for that.
    const writes = emulator.requestsTo('atlas').filter((record) => record.method !== 'GET' && !record.path.endsWith('/api/oauth/token'));
    expect(writes).toHaveLength(0);
  });

  test('apply stores each private key in state, outputs are <sensitive>; digest for org 0, a token for org 1', async () => {
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(apply.stdout).toMatch(/ci_secret = <sensitive>/);

    const ci = workspace.attributes('apikeys_atlas_organization_key', 'ci');
    const stored = keyOf(org0, 'ci-deployer')!;
    expect(ci).toMatchObject({
      id: stored.id, organization_id: org0, public_key: stored.publicKey, secret: stored.privateKey,
      redacted_private_key: `********-****-****-${stored.privateKey.slice(-12)}`, roles: ['ORG_MEMBER'],
    });
    const billing = workspace.attributes('apikeys_atlas_organization_key', 'billing');
    expect(billing.secret).toBe(keyOf(org1, 'billing export')!.privateKey);
    expect(keyOf(org1, 'billing export')!.orgRoles.sort()).toEqual(['ORG_BILLING_READ_ONLY', 'ORG_READ_ONLY']);
    expect(workspace.state().outputs.ci_secret).toMatchObject({ value: stored.privateKey, sensitive: true });

    const creates = emulator.requestsTo('atlas', 'POST', '/apiKeys');
    // The digest challenge is drawn by the listing taken before the first create, so both creates go out signed.
    expect(creates.map((record) => record.status)).toEqual([200, 200]);
    expect(emulator.requestsTo('atlas', 'GET', '/apiKeys').map((record) => record.status)).toContain(401);
    expect(emulator.requestsTo('atlas', 'POST', '/api/oauth/token').length).toBeGreaterThanOrEqual(1);
    expect(findLeaks(workspace.allOutput(), secrets())).toEqual([]);
  });

  test('a clean plan lists each organization once and never GETs a key by id', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    expect(listings(org0)).toHaveLength(1);
    expect(listings(org1)).toHaveLength(1);
    expect(emulator.requestsTo('atlas', 'GET').filter((record) => /\/apiKeys\/[a-f0-9]{24}$/.test(record.path))).toHaveLength(0);
  });

  test('changing description and roles is an update in place, never a replacement, and keeps the secret', async () => {
    const before = keyOf(org0, 'ci-deployer')!;
    workspace.write('main.tf', mainConfig
      .replace('description     = "ci-deployer"', 'description     = "ci deployer v2"')
      .replace('roles           = ["ORG_MEMBER"]', 'roles           = ["ORG_MEMBER", "ORG_GROUP_CREATOR"]'));
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toContain('apikeys_atlas_organization_key.ci will be updated in-place');
    expect(plan.stdout).toMatch(/~ resource "apikeys_atlas_organization_key" "ci"/);
    expect(plan.stdout).toMatch(/~ description\s+= "ci-deployer" -> "ci deployer v2"/);
    expect(plan.stdout).toMatch(/\+ "ORG_GROUP_CREATOR"/);
    expect(plan.stdout).not.toMatch(/forces replacement|must be replaced/);
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');

    emulator.requests.length = 0;
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(emulator.requestsTo('atlas', 'PATCH').filter((record) => record.status === 200)).toHaveLength(1);
    expect(emulator.requestsTo('atlas', 'POST', '/apiKeys')).toHaveLength(0);
    expect(emulator.requestsTo('atlas', 'DELETE')).toHaveLength(0);
    const after = keyOf(org0, 'ci deployer v2')!;
    expect(after.id).toBe(before.id);
    expect(after.orgRoles.sort()).toEqual(['ORG_GROUP_CREATOR', 'ORG_MEMBER']);
    const ci = workspace.attributes('apikeys_atlas_organization_key', 'ci');
    expect(ci).toMatchObject({ id: before.id, description: 'ci deployer v2', secret: before.privateKey });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('a description or role changed at the vendor shows as drift, and apply puts it back in place', async () => {
    const key = keyOf(org0, 'ci deployer v2')!;
    emulator.atlas.updateKey(org0, key.id, { desc: 'edited in console', roles: ['ORG_OWNER'] });
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/~ description\s+= "edited in console" -> "ci deployer v2"/);
    expect(plan.stdout).toContain('apikeys_atlas_organization_key.ci will be updated in-place');
    expect(plan.stdout).not.toMatch(/forces replacement|must be replaced/);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(emulator.atlas.organization(org0)!.keys.get(key.id)).toMatchObject({ desc: 'ci deployer v2' });
    expect(emulator.atlas.organization(org0)!.keys.get(key.id)!.orgRoles.sort()).toEqual(['ORG_GROUP_CREATOR', 'ORG_MEMBER']);
  });

  test('project roles the key holds are not organization roles and cause no drift', async () => {
    const key = keyOf(org0, 'ci deployer v2')!;
    emulator.atlas.updateKey(org0, key.id, { projectRoles: [{ groupId: '5898b95f87d9d6270e8995d9', roleName: 'GROUP_READ_ONLY' }] });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('a key revoked outside Terraform shows as deleted and to be created; -detailed-exitcode exits 2', async () => {
    emulator.atlas.revokeKey(org1, keyOf(org1, 'billing export')!.id);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/apikeys_atlas_organization_key\.billing has been deleted/);
    expect(plan.stdout).toMatch(/apikeys_atlas_organization_key\.billing will be created/);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(workspace.attributes('apikeys_atlas_organization_key', 'billing').secret).toBe(keyOf(org1, 'billing export')!.privateKey);
  });

  test('import adopts an existing key as <organization_id>/<key_id>, without a secret', async () => {
    const legacy = emulator.atlas.addKey(org0, { desc: 'legacy', roles: ['ORG_READ_ONLY'] });
    workspace.write('legacy.tf', `resource "apikeys_atlas_organization_key" "legacy" {\n  organization_id = "${org0}"\n  description = "legacy"\n  roles = ["ORG_READ_ONLY"]\n}\n`);
    expectExit(await workspace.terraform(['import', 'apikeys_atlas_organization_key.legacy', `${org0}/${legacy.id}`]), 0);
    expect(workspace.attributes('apikeys_atlas_organization_key', 'legacy')).toMatchObject({
      id: legacy.id, organization_id: org0, description: 'legacy', roles: ['ORG_READ_ONLY'], secret: null,
      public_key: legacy.publicKey, redacted_private_key: `********-****-****-${legacy.privateKey.slice(-12)}`,
    });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('import rejects a malformed id and a key that does not exist', async () => {
    workspace.write('ghost.tf', `resource "apikeys_atlas_organization_key" "ghost" {\n  organization_id = "${org0}"\n  description = "ghost"\n  roles = ["ORG_MEMBER"]\n}\n`);
    const malformed = await workspace.terraform(['import', 'apikeys_atlas_organization_key.ghost', '5c47503320eef5699e1cce8d']);
    const missing = await workspace.terraform(['import', 'apikeys_atlas_organization_key.ghost', `${org0}/aaaaaaaaaaaaaaaaaaaaaaaa`]);
    workspace.write('ghost.tf', '');
    expect(malformed.exitCode).toBe(1);
    expect(malformed.stderr.replace(/\s+/g, ' ')).toContain('is not an Atlas organization key import id. Use <organization_id>/<key_id>, both 24 hexadecimal digits');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/non-existent remote object/i);
  });

  test('a wrong private key fails the plan with the 401 mapped to a diagnostic, and changes nothing', async () => {
    emulator.requests.length = 0;
    const wrong = '00000000-1111-2222-3333-444455556666';
    const plan = await workspace.terraform(['plan'], { MONGODB_ATLAS_PRIVATE_KEY: wrong });
    expect(plan.exitCode).toBe(1);
    const message = plan.stderr.replace(/\s+/g, ' ');
    expect(message).toContain('MongoDB Atlas rejected the programmatic API key in MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY with HTTP 401 (USER_UNAUTHORIZED)');
    expect(message).toContain(`when asked to list organization API keys for organization ${org0}`);
    expect(message).toContain('Fix or rotate the credential: MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY must hold a working programmatic API key');
    expect(message).not.toContain('pply again');
    expect(plan.stderr).not.toContain(wrong);
    expect(emulator.requestsTo('atlas').filter((record) => record.method !== 'GET' && !record.path.includes('/api/oauth/'))).toHaveLength(0);
    // The digest was tried once with the wrong key after the challenge: no loop.
    expect(emulator.requestsTo('atlas', 'GET', `/orgs/${org0}/`).map((record) => record.status)).toEqual([401, 401]);
  });

  test('no credentials, or half a pair, fails before any vendor call and names the setting', async () => {
    emulator.requests.length = 0;
    workspace.write('new.tf', `resource "apikeys_atlas_organization_key" "new" {\n  organization_id = "${org0}"\n  description = "new"\n  roles = ["ORG_MEMBER"]\n}\n`);
    const none = await workspace.terraform(['plan', '-refresh=false'], { MONGODB_ATLAS_PUBLIC_KEY: '', MONGODB_ATLAS_PRIVATE_KEY: '' });
    const half = await workspace.terraform(['plan', '-refresh=false'], { MONGODB_ATLAS_PRIVATE_KEY: '' });
    workspace.write('new.tf', '');
    expect(none.exitCode).toBe(1);
    const noneText = none.stderr.replace(/\s+/g, ' ');
    expect(noneText).toContain('Cannot plan Atlas organization key "new"');
    expect(noneText).toContain('no MongoDB Atlas credentials are configured');
    expect(noneText).toContain('environment variable MONGODB_ATLAS_CLIENT_ID');
    expect(noneText).toContain('environment variable MONGODB_ATLAS_PUBLIC_KEY');
    expect(half.exitCode).toBe(1);
    const halfText = half.stderr.replace(/\s+/g, ' ');
    expect(halfText).toContain('the MongoDB Atlas programmatic API key (private key) is missing, but the MongoDB Atlas programmatic API key (public key) is set');
    expect(halfText).toContain('Set provider attribute atlas_private_key or environment variable MONGODB_ATLAS_PRIVATE_KEY');
    expect(emulator.requests).toHaveLength(0);
  });

  test('invalid arguments are rejected at validate time, naming the attribute', async () => {
    workspace.write('bad.tf', [
      'resource "apikeys_atlas_organization_key" "bad" {',
      '  organization_id = "5980CFC70B6D97029D82E3F6"',
      `  description = "${'x'.repeat(251)}"`,
      '  roles = ["ORG_MEMBER", "GROUP_OWNER"]',
      '}',
      'resource "apikeys_atlas_organization_key" "empty" {',
      `  organization_id = "${org0}"`,
      '  description = ""',
      '  roles = []',
      '}',
    ].join('\n'));
    const validate = await workspace.terraform(['validate']);
    workspace.write('bad.tf', '');
    expect(validate.exitCode).toBe(1);
    const text = validate.stderr.replace(/\s+/g, ' ');
    expect(text).toContain('Invalid organization_id');
    expect(text).toContain('must be an Atlas organization id: 24 hexadecimal digits');
    expect(text).toContain('Invalid description');
    expect(text).toContain('must be 1 to 250 characters long (it has 251)');
    expect(text).toContain('Invalid roles');
    expect(text).toContain('contains "GROUP_OWNER"; allowed values are ORG_OWNER, ORG_MEMBER');
    expect(text).toContain('must contain at least one element');
    expect(text).toContain('(it has 0)');
    expect(validate.stderr).toMatch(/with apikeys_atlas_organization_key\.bad,\n\s+on bad\.tf line 2/);
  });

  test('a create whose answer is lost: the key Atlas made is revoked and the create sent once more, with a warning', async () => {
    emulator.requests.length = 0;
    // The listing before the create draws the digest challenge, so the first POST is the signed one, and it is lost.
    emulator.faults.inject({ vendor: 'atlas', method: 'POST', pathIncludes: `/orgs/${org0}/apiKeys`, action: { kind: 'drop-response' } });
    workspace.write('lost.tf', `resource "apikeys_atlas_organization_key" "lost" {\n  organization_id = "${org0}"\n  description = "lost-answer"\n  roles = ["ORG_MEMBER"]\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    const posts = emulator.requestsTo('atlas', 'POST', '/apiKeys').map((record) => record.status);
    expect(posts.filter((status) => status === 'dropped')).toHaveLength(1);
    expect(posts.filter((status) => status === 200)).toHaveLength(1);
    const deletes = emulator.requestsTo('atlas', 'DELETE', '/apiKeys/').filter((record) => record.status === 204 || record.status === 200);
    expect(deletes).toHaveLength(1);
    const revokedId = deletes[0].path.split('/').pop()!;
    const kept = keyOf(org0, 'lost-answer')!;
    expect(kept.id).not.toBe(revokedId);
    expect(workspace.attributes('apikeys_atlas_organization_key', 'lost')).toMatchObject({ id: kept.id, secret: kept.privateKey });
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toContain(`Revoked ${revokedId}: the create of Atlas organization key "lost-answer" in organization ${org0} made it, but its answer was lost`);
    workspace.write('lost.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  test('TF_LOG=trace output holds no private key, client secret or token', async () => {
    const plan = await workspace.terraform(['plan'], { TF_LOG: 'trace' });
    expectExit(plan, 0);
    expect(plan.stderr.length).toBeGreaterThan(10_000);
    expect(plan.stderr).toMatch(/rpc=ReadResource/);
    expect(findLeaks(plan.stdout + plan.stderr, secrets())).toEqual([]);
  });

  test('destroy revokes every key at the vendor', async () => {
    const destroy = await workspace.terraform(['destroy', '-auto-approve']);
    expectExit(destroy, 0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 3 destroyed.');
    expect(emulator.atlas.organization(org0)!.keys.all().map((key) => key.desc)).toEqual(['emulator bootstrap key']);
    expect(emulator.atlas.organization(org1)!.keys.all().map((key) => key.desc)).toEqual(['emulator bootstrap key']);
    expect(findLeaks(workspace.allOutput(), secrets())).toEqual([]);
  });
});
