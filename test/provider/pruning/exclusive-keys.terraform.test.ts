/**
 * Opt-in pruning with the real terraform binary, for every family: keys made
 * out of band (as a person would in a console) are named by the plan and
 * revoked by its apply, exactly those; declared, ignored, young and
 * credential keys stay; a key made between plan and apply waits for the next
 * plan; a plan over the limit fails; a second plan is clean.
 */
import { VendorEmulator } from '../../../src/emulator/server';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';
import { emulatorCredentials } from '../../support/emulator-credentials';

const HEADER = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
`;

let emulator: VendorEmulator;
let workspace: TerraformWorkspace;
let ids: { project: string; eiOrg: number; atlasOrg: string };
const HOURS_AGO = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** The scopes pruned, each with its family, its scope argument and its declared key's resource. */
const SCOPES = () => [
  { name: 'admin', family: 'openai_admin_key', scope: '', resource: 'apikeys_openai_admin_key.declared' },
  { name: 'project', family: 'openai_project_key', scope: `project_id = "${ids.project}"`, resource: 'apikeys_openai_project_key.declared' },
  { name: 'edge', family: 'edgeimpulse_organization_key', scope: `organization_id = "${ids.eiOrg}"`, resource: 'apikeys_edgeimpulse_organization_key.declared' },
  { name: 'atlas', family: 'atlas_organization_key', scope: `organization_id = "${ids.atlasOrg}"`, resource: 'apikeys_atlas_organization_key.declared' },
];

function configuration(options: { limits?: Record<string, number>; minAge?: Record<string, string> } = {}): string {
  const vendors = emulator.describe().vendors;
  const pruning = SCOPES().map(({ name, family, scope, resource }) => `
resource "apikeys_exclusive_keys" "${name}" {
  family         = "${family}"
  ${scope}
  managed_ids    = [${resource}.id, try(${resource}.previous_key.id, "")]
  declared_names = ["declared"]
  ignore         = ["keep-me"]
  min_age        = "${options.minAge?.[name] ?? '0s'}"
  ${options.limits?.[name] === undefined ? '' : `limit = ${options.limits[name]}`}
}`).join('\n');
  return `${HEADER}provider "apikeys" {
  openai_base_url      = "${vendors.openai.baseUrl}"
  edgeimpulse_base_url = "${vendors.edgeimpulse.baseUrl}"
  atlas_base_url       = "${vendors.atlas.baseUrl}"
}
resource "apikeys_openai_admin_key" "declared" {
  name = "declared"
}
resource "apikeys_openai_project_key" "declared" {
  project_id = "${ids.project}"
  name       = "declared"
}
resource "apikeys_edgeimpulse_organization_key" "declared" {
  organization_id = ${ids.eiOrg}
  name            = "declared"
  role            = "member"
}
resource "apikeys_atlas_organization_key" "declared" {
  organization_id = "${ids.atlasOrg}"
  description     = "declared"
  roles           = ["ORG_READ_ONLY"]
}
${pruning}
`;
}

/** Keys made in each vendor's console: the same name in every scope. */
function addConsoleKeys(name: string, created = HOURS_AGO(2)): string[] {
  const admin = emulator.openai.addAdminKey(name);
  emulator.openai.defaultOrganization.setAdminKeyTimes(admin.id, { created });
  const user = emulator.openai.projects.addUserKey(ids.project, { name });
  emulator.openai.projects.setKeyTimes(ids.project, user.id, { created });
  const edge = emulator.edgeimpulse.addKey(ids.eiOrg, { name, role: 'member' });
  emulator.edgeimpulse.setKeyTimes(ids.eiOrg, edge.id, { created });
  const atlas = emulator.atlas.addKey(ids.atlasOrg, { desc: name, roles: ['ORG_READ_ONLY'], created });
  return [admin.id, user.id, String(edge.id), atlas.id];
}

/** Every key id the vendors hold now. */
function vendorKeyIds(): Set<string> {
  return new Set([
    ...emulator.openai.adminKeys.all().map((key) => key.id),
    ...emulator.openai.projects.keys().all().map((key) => key.id),
    ...[...emulator.edgeimpulse.organizations.values()].flatMap((org) => [...org.keys.values()].map((key) => String(key.id))),
    ...emulator.atlas.organizations.flatMap((org) => org.keys.all().map((key) => key.id)),
  ]);
}

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  const vendors = emulator.describe().vendors;
  ids = { project: String(vendors.openai.projectId), eiOrg: Number(vendors.edgeimpulse.organizationId), atlasOrg: String(vendors.atlas.orgId) };
  workspace = TerraformWorkspace.create({ 'main.tf': HEADER }, emulatorCredentials(emulator));
  expectExit(await workspace.terraform(['init']), 0);
});

afterAll(async () => {
  workspace?.dispose();
  await emulator?.stop();
});

test('the plan names the undeclared keys and the apply revokes exactly those, in every family', async () => {
  workspace.write('main.tf', configuration());
  const first = await workspace.terraform(['apply', '-auto-approve']);
  expectExit(first, 0);
  expect(first.stdout + first.stderr).toContain('starts with the next plan');
  // The credential keys (the emulator's bootstrap keys) are never undeclared: a clean plan.
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);

  const rogue = addConsoleKeys('made-in-console');
  const kept = addConsoleKeys('keep-me');
  const declaredName = addConsoleKeys('declared'); // an orphan to import: kept
  const plan = await workspace.terraform(['plan', '-detailed-exitcode', '-out=prune.tfplan']);
  expectExit(plan, 2);
  expect(plan.stdout).toMatch(/Plan: 0 to add, 4 to change, 0 to destroy/);
  for (const id of rogue) expect(plan.stdout).toContain(id);
  for (const id of [...kept, ...declaredName]) expect(plan.stdout + plan.stderr).not.toContain(id);
  expect((plan.stdout + plan.stderr).replace(/[\s│]+/g, ' ')).toMatch(/Revoking 1 undeclared key of OpenAI organization \(admin keys\)/);

  // A key made between the plan and its apply waits for the next plan.
  const late = addConsoleKeys('made-after-the-plan');
  expectExit(await workspace.terraform(['apply', 'prune.tfplan']), 0);
  const now = vendorKeyIds();
  for (const id of rogue) expect(now.has(id)).toBe(false);
  for (const id of [...kept, ...declaredName, ...late]) expect(now.has(id)).toBe(true);
  for (const scope of SCOPES()) expect(workspace.attributes('apikeys_exclusive_keys', scope.name).pruned).toHaveLength(1);

  const next = await workspace.terraform(['plan', '-detailed-exitcode', '-out=late.tfplan']);
  expectExit(next, 2);
  for (const id of late) expect(next.stdout).toContain(id);
  expectExit(await workspace.terraform(['apply', 'late.tfplan']), 0);
  for (const id of late) expect(vendorKeyIds().has(id)).toBe(false);
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);

  // The credential each connection authenticates with was never touched.
  expect(vendorKeyIds().has(emulator.openai.adminKeys.all().find((key) => key.name === 'emulator bootstrap admin key')!.id)).toBe(true);
  expect([...emulator.edgeimpulse.defaultOrganization.keys.values()].map((key) => key.name)).toContain('emulator bootstrap admin key');
  expect(emulator.atlas.organization(ids.atlasOrg)!.keys.all().map((key) => key.desc)).toContain('emulator bootstrap key');
}, 240_000);

test('a plan over the limit fails naming the count, and a key younger than min_age is left alone', async () => {
  const twice = [...addConsoleKeys('rogue-one'), ...addConsoleKeys('rogue-two')];
  workspace.write('main.tf', configuration({ limits: { edge: 1 } }));
  const over = await workspace.terraform(['plan']);
  expect(over.exitCode).toBe(1);
  const message = over.stderr.replace(/[\s│]+/g, ' ');
  expect(message).toMatch(/Edge Impulse organization \d+ has 2 undeclared keys to revoke, more than the limit of 1 per apply/);
  expect(message).toContain('raise limit to 2');
  for (const id of twice) expect(vendorKeyIds().has(id)).toBe(true);

  workspace.write('main.tf', configuration({ minAge: { admin: '1h', project: '1h', edge: '1h', atlas: '1h' } }));
  const young = addConsoleKeys('just-made', new Date());
  expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  const after = vendorKeyIds();
  for (const id of twice) expect(after.has(id)).toBe(false); // two hours old: pruned
  for (const id of young) expect(after.has(id)).toBe(true); // made just now: kept
}, 240_000);
