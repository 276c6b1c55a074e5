/**
 * apikeys_openai_project_key end to end: the real terraform binary, the
 * provider bundle from this checkout, and the emulator. No mocks.
 */
import { VendorEmulator } from '../../../../src/emulator/server';
import type { StoredProjectKey } from '../../../../src/emulator/vendors/openai';
import { findLeaks } from '../../../support/leaks';
import { TerraformWorkspace, expectExit } from '../../../../harness/terraform';

const RESOURCE = 'apikeys_openai_project_key';

const CONFIG = (baseUrl: string, projectId: string, otherProjectId: string, opsName = 'ops') => `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  openai_base_url = "${baseUrl}"
  max_retries     = 1
}
resource "${RESOURCE}" "ci" {
  project_id = "${projectId}"
  name       = "ci-deployer"
}
resource "${RESOURCE}" "ops" {
  project_id = "${projectId}"
  name       = "${opsName}"
}
resource "${RESOURCE}" "research" {
  project_id = "${otherProjectId}"
  name       = "notebook"
}
output "ci_secret" {
  value     = ${RESOURCE}.ci.secret
  sensitive = true
}
output "ops_secret" {
  value     = ${RESOURCE}.ops.secret
  sensitive = true
}
`;

describe(`${RESOURCE} with the real terraform binary`, () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let baseUrl: string;
  let projectId: string;
  let otherProjectId: string;

  const projects = () => emulator.openai.projects;
  const accountNamed = (name: string, project = projectId) => projects().serviceAccounts(project).all().find((account) => account.name === name);
  const keyOf = (accountName: string, project = projectId): StoredProjectKey | undefined =>
    projects().keys(project).all().find((key) => key.owner.type === 'service_account' && key.owner.account.name === accountName);
  const allKeyValues = () => projects().projects.all().flatMap((project) => projects().keys(project.id).all().map((key) => key.value));
  const createdSecrets = new Set<string>();
  const rememberSecrets = () => allKeyValues().forEach((value) => createdSecrets.add(value));
  const writeConfig = (opsName?: string) => workspace.write('main.tf', CONFIG(baseUrl, projectId, otherProjectId, opsName));

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const openai = emulator.describe().vendors.openai;
    baseUrl = openai.baseUrl;
    projectId = String(openai.projectId);
    otherProjectId = emulator.openai.projects.createProject('research').id;
    workspace = TerraformWorkspace.create({ 'main.tf': CONFIG(baseUrl, projectId, otherProjectId) }, { OPENAI_ADMIN_KEY: String(openai.adminKey) });
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  test('init installs the provider offline from the implied local mirror', async () => {
    const init = await workspace.terraform(['init']);
    expectExit(init, 0);
    expect(init.stdout).toMatch(/cdktf-apikeys\/apikeys v0\.1\.0/);
  });

  test('plan shows the secret as (sensitive value) and makes no vendor call that writes', async () => {
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/secret\s+= \(sensitive value\)/);
    expect(plan.stdout).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');
    expect(emulator.requestsTo('openai', 'POST')).toHaveLength(0);
  });

  test('apply creates one service account per key, stores its one-time secret, and fills redacted_value', async () => {
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    rememberSecrets();
    expect(apply.stdout).toMatch(/ci_secret = <sensitive>/);

    const ci = workspace.attributes(RESOURCE, 'ci');
    const account = accountNamed('ci-deployer')!;
    const key = keyOf('ci-deployer')!;
    expect(ci).toMatchObject({
      id: key.id, project_id: projectId, name: 'ci-deployer', service_account_id: account.id, secret: key.value,
      redacted_value: `${key.value.slice(0, 8)}...${key.value.slice(-3)}`, created_at: key.created_at, last_used_at: null, owner_type: 'service_account',
    });
    expect(key.value).toMatch(/^sk-svcacct-/);
    expect(workspace.attributes(RESOURCE, 'research')).toMatchObject({ project_id: otherProjectId, secret: keyOf('notebook', otherProjectId)!.value });
    expect(workspace.state().outputs.ci_secret).toMatchObject({ value: key.value, sensitive: true });
    expect(emulator.requestsTo('openai', 'POST', '/service_accounts')).toHaveLength(3);
    expect(findLeaks(workspace.allOutput(), [...createdSecrets])).toEqual([]);
  });

  test('a clean plan lists each project once and never GETs a key or a service account by id', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    const gets = emulator.requestsTo('openai', 'GET');
    expect(gets.filter((record) => record.path.endsWith(`/projects/${projectId}/api_keys`))).toHaveLength(1);
    expect(gets.filter((record) => record.path.endsWith(`/projects/${otherProjectId}/api_keys`))).toHaveLength(1);
    expect(gets.filter((record) => /\/api_keys\/key_|\/service_accounts/.test(record.path))).toHaveLength(0);
    expect(new URLSearchParams(gets[0].query).get('owner_project_access')).toBe('any');
  });

  test('a key revoked outside Terraform (its service account deleted) shows as deleted; -detailed-exitcode exits 2', async () => {
    projects().deleteServiceAccount(projectId, accountNamed('ops')!.id);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/apikeys_openai_project_key\.ops has been deleted/);
    expect(plan.stdout).toMatch(/apikeys_openai_project_key\.ops will be created/);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    rememberSecrets();
    expect(workspace.attributes(RESOURCE, 'ops').secret).toBe(keyOf('ops')!.value);
  });

  test('a service account renamed at the vendor shows as drift, planned as an in-place update', async () => {
    const before = workspace.attributes(RESOURCE, 'ops');
    accountNamed('ops')!.name = 'renamed-in-dashboard';
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/apikeys_openai_project_key\.ops will be updated in-place/);
    expect(plan.stdout).toMatch(/~ name\s+= "renamed-in-dashboard" -> "ops"/);
    expect(plan.stdout).not.toContain('forces replacement');
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');

    emulator.requests.length = 0;
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(accountNamed('ops')!.id).toBe(before.service_account_id);
    expect(emulator.requestsTo('openai', 'POST').map((record) => record.path)).toEqual([`/openai/v1/organization/projects/${projectId}/service_accounts/${before.service_account_id}`]);
    expect(workspace.attributes(RESOURCE, 'ops')).toMatchObject({ id: before.id, secret: before.secret, name: 'ops' });
  });

  test('a rename in the configuration renames the service account in place: same key, same secret', async () => {
    const before = workspace.attributes(RESOURCE, 'ops');
    writeConfig('ops-v2');
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/~ name\s+= "ops" -> "ops-v2"/);
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(projects().serviceAccounts().get(before.service_account_id as string)!.name).toBe('ops-v2');
    expect(workspace.attributes(RESOURCE, 'ops')).toMatchObject({ id: before.id, secret: before.secret, name: 'ops-v2' });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('a key a user made in the dashboard imports without a secret; renaming it is refused at plan; destroying it deletes the key directly', async () => {
    const laptop = projects().addUserKey(projectId, { name: 'laptop', user: { name: 'Ada' } });
    createdSecrets.add(laptop.value);
    workspace.write('laptop.tf', `resource "${RESOURCE}" "laptop" {\n  project_id = "${projectId}"\n  name = "laptop"\n}\n`);
    expectExit(await workspace.terraform(['import', `${RESOURCE}.laptop`, `${projectId}/${laptop.id}`]), 0);
    expect(workspace.attributes(RESOURCE, 'laptop')).toMatchObject({
      id: laptop.id, project_id: projectId, name: 'laptop', service_account_id: null, secret: null, owner_type: 'user', created_at: laptop.created_at,
    });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);

    workspace.write('laptop.tf', `resource "${RESOURCE}" "laptop" {\n  project_id = "${projectId}"\n  name = "laptop-2"\n}\n`);
    const rename = await workspace.terraform(['plan']);
    expect(rename.exitCode).toBe(1);
    expect(rename.stderr.replace(/\s+/g, ' ')).toContain('OpenAI has no API to rename a user\'s key');

    emulator.requests.length = 0;
    workspace.write('laptop.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(projects().keys().get(laptop.id)).toBeUndefined();
    expect(emulator.requestsTo('openai', 'DELETE').map((record) => [record.path, record.status])).toEqual([
      [`/openai/v1/organization/projects/${projectId}/api_keys/${laptop.id}`, 200],
    ]);
  });

  test('a service-account key made elsewhere imports with its service account, and is revoked through it', async () => {
    const { account, key } = projects().createServiceAccount(projectId, 'legacy');
    createdSecrets.add(key!.value);
    workspace.write('legacy.tf', `resource "${RESOURCE}" "legacy" {\n  project_id = "${projectId}"\n  name = "legacy"\n}\n`);
    expectExit(await workspace.terraform(['import', `${RESOURCE}.legacy`, `${projectId}/${key!.id}`]), 0);
    expect(workspace.attributes(RESOURCE, 'legacy')).toMatchObject({ service_account_id: account.id, secret: null, owner_type: 'service_account' });
    emulator.requests.length = 0;
    workspace.write('legacy.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(projects().serviceAccounts().get(account.id)).toBeUndefined();
    expect(emulator.requestsTo('openai', 'DELETE').map((record) => record.path)).toEqual([`/openai/v1/organization/projects/${projectId}/service_accounts/${account.id}`]);
  });

  test('import rejects a malformed id and a key that does not exist', async () => {
    workspace.write('ghost.tf', `resource "${RESOURCE}" "ghost" {\n  project_id = "${projectId}"\n  name = "ghost"\n}\n`);
    const malformed = await workspace.terraform(['import', `${RESOURCE}.ghost`, 'key_abc']);
    expect(malformed.exitCode).toBe(1);
    expect(malformed.stderr).toContain('is not an OpenAI project key import id. Use <project_id>/<key_id>');
    const missing = await workspace.terraform(['import', `${RESOURCE}.ghost`, `${projectId}/key_doesnotexist`]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/non-existent remote object/i);
    workspace.write('ghost.tf', '');
  });

  test('a bad admin key fails the plan with a 401 diagnostic and changes nothing', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan'], { OPENAI_ADMIN_KEY: 'sk-admin-not-the-right-key-at-all' });
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain('HTTP 401');
    expect(plan.stderr.replace(/\s+/g, ' ')).toContain('OpenAI rejected the admin key in OPENAI_ADMIN_KEY with HTTP 401');
    expect(plan.stderr.replace(/\s+/g, ' ')).toContain('Fix or rotate the credential: OPENAI_ADMIN_KEY must hold a working admin key');
    expect(plan.stderr).not.toContain('sk-admin-not-the-right-key-at-all');
    expect(emulator.requestsTo('openai').filter((record) => record.method !== 'GET')).toHaveLength(0);
  });

  test('no admin key at all fails before any vendor call, naming the setting', async () => {
    emulator.requests.length = 0;
    workspace.write('new.tf', `resource "${RESOURCE}" "new" {\n  project_id = "${projectId}"\n  name = "new"\n}\n`);
    const failing = await workspace.terraform(['plan', '-refresh=false'], { OPENAI_ADMIN_KEY: '' });
    workspace.write('new.tf', '');
    expect(failing.exitCode).toBe(1);
    const message = failing.stderr.replace(/\s+/g, ' ');
    expect(message).toContain('Cannot plan OpenAI project key "new"');
    expect(message).toContain('no OpenAI organization admin key (sk-admin-...) is configured');
    expect(message).toContain('Set provider attribute openai_admin_key or environment variable OPENAI_ADMIN_KEY');
    expect(emulator.requests).toHaveLength(0);
  });

  test('invalid arguments are rejected at validate time, naming the attribute', async () => {
    workspace.write('bad.tf', `resource "${RESOURCE}" "bad" {\n  project_id = "project-1"\n  name = " "\n}\n`);
    const validate = await workspace.terraform(['validate']);
    workspace.write('bad.tf', '');
    expect(validate.exitCode).toBe(1);
    expect(validate.stderr).toContain('Invalid project_id');
    expect(validate.stderr.replace(/\s+/g, ' ')).toContain('must be an OpenAI project id such as proj_abc123; project ids are shown in the dashboard\'s project settings (got "project-1")');
    expect(validate.stderr).toContain('Invalid name');
    expect(validate.stderr).toMatch(/with apikeys_openai_project_key\.bad,\n\s+on bad\.tf line 2/);
  });

  test('a failed read of the new key after create keeps the secret, warns, and the next refresh fills redacted_value', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', pathIncludes: '/api_keys/key_', times: 2, action: { kind: 'status', status: 500 } });
    workspace.write('late.tf', `resource "${RESOURCE}" "late" {\n  project_id = "${projectId}"\n  name = "late-details"\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    rememberSecrets();
    expectExit(apply, 0);
    expect(apply.stdout.replace(/\s+/g, ' ')).toContain('could not read its redacted value');
    const key = keyOf('late-details')!;
    expect(workspace.attributes(RESOURCE, 'late')).toMatchObject({ id: key.id, secret: key.value, redacted_value: null });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
    expectExit(await workspace.terraform(['apply', '-refresh-only', '-auto-approve']), 0);
    expect(workspace.attributes(RESOURCE, 'late')).toMatchObject({ secret: key.value, redacted_value: `${key.value.slice(0, 8)}...${key.value.slice(-3)}` });
  });

  test('a create whose answer is lost: the service account OpenAI made is deleted, the create sent once more, with a warning', async () => {
    emulator.requests.length = 0;
    emulator.faults.inject({ vendor: 'openai', method: 'POST', pathIncludes: '/service_accounts', action: { kind: 'drop-response' } });
    workspace.write('lost.tf', `resource "${RESOURCE}" "lost" {\n  project_id = "${projectId}"\n  name = "lost-answer"\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    rememberSecrets();
    expectExit(apply, 0);
    expect(emulator.requestsTo('openai', 'POST', '/service_accounts').map((record) => record.status)).toEqual(['dropped', 200]);
    expect(emulator.requestsTo('openai', 'DELETE', '/service_accounts/')).toHaveLength(1);
    const kept = keyOf('lost-answer')!;
    expect(workspace.attributes(RESOURCE, 'lost')).toMatchObject({ id: kept.id, secret: kept.value });
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toMatch(/Revoked key_\w+: the create of OpenAI project key "lost-answer" in proj_\w+ made it, but its answer was lost/);
    workspace.write('lost.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  test('a 429 during refresh is waited out (Retry-After) and the plan succeeds', async () => {
    // One injected 429, so the outcome does not hang on timing; the token bucket itself is covered in test/emulator.
    emulator.faults.inject({
      vendor: 'openai', method: 'GET', pathIncludes: '/api_keys',
      action: { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } } },
    });
    emulator.requests.length = 0;
    const started = Date.now();
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    const statuses = emulator.requestsTo('openai', 'GET', '/api_keys').map((record) => record.status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  test('TF_LOG=trace output holds no secret', async () => {
    const plan = await workspace.terraform(['plan'], { TF_LOG: 'trace' });
    expectExit(plan, 0);
    expect(plan.stderr.length).toBeGreaterThan(10_000);
    expect(plan.stderr).toMatch(/rpc=ReadResource/);
    expect(findLeaks(plan.stdout + plan.stderr, [...createdSecrets])).toEqual([]);
  });

  test('destroy revokes every key by deleting its service account', async () => {
    emulator.requests.length = 0;
    const destroy = await workspace.terraform(['destroy', '-auto-approve']);
    expectExit(destroy, 0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 4 destroyed.');
    expect(projects().keys(projectId).size).toBe(0);
    expect(projects().keys(otherProjectId).size).toBe(0);
    expect(projects().serviceAccounts(projectId).size).toBe(0);
    const deletes = emulator.requestsTo('openai', 'DELETE');
    expect(deletes).toHaveLength(4);
    expect(deletes.every((record) => record.path.includes('/service_accounts/') && record.status === 200)).toBe(true);
    expect(findLeaks(workspace.allOutput(), [...createdSecrets])).toEqual([]);
  });
});
