/**
 * apikeys_openai_admin_key end to end: the real terraform binary, the
 * provider bundle from this checkout, and the emulator. No mocks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorEmulator } from '../../../../src/emulator/server';
import { findLeaks } from '../../../support/leaks';
import { TerraformWorkspace, expectExit } from '../../../../harness/terraform';

const CONFIG = (baseUrl: string, extra = '') => `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  openai_base_url = "${baseUrl}"
  max_retries     = 1
}
resource "apikeys_openai_admin_key" "ci" {
  name               = "ci-deployer"
  expires_in_seconds = 86400
}
resource "apikeys_openai_admin_key" "ops" {
  name = "ops"
}
output "ci_secret" {
  value     = apikeys_openai_admin_key.ci.secret
  sensitive = true
}
output "ops_secret" {
  value     = apikeys_openai_admin_key.ops.secret
  sensitive = true
}
${extra}`;

describe('apikeys_openai_admin_key with the real terraform binary', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let baseUrl: string;

  const keyByName = (name: string) => emulator.openai.adminKeys.all().find((key) => key.name === name);
  const createdSecrets = () => emulator.openai.adminKeys.all().map((key) => key.value);

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const openai = emulator.describe().vendors.openai;
    baseUrl = openai.baseUrl;
    workspace = TerraformWorkspace.create({ 'main.tf': CONFIG(baseUrl) }, { OPENAI_ADMIN_KEY: String(openai.adminKey) });
    workspace.setEnv({ XDG_STATE_HOME: join(workspace.dir, '.state') }); // the provider's journal of unconfirmed keys stays in the scratch directory
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
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    expect(emulator.requestsTo('openai', 'POST')).toHaveLength(0);
  });

  test('apply stores each one-time secret in state and prints outputs as <sensitive>', async () => {
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(apply.stdout).toMatch(/ci_secret = <sensitive>/);

    const ci = workspace.attributes('apikeys_openai_admin_key', 'ci');
    const stored = keyByName('ci-deployer')!;
    expect(ci.id).toBe(stored.id);
    expect(ci.secret).toBe(stored.value);
    expect(ci.redacted_value).toBe(`${stored.value.slice(0, 8)}...${stored.value.slice(-3)}`);
    expect(ci.expires_at).toBe((ci.created_at as number) + 86400);
    expect(workspace.state().outputs.ci_secret).toMatchObject({ value: stored.value, sensitive: true });
    expect(findLeaks(workspace.allOutput(), createdSecrets())).toEqual([]);
  });

  test('a clean plan lists the organization once and never GETs a key by id', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    const gets = emulator.requestsTo('openai', 'GET');
    expect(gets.filter((record) => record.path.endsWith('/admin_api_keys'))).toHaveLength(1);
    expect(gets.filter((record) => /\/admin_api_keys\/key_/.test(record.path))).toHaveLength(0);
  });

  test('a key revoked outside Terraform shows as deleted and to be created; -detailed-exitcode exits 2', async () => {
    emulator.openai.adminKeys.delete(keyByName('ops')!.id);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/apikeys_openai_admin_key\.ops has been deleted/);
    expect(plan.stdout).toMatch(/apikeys_openai_admin_key\.ops will be created/);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(workspace.attributes('apikeys_openai_admin_key', 'ops').secret).toBe(keyByName('ops')!.value);
  });

  test('a name changed at the vendor shows as a replacement (OpenAI cannot rename keys)', async () => {
    keyByName('ops')!.name = 'renamed-in-dashboard';
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/apikeys_openai_admin_key\.ops must be replaced/);
    expect(plan.stdout).toMatch(/"renamed-in-dashboard" -> "ops" # forces replacement/);
    keyByName('renamed-in-dashboard')!.name = 'ops';
  });

  test('import adopts an existing key without a secret', async () => {
    const legacy = emulator.openai.addAdminKey('legacy', 3600);
    workspace.write('legacy.tf', 'resource "apikeys_openai_admin_key" "legacy" {\n  name = "legacy"\n  expires_in_seconds = 3600\n}\n');
    expectExit(await workspace.terraform(['import', 'apikeys_openai_admin_key.legacy', legacy.id]), 0);
    const imported = workspace.attributes('apikeys_openai_admin_key', 'legacy');
    expect(imported).toMatchObject({ id: legacy.id, name: 'legacy', secret: null, expires_in_seconds: 3600, created_at: legacy.created_at });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('import rejects a malformed id and a key that does not exist', async () => {
    workspace.write('ghost.tf', 'resource "apikeys_openai_admin_key" "ghost" {\n  name = "ghost"\n}\n');
    const malformed = await workspace.terraform(['import', 'apikeys_openai_admin_key.ghost', 'not-a-key']);
    expect(malformed.exitCode).toBe(1);
    expect(malformed.stderr).toContain('is not an OpenAI admin key id');
    const missing = await workspace.terraform(['import', 'apikeys_openai_admin_key.ghost', 'key_doesnotexist']);
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
    const plan = await workspace.terraform(['plan', '-refresh=false', '-detailed-exitcode'], { OPENAI_ADMIN_KEY: '' });
    expectExit(plan, 0); // nothing to change, so nothing needs the key
    workspace.write('new.tf', 'resource "apikeys_openai_admin_key" "new" {\n  name = "new"\n}\n');
    const failing = await workspace.terraform(['plan', '-refresh=false'], { OPENAI_ADMIN_KEY: '' });
    workspace.write('new.tf', '');
    expect(failing.exitCode).toBe(1);
    const message = failing.stderr.replace(/\s+/g, ' ');
    expect(message).toContain('Cannot plan OpenAI admin key "new"');
    expect(message).toContain('no OpenAI organization admin key (sk-admin-...) is configured');
    expect(message).toContain('Set provider attribute openai_admin_key or environment variable OPENAI_ADMIN_KEY');
    expect(emulator.requests).toHaveLength(0);
  });

  test('invalid arguments are rejected at validate time, naming the attribute', async () => {
    workspace.write('bad.tf', 'resource "apikeys_openai_admin_key" "bad" {\n  name = " "\n  expires_in_seconds = 99999999999\n}\n');
    const validate = await workspace.terraform(['validate']);
    workspace.write('bad.tf', '');
    expect(validate.exitCode).toBe(1);
    expect(validate.stderr).toContain('Invalid expires_in_seconds');
    expect(validate.stderr).toContain('must be a whole number from 1 to 31536000 seconds');
    expect(validate.stderr).toContain('Invalid name');
    expect(validate.stderr).toMatch(/with apikeys_openai_admin_key\.bad,\n\s+on bad\.tf line 3/);
  });

  test('a create whose answer is lost: the key OpenAI made is revoked, the create is sent once more, and a warning names the revoked key', async () => {
    emulator.requests.length = 0;
    emulator.faults.inject({ vendor: 'openai', method: 'POST', action: { kind: 'drop-response' } });
    workspace.write('lost.tf', 'resource "apikeys_openai_admin_key" "lost" {\n  name = "lost-answer"\n}\n');
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(emulator.requestsTo('openai', 'POST').map((record) => record.status)).toEqual(['dropped', 200]);
    const deletes = emulator.requestsTo('openai', 'DELETE');
    expect(deletes).toHaveLength(1);
    const revokedId = deletes[0].path.split('/').pop()!;
    const [kept] = emulator.openai.adminKeys.all().filter((key) => key.name === 'lost-answer');
    expect(emulator.openai.adminKeys.all().filter((key) => key.name === 'lost-answer')).toHaveLength(1);
    expect(workspace.attributes('apikeys_openai_admin_key', 'lost')).toMatchObject({ id: kept.id, secret: kept.value });
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toContain(`Revoked ${revokedId}: the create of OpenAI admin key "lost-answer" made it, but its answer was lost`);
    expect(output).toContain('(attempt 1 of 3)');
    workspace.write('lost.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  test('a vendor that acts after the provider\'s timeout: its key is found by the re-listing, revoked, and the create sent again', async () => {
    emulator.requests.length = 0;
    // The emulator holds the request for 2.5 s and then creates the key, long after the 1 s timeout gave up on the answer.
    emulator.faults.inject({ vendor: 'openai', method: 'POST', action: { kind: 'delay', ms: 2_500 } });
    const impatient = `provider "apikeys" {\n  alias = "impatient"\n  openai_base_url = "${baseUrl}"\n  request_timeout_seconds = 1\n  max_retries = 1\n}\n`;
    workspace.write('lost.tf', `${impatient}resource "apikeys_openai_admin_key" "late" {\n  provider = apikeys.impatient\n  name = "late-vendor"\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    const keys = emulator.openai.adminKeys.all().filter((key) => key.name === 'late-vendor');
    expect(keys).toHaveLength(1);
    expect(workspace.attributes('apikeys_openai_admin_key', 'late')).toMatchObject({ id: keys[0].id, secret: keys[0].value });
    const revoked = emulator.requestsTo('openai', 'DELETE');
    expect(revoked).toHaveLength(1);
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toContain(`Revoked ${revoked[0].path.split('/').pop()}: the create of OpenAI admin key "late-vendor" made it, but its answer was lost`);
    expect(output).toContain('no answer from');
    workspace.write('lost.tf', impatient); // destroying the key needs its provider configuration
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    workspace.write('lost.tf', '');
  });

  test('a plan that creates a key with the name of a key no state tracks says so, with its id and the resource address', async () => {
    const stray = emulator.openai.addAdminKey('namesake');
    workspace.write('lost.tf', 'resource "apikeys_openai_admin_key" "namesake" {\n  name = "namesake"\n}\n');
    const plan = await workspace.terraform(['plan']);
    expectExit(plan, 0);
    const planOutput = (plan.stdout + plan.stderr).replace(/[\s│]+/g, ' ');
    expect(planOutput).toContain('A key named like OpenAI admin key "namesake" already exists');
    expect(planOutput).toContain(`The vendor already lists ${stray.id}`);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toContain('A key named like OpenAI admin key "namesake" already exists');
    expect(output).toContain(`import { to = <that address> id = "${stray.id}" }`);
    expect(output).toContain('with apikeys_openai_admin_key.namesake,');
    emulator.openai.adminKeys.delete(stray.id);
    workspace.write('lost.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  /** What a remote backend that lost the end of an apply leaves: the resource is not in the state. */
  const forgetInState = (name: string) => {
    const path = join(workspace.dir, 'terraform.tfstate');
    const state = JSON.parse(readFileSync(path, 'utf8'));
    state.resources = state.resources.filter((resource: { name: string }) => resource.name !== name);
    state.serial += 1;
    writeFileSync(path, JSON.stringify(state));
  };

  test('a key an earlier apply created but Terraform never saved is revoked by the next apply of that name (journal)', async () => {
    // Stands in for a remote backend that lost the end of an apply: the key exists, no state holds it, no refresh has seen it.
    workspace.write('lost.tf', 'resource "apikeys_openai_admin_key" "unsaved" {\n  name = "unsaved"\n}\n');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    const [first] = emulator.openai.adminKeys.all().filter((key) => key.name === 'unsaved');
    forgetInState('unsaved');
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    const keys = emulator.openai.adminKeys.all().filter((key) => key.name === 'unsaved');
    expect(keys).toHaveLength(1);
    expect(keys[0].id).not.toBe(first.id);
    expect(workspace.attributes('apikeys_openai_admin_key', 'unsaved')).toMatchObject({ id: keys[0].id, secret: keys[0].value });
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toContain(`Revoked ${first.id}: an earlier apply created it for OpenAI admin key "unsaved", but Terraform never saved it`);
    // A refreshed key is confirmed: the same dance after a plan (which refreshes it) revokes nothing.
    expectExit(await workspace.terraform(['plan']), 0);
    forgetInState('unsaved');
    const kept = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(kept, 0);
    expect(emulator.openai.adminKeys.all().filter((key) => key.name === 'unsaved')).toHaveLength(2);
    emulator.openai.adminKeys.delete(keys[0].id);
    workspace.write('lost.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  test('TF_LOG=trace output holds no secret', async () => {
    const plan = await workspace.terraform(['plan'], { TF_LOG: 'trace' });
    expectExit(plan, 0);
    expect(plan.stderr.length).toBeGreaterThan(10_000);
    // go-plugin parses the provider's hclog JSON lines into Terraform's own log format.
    expect(plan.stderr).toMatch(/\[TRACE\] provider\.terraform-provider-apikeys_v0\.1\.0: rpc: .*rpc=ReadResource/);
    expect(findLeaks(plan.stdout + plan.stderr, createdSecrets())).toEqual([]);
  });

  test('destroy revokes every key at the vendor', async () => {
    const before = emulator.openai.adminKeys.size;
    const destroy = await workspace.terraform(['destroy', '-auto-approve']);
    expectExit(destroy, 0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 3 destroyed.');
    expect(emulator.openai.adminKeys.size).toBe(before - 3);
    expect(emulator.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(findLeaks(workspace.allOutput(), createdSecrets())).toEqual([]);
  });
});
