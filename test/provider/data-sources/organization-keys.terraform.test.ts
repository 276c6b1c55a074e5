/**
 * apikeys_organization_keys with the real terraform binary: the audit
 * listing, and a check block, written by hand, that names keys no state tracks.
 */
import { VendorEmulator } from '../../../src/emulator/server';
import { findLeaks } from '../../support/leaks';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';

const CONFIG = (baseUrl: string, edgeImpulseBaseUrl: string, atlasBaseUrl: string) => `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  openai_base_url      = "${baseUrl}"
  edgeimpulse_base_url = "${edgeImpulseBaseUrl}"
  atlas_base_url       = "${atlasBaseUrl}"
}
resource "apikeys_openai_admin_key" "ci" {
  name = "ci"
}
data "apikeys_organization_keys" "admin" {
  family        = "openai_admin_key"
  managed_ids   = [apikeys_openai_admin_key.ci.id]
  declared_keys = { "apikeys_openai_admin_key.ci" = "ci" }
  ignore        = ["emulator bootstrap admin key"]
}
check "undeclared" {
  assert {
    condition     = length(data.apikeys_organization_keys.admin.messages) == 0
    error_message = join("\\n", data.apikeys_organization_keys.admin.messages)
  }
}
output "unmanaged" {
  value = data.apikeys_organization_keys.admin.unmanaged_keys
}
output "names" {
  value = [for key in data.apikeys_organization_keys.admin.keys : key.name]
}
`;

describe('apikeys_organization_keys with the real terraform binary', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const { openai, edgeimpulse, atlas } = emulator.describe().vendors;
    workspace = TerraformWorkspace.create({ 'main.tf': CONFIG(openai.baseUrl, edgeimpulse.baseUrl, atlas.baseUrl) }, {
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
      OPENAI_ADMIN_KEY: String(openai.adminKey),
      EI_API_KEY: String(edgeimpulse.apiKey),
      MONGODB_ATLAS_PUBLIC_KEY: String(atlas.publicKey),
      MONGODB_ATLAS_PRIVATE_KEY: String(atlas.privateKey),
    });
    expectExit(await workspace.terraform(['init']), 0);
    // The key's id is unknown until it exists, so this apply reads the listing after creating it.
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(apply.stdout + apply.stderr).not.toContain('Check block assertion');
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  test('lists every key, redacted, with RFC 3339 times and no secret', async () => {
    const show = await workspace.terraform(['output', '-json', 'names']);
    expect(JSON.parse(show.stdout)).toEqual(['emulator bootstrap admin key', 'ci']);
    const state = JSON.stringify(workspace.state().resources.find((resource) => resource.type === 'apikeys_organization_keys'));
    expect(state).toMatch(/"created_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(state).toMatch(/"redacted_value":"sk-admin\.\.\./);
    expect(findLeaks(state, emulator.openai.adminKeys.all().map((key) => key.value))).toEqual([]);
  });

  test('a clean plan has no warning, and the data source shares the one listing', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    expect(plan.stdout + plan.stderr).not.toContain('Check block assertion');
    expect(emulator.requestsTo('openai', 'GET')).toHaveLength(1);
  });

  test('a key created outside Terraform is named in a plan warning', async () => {
    const rogue = emulator.openai.addAdminKey('made-in-console');
    const plan = await workspace.terraform(['plan']);
    expectExit(plan, 0);
    const output = (plan.stdout + plan.stderr).replace(/\s+/g, ' ');
    expect(output).toContain('Warning: Check block assertion failed');
    expect(output).toContain(`OpenAI organization (admin keys) has a key not declared in this stack: ${rogue.id} ("made-in-console")`);
    emulator.openai.adminKeys.delete(rogue.id);
  });

  test('unmanaged_keys tells a possible orphan (a declared name, no state) from an undeclared key', async () => {
    const orphan = emulator.openai.addAdminKey('ci');
    const rogue = emulator.openai.addAdminKey('made-in-console');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    const unmanaged = JSON.parse((await workspace.terraform(['output', '-json', 'unmanaged'])).stdout);
    emulator.openai.adminKeys.delete(orphan.id);
    emulator.openai.adminKeys.delete(rogue.id);
    expect(unmanaged).toEqual(expect.arrayContaining([
      { id: orphan.id, name: 'ci', import_id: orphan.id, declared_as: ['apikeys_openai_admin_key.ci'] },
      { id: rogue.id, name: 'made-in-console', import_id: rogue.id, declared_as: [] },
    ]));
    expect(unmanaged).toHaveLength(2);
  });

  test('managed_names, deprecated, still hides keys by name', async () => {
    const legacy = emulator.openai.addAdminKey('legacy');
    const rogue = emulator.openai.addAdminKey('made-in-console');
    workspace.write('names.tf', 'data "apikeys_organization_keys" "by_name" {\n  family = "openai_admin_key"\n  managed_names = ["ci", "legacy"]\n}\noutput "by_name" {\n  value = data.apikeys_organization_keys.by_name.unmanaged_ids\n}\n');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    const output = await workspace.terraform(['output', '-json', 'by_name']);
    workspace.write('names.tf', '');
    emulator.openai.adminKeys.delete(legacy.id);
    emulator.openai.adminKeys.delete(rogue.id);
    // The bootstrap key is the connection's own credential: never reported as undeclared.
    expect(JSON.parse(output.stdout)).toEqual([rogue.id]);
  });

  test('managed_ids alone also declares keys', async () => {
    const rogue = emulator.openai.addAdminKey('made-in-console');
    workspace.write('ids.tf', 'data "apikeys_organization_keys" "by_id" {\n  family = "openai_admin_key"\n  managed_ids = [apikeys_openai_admin_key.ci.id]\n}\noutput "by_id" {\n  value = data.apikeys_organization_keys.by_id.unmanaged_ids\n}\n');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    const output = await workspace.terraform(['output', '-json', 'by_id']);
    workspace.write('ids.tf', '');
    emulator.openai.adminKeys.delete(rogue.id);
    expect(JSON.parse(output.stdout)).toEqual([rogue.id]);
  });

  test('the project family lists service-account and user keys of one project', async () => {
    const projectId = emulator.openai.projects.defaultProjectId;
    const { key } = emulator.openai.projects.createServiceAccount(projectId, 'svc-reporting');
    const userKey = emulator.openai.projects.addUserKey(projectId, { name: 'laptop', user: { email: 'dev@example.com' } });
    workspace.write('project.tf', `data "apikeys_organization_keys" "project" {\n  family = "openai_project_key"\n  project_id = "${projectId}"\n  ignore = ["svc-reporting"]\n}\noutput "project" {\n  value = data.apikeys_organization_keys.project\n}\n`);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    const listing = JSON.parse((await workspace.terraform(['output', '-json', 'project'])).stdout);
    workspace.write('project.tf', '');
    expect(listing.keys.map((item: { id: string; name: string; owner: string }) => [item.id, item.name, item.owner])).toEqual([
      [key!.id, 'svc-reporting', `service_account: svc-reporting`],
      [userKey.id, 'laptop', 'user: dev@example.com'],
    ]);
    expect(listing.unmanaged_ids).toEqual([userKey.id]);
  });

  test('the Edge Impulse and Atlas families list their organizations, with roles and no secret', async () => {
    const edgeOrg = emulator.edgeimpulse.defaultOrganization.id;
    const edgeKey = emulator.edgeimpulse.addKey(edgeOrg, { name: 'dashboards', role: 'member', ttlSeconds: 3600 });
    const atlasOrg = emulator.atlas.organizations[0].id;
    const atlasKey = emulator.atlas.addKey(atlasOrg, { desc: 'reporting', roles: ['ORG_READ_ONLY'] });
    workspace.write('others.tf', [
      `data "apikeys_organization_keys" "edge" {\n  family = "edgeimpulse_organization_key"\n  organization_id = "${edgeOrg}"\n}`,
      `data "apikeys_organization_keys" "atlas" {\n  family = "atlas_organization_key"\n  organization_id = "${atlasOrg}"\n  ignore = ["emulator bootstrap key"]\n}`,
      'output "edge" {\n  value = data.apikeys_organization_keys.edge.keys\n}',
      'output "atlas" {\n  value = data.apikeys_organization_keys.atlas\n}',
    ].join('\n'));
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    const edge = JSON.parse((await workspace.terraform(['output', '-json', 'edge'])).stdout);
    const atlas = JSON.parse((await workspace.terraform(['output', '-json', 'atlas'])).stdout);
    workspace.write('others.tf', '');
    expect(edge.find((key: { id: string }) => key.id === String(edgeKey.id))).toMatchObject({
      name: 'dashboards', roles: ['member'], expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), owner: expect.stringMatching(/^user: /),
    });
    expect(atlas.keys.find((key: { id: string }) => key.id === atlasKey.id)).toMatchObject({
      name: 'reporting', roles: ['ORG_READ_ONLY'], redacted_value: `********-****-****-${atlasKey.privateKey.slice(-12)}`, created_at: expect.stringMatching(/^\d{4}-/),
    });
    expect(atlas.unmanaged_ids).toEqual([atlasKey.id]);
    const outputs = JSON.stringify({ edge, atlas });
    expect(findLeaks(outputs, [edgeKey.apiKey, atlasKey.privateKey])).toEqual([]);
  });

  test('a missing scope argument is a validate error naming it', async () => {
    workspace.write('bad.tf', 'data "apikeys_organization_keys" "bad" {\n  family = "nope"\n}\ndata "apikeys_organization_keys" "unscoped" {\n  family = "openai_project_key"\n}\n' +
      'data "apikeys_organization_keys" "no_ids" {\n  family = "openai_admin_key"\n  declared_keys = { "apikeys_openai_admin_key.ci" = "ci" }\n}\n');
    const validate = await workspace.terraform(['validate']);
    workspace.write('bad.tf', '');
    expect(validate.exitCode).toBe(1);
    expect(validate.stderr).toContain('Invalid family');
    expect(validate.stderr).toContain('must be one of "openai_admin_key"');
    expect(validate.stderr).toContain('Error: Missing project_id');
    expect(validate.stderr.replace(/\s+/g, ' ')).toContain('The openai_project_key family is listed per project: set project_id.');
    expect(validate.stderr).toContain('Error: Missing managed_ids');
  });
});
