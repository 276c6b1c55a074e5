/**
 * apikeys_edgeimpulse_organization_key end to end: the real terraform binary,
 * the provider bundle from this checkout, and the emulator. No mocks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorEmulator } from '../../../../src/emulator/server';
import type { StoredOrganizationKey } from '../../../../src/emulator/vendors/edgeimpulse';
import { findLeaks } from '../../../support/leaks';
import { TerraformWorkspace, expectExit } from '../../../../harness/terraform';

const TYPE = 'apikeys_edgeimpulse_organization_key';
const CUSTOM_KEY = `ei_custom_${'k'.repeat(20)}_write_only_0001`;
const SECOND_CUSTOM_KEY = `ei_custom_${'q'.repeat(20)}_write_only_0002`;

const CONFIG = (baseUrl: string, org: number, otherOrg: number) => `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  edgeimpulse_base_url = "${baseUrl}"
  max_retries          = 1
}
provider "apikeys" {
  alias                   = "other"
  edgeimpulse_base_url    = "${baseUrl}"
  edgeimpulse_api_key_env = "OTHER_EI_API_KEY"
  max_retries             = 1
}
variable "custom_key" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "custom_key_version" {
  type    = number
  default = 1
}
resource "${TYPE}" "ci" {
  organization_id = ${org}
  name            = "ci-deployer"
  role            = "admin"
  ttl_seconds     = 86400
}
resource "${TYPE}" "reader" {
  organization_id = ${org}
  name            = "reader"
  role            = "member"
}
resource "${TYPE}" "custom" {
  organization_id    = ${org}
  name               = "custom"
  role               = "member"
  api_key_wo         = var.custom_key
  api_key_wo_version = var.custom_key_version
}
resource "${TYPE}" "elsewhere" {
  provider        = apikeys.other
  organization_id = ${otherOrg}
  name            = "elsewhere"
  role            = "admin"
}
output "ci_secret" {
  value     = ${TYPE}.ci.secret
  sensitive = true
}
output "reader_secret" {
  value     = ${TYPE}.reader.secret
  sensitive = true
}
output "elsewhere_secret" {
  value     = ${TYPE}.elsewhere.secret
  sensitive = true
}
`;

describe(`${TYPE} with the real terraform binary`, () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let org: number;
  let otherOrg: number;
  const revoked: string[] = [];

  const allKeys = (): StoredOrganizationKey[] => [...emulator.edgeimpulse.organizations.values()].flatMap((o) => [...o.keys.values()]);
  const keyByName = (name: string) => allKeys().find((key) => key.name === name);
  // Every key value the vendor ever held (bootstrap keys excepted: they are credentials, checked separately).
  const createdSecrets = () => [...allKeys().filter((key) => !key.name.startsWith('emulator bootstrap')).map((key) => key.apiKey), ...revoked, CUSTOM_KEY, SECOND_CUSTOM_KEY];
  const revokeOutOfBand = (key: StoredOrganizationKey) => {
    revoked.push(key.apiKey);
    emulator.edgeimpulse.revokeKey(key.organizationId, key.id);
  };
  const stateText = () => readFileSync(join(workspace.dir, 'terraform.tfstate'), 'utf8');

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const described = emulator.describe().vendors.edgeimpulse;
    org = Number(described.organizationId);
    const other = emulator.edgeimpulse.addOrganization({ name: 'second org' });
    otherOrg = other.id;
    workspace = TerraformWorkspace.create({ 'main.tf': CONFIG(described.baseUrl, org, otherOrg) }, {
      EI_API_KEY: String(described.apiKey), OTHER_EI_API_KEY: other.bootstrapApiKey, TF_VAR_custom_key: CUSTOM_KEY,
    });
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  test('init installs the provider offline', async () => {
    expectExit(await workspace.terraform(['init']), 0);
  });

  test('plan shows secrets as (sensitive value), the write-only key as write-only, and writes nothing', async () => {
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/secret\s+= \(sensitive value\)/);
    expect(plan.stdout).toMatch(/api_key_wo\s+= \(write-only attribute\)/);
    expect(plan.stdout).toContain('Plan: 4 to add, 0 to change, 0 to destroy.');
    expect(emulator.requestsTo('edgeimpulse', 'POST')).toHaveLength(0);
  });

  test('apply stores each generated secret in state, and never the write-only key', async () => {
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(apply.stdout).toMatch(/ci_secret = <sensitive>/);

    const ci = workspace.attributes(TYPE, 'ci');
    const stored = keyByName('ci-deployer')!;
    expect(ci).toMatchObject({
      id: String(stored.id), organization_id: org, name: 'ci-deployer', role: 'admin', ttl_seconds: 86400,
      secret: stored.apiKey, redacted_value: `${stored.apiKey.slice(0, 7)}…`, api_key_wo: null,
    });
    expect(Date.parse(ci.expires_at as string) - Date.parse(ci.created_at as string)).toBe(86_400_000);
    expect(workspace.state().outputs.ci_secret).toMatchObject({ value: stored.apiKey, sensitive: true });

    const elsewhere = workspace.attributes(TYPE, 'elsewhere');
    expect(elsewhere).toMatchObject({ organization_id: otherOrg, secret: keyByName('elsewhere')!.apiKey });
    expect(emulator.edgeimpulse.findKey(otherOrg, Number(elsewhere.id))).toBeDefined();

    const custom = workspace.attributes(TYPE, 'custom');
    expect(keyByName('custom')!.apiKey).toBe(CUSTOM_KEY);
    expect(custom).toMatchObject({ role: 'member', api_key_wo: null, api_key_wo_version: 1, secret: null, redacted_value: `${CUSTOM_KEY.slice(0, 7)}…` });
    expect(stateText()).not.toContain(CUSTOM_KEY);
    expect(findLeaks(workspace.allOutput(), createdSecrets())).toEqual([]);
  });

  test('the write-only key is in neither a saved plan, its JSON, nor terraform show -json', async () => {
    const planned = await workspace.terraform(['plan', '-out=tfplan', '-var=custom_key_version=2']);
    expectExit(planned, 0);
    expect(planned.stdout).toMatch(new RegExp(`${TYPE}\\.custom must be replaced`));
    expect(planned.stdout).toMatch(/api_key_wo_version\s+= 1 -> 2 # forces replacement/);
    const planJson = await workspace.terraform(['show', '-json', 'tfplan']);
    expectExit(planJson, 0);
    expect(planJson.stdout).toContain('"api_key_wo"');
    const stateJson = await workspace.terraform(['show', '-json']);
    expectExit(stateJson, 0);
    expect(JSON.parse(stateJson.stdout).values.root_module.resources.find((r: { name: string }) => r.name === 'custom').values.api_key_wo).toBeNull();
    const planFile = readFileSync(join(workspace.dir, 'tfplan'));
    expect(findLeaks(planJson.stdout + stateJson.stdout + planFile.toString('latin1'), [CUSTOM_KEY])).toEqual([]);
    // show -json prints the generated secrets of the state in clear, by Terraform's design: keep them out of the leak checks.
    workspace.outputs.splice(-2);
  });

  test('changing api_key_wo_version replaces the key with the current write-only value', async () => {
    const oldKey = keyByName('custom')!;
    const apply = await workspace.terraform(['apply', '-auto-approve', '-var=custom_key_version=2'], { TF_VAR_custom_key: SECOND_CUSTOM_KEY });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('Apply complete! Resources: 1 added, 0 changed, 1 destroyed.');
    expect(emulator.edgeimpulse.findKey(org, oldKey.id)).toBeUndefined();
    revoked.push(oldKey.apiKey);
    expect(keyByName('custom')!.apiKey).toBe(SECOND_CUSTOM_KEY);
    expect(workspace.attributes(TYPE, 'custom')).toMatchObject({ api_key_wo: null, api_key_wo_version: 2, secret: null });
    expect(stateText()).not.toContain(SECOND_CUSTOM_KEY);
    workspace.write('versions.auto.tfvars', 'custom_key_version = 2\n');
    workspace.setEnv({ TF_VAR_custom_key: SECOND_CUSTOM_KEY });
  });

  test('a clean plan lists each organization exactly once and never asks for a key by id', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    const gets = emulator.requestsTo('edgeimpulse', 'GET');
    expect(gets.map((record) => record.path).sort()).toEqual([
      `/edgeimpulse/v1/api/organizations/${org}/apikeys`, `/edgeimpulse/v1/api/organizations/${otherOrg}/apikeys`,
    ].sort());
    expect(emulator.requestsTo('edgeimpulse').filter((record) => /\/apikeys\/\d+/.test(record.path))).toHaveLength(0);
  });

  test('a key revoked outside Terraform shows as deleted; -detailed-exitcode exits 2; apply heals it', async () => {
    revokeOutOfBand(keyByName('reader')!);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(new RegExp(`${TYPE}\\.reader has been deleted`));
    expect(plan.stdout).toMatch(new RegExp(`${TYPE}\\.reader will be created`));
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(workspace.attributes(TYPE, 'reader').secret).toBe(keyByName('reader')!.apiKey);
  });

  test('a role changed in Studio shows as a replacement', async () => {
    keyByName('reader')!.role = 'admin';
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(new RegExp(`${TYPE}\\.reader must be replaced`));
    expect(plan.stdout).toMatch(/"admin" -> "member" # forces replacement/);
    keyByName('reader')!.role = 'member';
  });

  test('last use is refreshed from the listing', async () => {
    const ci = keyByName('ci-deployer')!;
    ci.lastUsed = { date: Date.parse('2026-01-02T03:04:05.000Z'), country: 'Netherlands', ipAddress: '192.0.2.7' };
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0); // a use is not drift
    expectExit(await workspace.terraform(['apply', '-refresh-only', '-auto-approve']), 0);
    expect(workspace.attributes(TYPE, 'ci')).toMatchObject({
      last_used_at: '2026-01-02T03:04:05.000Z', last_used_country: 'Netherlands', last_used_ip: '192.0.2.7', secret: ci.apiKey,
    });
  });

  test('import adopts an existing key by <organization_id>/<key_id>, without a secret', async () => {
    const legacy = emulator.edgeimpulse.addKey(org, { name: 'legacy', role: 'member', ttlSeconds: 3600 });
    workspace.write('legacy.tf', `resource "${TYPE}" "legacy" {\n  organization_id = ${org}\n  name = "legacy"\n  role = "member"\n  ttl_seconds = 3600\n}\n`);
    expectExit(await workspace.terraform(['import', `${TYPE}.legacy`, `${org}/${legacy.id}`]), 0);
    expect(workspace.attributes(TYPE, 'legacy')).toMatchObject({
      id: String(legacy.id), organization_id: org, name: 'legacy', role: 'member', ttl_seconds: 3600, secret: null,
      created_at: new Date(legacy.created).toISOString(),
    });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('import rejects a malformed id and a key that does not exist', async () => {
    workspace.write('ghost.tf', `resource "${TYPE}" "ghost" {\n  organization_id = ${org}\n  name = "ghost"\n  role = "admin"\n}\n`);
    try {
      await expectImportFailures();
    } finally {
      workspace.write('ghost.tf', '');
    }
  });

  async function expectImportFailures(): Promise<void> {
    const malformed = await workspace.terraform(['import', `${TYPE}.ghost`, '12345']);
    expect(malformed.exitCode).toBe(1);
    expect(malformed.stderr.replace(/\s+/g, ' ')).toContain('"12345" is not an Edge Impulse organization key import id. Use <organization_id>/<key_id>');
    const missing = await workspace.terraform(['import', `${TYPE}.ghost`, `${org}/99999999`]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/non-existent remote object/i);
  }

  test.each(['http-status', 'success-false'] as const)('a bad API key fails the plan with a clear diagnostic and changes nothing (%s)', async (style) => {
    emulator.edgeimpulse.configure({ authErrors: style });
    emulator.requests.length = 0;
    const wrongKey = 'ei_not_the_right_key_0123456789abcdef';
    const plan = await workspace.terraform(['plan'], { EI_API_KEY: wrongKey });
    emulator.edgeimpulse.configure({ authErrors: 'http-status' });
    expect(plan.exitCode).toBe(1);
    const message = plan.stderr.replace(/\s+/g, ' ');
    expect(message).toContain(`Edge Impulse rejected the API key in EI_API_KEY with ${style === 'http-status' ? 'HTTP 401' : 'an error in its answer'} ` +
      `when asked to list organization API keys for organization ${org}: Invalid API key`);
    expect(message).toContain(style === 'http-status' ? 'Fix or rotate the credential: EI_API_KEY must hold a working API key' : `Check the API key in EI_API_KEY: it must be valid and belong to organization ${org}`);
    expect(message).not.toContain('pply again');
    expect(plan.stderr).not.toContain(wrongKey);
    expect(emulator.requestsTo('edgeimpulse').filter((record) => record.method !== 'GET')).toHaveLength(0);
  });

  test('a member-role credential can plan but its create is refused with 403', async () => {
    const member = emulator.edgeimpulse.addKey(org, { name: 'member credential', role: 'member' });
    workspace.write('new.tf', `resource "${TYPE}" "new" {\n  organization_id = ${org}\n  name = "new"\n  role = "member"\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve', `-target=${TYPE}.new`], { EI_API_KEY: member.apiKey });
    workspace.write('new.tf', '');
    emulator.edgeimpulse.revokeKey(org, member.id);
    revoked.push(member.apiKey);
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr.replace(/\s+/g, ' ')).toContain(`Edge Impulse rejected the API key in EI_API_KEY with HTTP 403 when asked to add organization API key for organization ${org}: This API key has the member role`);
    expect(apply.stderr.replace(/\s+/g, ' ')).toContain(`give it the role this needs there, or put an API key of organization ${org} in EI_API_KEY`);
    expect(keyByName('new')).toBeUndefined();
  });

  test('no API key at all fails before any vendor call, naming the setting', async () => {
    emulator.requests.length = 0;
    expectExit(await workspace.terraform(['plan', '-refresh=false', '-detailed-exitcode'], { EI_API_KEY: '' }), 0);
    workspace.write('new.tf', `resource "${TYPE}" "new" {\n  organization_id = ${org}\n  name = "new"\n  role = "admin"\n}\n`);
    const failing = await workspace.terraform(['plan', '-refresh=false'], { EI_API_KEY: '' });
    workspace.write('new.tf', '');
    expect(failing.exitCode).toBe(1);
    const message = failing.stderr.replace(/\s+/g, ' ');
    expect(message).toContain(`Cannot plan Edge Impulse organization key "new" (organization ${org})`);
    expect(message).toContain('no Edge Impulse organization API key (ei_...) is configured');
    expect(message).toContain('Set provider attribute edgeimpulse_api_key or environment variable EI_API_KEY');
    expect(emulator.requests).toHaveLength(0);
  });

  test('invalid arguments are rejected at validate time, naming each attribute, without echoing the key', async () => {
    const badKey = 'ei_too_short_secret';
    workspace.write('bad.tf', [
      `resource "${TYPE}" "bad" {`, '  organization_id = 0', '  name = " "', '  role = "owner"', '  ttl_seconds = 1.5', `  api_key_wo = "${badKey}"`, '}',
      `resource "${TYPE}" "prefix" {`, `  organization_id = ${org}`, '  name = "prefix"', '  role = "admin"', `  api_key_wo = "xx_${'a'.repeat(40)}"`, '  api_key_wo_version = 1', '}', '',
    ].join('\n'));
    emulator.requests.length = 0;
    const validate = await workspace.terraform(['validate']);
    workspace.write('bad.tf', '');
    expect(validate.exitCode).toBe(1);
    const message = validate.stderr.replace(/\s+/g, ' ');
    expect(message).toContain('Invalid organization_id');
    expect(message).toContain('Invalid name');
    expect(message).toContain('Invalid role');
    expect(message).toContain('must be one of "admin", "member" (got "owner")');
    expect(message).toContain('Invalid ttl_seconds');
    expect(message).toContain('must be a number of seconds: a whole number, at least 1 (got 1.5).');
    expect(message).toContain('must be an Edge Impulse organization id: a whole number, at least 1 (got 0).');
    expect(message).toContain('Invalid api_key_wo');
    expect(message).toContain('Edge Impulse requires a caller-supplied key to be at least 32 characters long');
    expect(message).toContain('Edge Impulse requires a caller-supplied key to start with "ei_".');
    // A key-shaped value is reported without its attribute path, so Terraform never quotes its source line;
    // the provider's own messages never repeat it either. A value that is not key-shaped keeps its line.
    expect(validate.stderr).toMatch(new RegExp(`with ${TYPE}\\.bad,\\s*\\nEdge Impulse requires a caller-supplied key to be at least 32`));
    expect(validate.stderr).not.toContain(badKey);
    expect(validate.stderr).toMatch(/12:\s+api_key_wo = "xx_a+"/);
    expect(emulator.requests).toHaveLength(0);
  });

  test('a bad write-only key from a variable is rejected at plan, before any vendor call', async () => {
    emulator.requests.length = 0;
    const plan = await workspace.terraform(['plan', '-refresh=false'], { TF_VAR_custom_key: 'ei_short' });
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain('Invalid api_key_wo');
    expect(plan.stderr).not.toContain('ei_short');
    expect(emulator.requestsTo('edgeimpulse', 'POST')).toHaveLength(0);
  });

  test.each(['success-false', 'http-status'] as const)('a vendor validation error surfaces clearly (%s)', async (style) => {
    emulator.edgeimpulse.configure({ validationErrors: style });
    // The custom key already belongs to the "custom" key, so Edge Impulse refuses it.
    workspace.write('dup.tf', `resource "${TYPE}" "dup" {\n  organization_id = ${org}\n  name = "dup"\n  role = "member"\n  api_key_wo = var.custom_key\n  api_key_wo_version = 1\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve', `-target=${TYPE}.dup`]);
    workspace.write('dup.tf', '');
    emulator.edgeimpulse.configure({ validationErrors: 'success-false' });
    expect(apply.exitCode).toBe(1);
    const message = apply.stderr.replace(/\s+/g, ' ');
    expect(message).toContain('Could not create Edge Impulse organization key "dup"');
    expect(message).toContain(`Edge Impulse rejected "add organization API key" with HTTP ${style === 'http-status' ? 400 : 200}: This API key already exists`);
    expect(keyByName('dup')).toBeUndefined();
    expect(workspace.state().resources.find((resource) => resource.name === 'dup')).toBeUndefined();
  });

  test('a create whose answer is lost: the key that appears carries the value the provider chose, and is kept with it', async () => {
    emulator.requests.length = 0;
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'drop-response' } });
    workspace.write('lost.tf', `resource "${TYPE}" "lost" {\n  organization_id = ${org}\n  name = "lost-answer"\n  role = "admin"\n}\n`);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(emulator.requestsTo('edgeimpulse', 'POST')).toHaveLength(1);
    expect(emulator.requestsTo('edgeimpulse', 'DELETE')).toHaveLength(0);
    const made = keyByName('lost-answer')!;
    expect(workspace.attributes(TYPE, 'lost')).toMatchObject({ id: String(made.id), secret: made.apiKey });
    const output = (apply.stdout + apply.stderr).replace(/[\s│]+/g, ' ');
    expect(output).toContain(`Recovered Edge Impulse organization key "lost-answer" in organization ${org} from a lost answer`);
    workspace.write('lost.tf', '');
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  test('TF_LOG=trace output holds no secret and no credential', async () => {
    const plan = await workspace.terraform(['plan'], { TF_LOG: 'trace' });
    expectExit(plan, 0);
    expect(plan.stderr.length).toBeGreaterThan(10_000);
    expect(plan.stderr).toMatch(/rpc=ReadResource/);
    const credentials = [...emulator.edgeimpulse.organizations.values()].map((o) => o.bootstrapApiKey);
    expect(findLeaks(plan.stdout + plan.stderr, [...createdSecrets(), ...credentials])).toEqual([]);
  });

  test.each(['success-false', 'http-status'] as const)('destroying a key already revoked at the vendor counts as done (%s)', async (style) => {
    emulator.edgeimpulse.configure({ validationErrors: style });
    const target = style === 'success-false' ? 'reader' : 'legacy';
    const key = emulator.edgeimpulse.findKey(org, Number(workspace.attributes(TYPE, target).id))!;
    revokeOutOfBand(key);
    emulator.requests.length = 0;
    const destroy = await workspace.terraform(['destroy', '-auto-approve', '-refresh=false', `-target=${TYPE}.${target}`]);
    emulator.edgeimpulse.configure({ validationErrors: 'success-false' });
    expectExit(destroy, 0);
    expect(emulator.requestsTo('edgeimpulse', 'DELETE').map((record) => record.status)).toEqual([style === 'http-status' ? 404 : 200]);
    expect(workspace.state().resources.find((resource) => resource.name === target)).toBeUndefined();
  });

  test('destroy revokes every key at the vendor and leaks nothing', async () => {
    workspace.write('legacy.tf', '');
    const destroy = await workspace.terraform(['destroy', '-auto-approve']);
    expectExit(destroy, 0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 3 destroyed.');
    expect(allKeys().map((key) => key.name)).toEqual(['emulator bootstrap admin key', 'emulator bootstrap admin key']);
    expect(findLeaks(workspace.allOutput(), createdSecrets())).toEqual([]);
    expect(stateText()).not.toContain(SECOND_CUSTOM_KEY);
  });
});
