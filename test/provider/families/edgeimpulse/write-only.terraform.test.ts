/**
 * The README's write-only example (Security: "Secrets you choose") with the
 * real terraform: an Edge Impulse key whose value comes from an ephemeral
 * input variable through api_key_wo. The key works at the vendor, and the
 * value is in no plan, state, backup, output or `show -json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorEmulator } from '../../../../src/emulator/server';
import { TerraformWorkspace, expectExit } from '../../../../harness/terraform';
import { codeBlocks } from '../../../docs/markdown';
import { findLeaks } from '../../../support/leaks';
import { rawCall } from '../../../support/raw-http';

const CHOSEN = `ei_chosen_${'w'.repeat(24)}_0001`;
const NEXT = `ei_chosen_${'v'.repeat(24)}_0002`;

const example = codeBlocks('hcl').find((snippet) => snippet.where.startsWith('README.md') && /ephemeral\s*=\s*true/.test(snippet.text));

let emulator: VendorEmulator;
let workspace: TerraformWorkspace;
let baseUrl: string;
let organizationId: number;

const keysAtVendor = () => [...emulator.edgeimpulse.organizations.get(organizationId)!.keys.values()];
const accepted = async (key: string) =>
  (await rawCall('GET', `${baseUrl}/api/organizations/${organizationId}/apikeys`, { headers: { 'x-api-key': key } })).status === 200;

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  const vendor = emulator.describe().vendors.edgeimpulse;
  baseUrl = vendor.baseUrl;
  organizationId = Number(vendor.organizationId);
  expect(example).toBeDefined();
  // The README's configuration, pointed at the emulator's organization.
  const configuration = example!.text.replace(/organization_id\s*=\s*4242/, `organization_id    = ${organizationId}`);
  expect(configuration).not.toBe(example!.text);
  workspace = TerraformWorkspace.create({
    'main.tf': `terraform {\n  required_providers {\n    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }\n  }\n}\nprovider "apikeys" {\n  edgeimpulse_base_url = "${baseUrl}"\n}\n${configuration}`,
  }, { EI_API_KEY: String(vendor.apiKey) });
  workspace.setEnv({ XDG_STATE_HOME: join(workspace.dir, '.state') });
  expectExit(await workspace.terraform(['init']), 0);
});

afterAll(async () => {
  workspace?.dispose();
  await emulator?.stop();
});

test('the chosen value reaches Edge Impulse and works there; Terraform keeps it nowhere', async () => {
  const plan = await workspace.terraform(['plan', '-detailed-exitcode'], { TF_VAR_uploader_key: CHOSEN });
  expectExit(plan, 2);
  expect(plan.stdout).toMatch(/api_key_wo\s+= \(write-only attribute\)/);
  expectExit(await workspace.terraform(['apply', '-auto-approve'], { TF_VAR_uploader_key: CHOSEN }), 0);
  const key = keysAtVendor().find((candidate) => candidate.name === 'uploader')!;
  expect(key.apiKey).toBe(CHOSEN);
  expect(await accepted(CHOSEN)).toBe(true);
  expect(workspace.attributes('apikeys_edgeimpulse_organization_key', 'uploader')).toMatchObject({ id: String(key.id), api_key_wo: null, secret: null, encrypted_secret: null });
  // A clean plan needs the variable too (it is declared), and shows nothing to do.
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode'], { TF_VAR_uploader_key: CHOSEN }), 0);
});

test('a new value and version replace the key; neither value is in state, its backup, any output or show -json', async () => {
  workspace.write('main.tf', readFileSync(join(workspace.dir, 'main.tf'), 'utf8').replace(/api_key_wo_version\s*=\s*1/, 'api_key_wo_version = 2'));
  const apply = await workspace.terraform(['apply', '-auto-approve'], { TF_VAR_uploader_key: NEXT });
  expectExit(apply, 0);
  expect(apply.stdout).toContain('1 added, 0 changed, 1 destroyed');
  expect(await accepted(NEXT)).toBe(true);
  expect(await accepted(CHOSEN)).toBe(false);
  const show = await workspace.terraform(['show', '-json']);
  expectExit(show, 0);
  const backup = join(workspace.dir, 'terraform.tfstate.backup');
  expect(existsSync(backup)).toBe(true);
  for (const text of [readFileSync(join(workspace.dir, 'terraform.tfstate'), 'utf8'), readFileSync(backup, 'utf8'), workspace.allOutput()]) {
    expect(findLeaks(text, [CHOSEN, NEXT])).toEqual([]);
  }
});
