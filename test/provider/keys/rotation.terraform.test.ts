/**
 * A full rotation of every family on the real clock, with the
 * real terraform binary: the plan shows the rotation once `every` has passed,
 * the apply makes the new key and keeps the old one as previous_key for the
 * overlap (or revokes it at once with overlap 0s), the next plan after the
 * overlap revokes it, and a saved plan applied later does exactly what it
 * showed. One workspace holds every family, so the minute is waited once.
 * A third key of each family is sealed to an age recipient: Terraform holds
 * only its encrypted_secret, and the rotation seals the new key's secret too.
 */
import { VendorEmulator } from '../../../src/emulator/server';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';
import { ageDecrypt, ageKeygen } from '../../support/age';
import { findLeaks } from '../../support/leaks';
import { emulatorCredentials } from '../../support/emulator-credentials';

const HEADER = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
`;

const FAMILIES = ['apikeys_openai_admin_key', 'apikeys_openai_project_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_atlas_organization_key'] as const;
type Family = (typeof FAMILIES)[number];
/**
 * every = 2m rather than the 1m minimum: the checks that something is not due yet must finish inside a window
 * (the plan after an apply, before `every` or `overlap` ends), and 2m and 1m leave room on a loaded machine.
 */
const EVERY_MS = 120_000;
const OVERLAPS = { kept: '1m', none: '0s' } as const;
/** Per family: kept, none, and sealed (rotated like kept, its secret sealed to an age recipient). */
const KEYS_PER_FAMILY = 3;

let emulator: VendorEmulator;
let workspace: TerraformWorkspace;
let identity: { identityFile: string; recipient: string };

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const resources = () => workspace.state().resources.filter((resource) => resource.type.startsWith('apikeys_'));
const attributes = (type: Family, name: string) => workspace.attributes(type, name);

/** Every key the vendors hold now, by id. */
function vendorKeyIds(): Set<string> {
  return new Set([
    ...emulator.openai.adminKeys.all().map((key) => key.id),
    ...emulator.openai.projects.keys().all().map((key) => key.id),
    ...[...emulator.edgeimpulse.organizations.values()].flatMap((org) => [...org.keys.values()].map((key) => String(key.id))),
    ...emulator.atlas.organizations.flatMap((org) => org.keys.all().map((key) => key.id)),
  ]);
}

function configuration(): string {
  const vendors = emulator.describe().vendors;
  const blocks = [...Object.entries(OVERLAPS), ['sealed', OVERLAPS.kept] as const].map(([name, overlap]) => {
    const rotation = `  rotation = { every = "2m", overlap = "${overlap}" }\n${name === 'sealed' ? `  secret_recipients = ["${identity.recipient}"]\n` : ''}`;
    return [
      `resource "apikeys_openai_admin_key" "${name}" {\n  name = "rotating-${name}"\n${rotation}}`,
      `resource "apikeys_openai_project_key" "${name}" {\n  project_id = "${vendors.openai.projectId}"\n  name = "rotating-${name}"\n${rotation}}`,
      `resource "apikeys_edgeimpulse_organization_key" "${name}" {\n  organization_id = ${vendors.edgeimpulse.organizationId}\n  name = "rotating-${name}"\n  role = "member"\n${rotation}}`,
      `resource "apikeys_atlas_organization_key" "${name}" {\n  organization_id = "${vendors.atlas.orgId}"\n  description = "rotating-${name}"\n  roles = ["ORG_READ_ONLY"]\n${rotation}}`,
      ...FAMILIES.map((type) => `output "${type}_${name}" {\n  value = ${type}.${name}.${name === 'sealed' ? 'encrypted_secret' : 'secret'}\n  sensitive = true\n}`),
    ].join('\n');
  });
  return `${HEADER}provider "apikeys" {
  openai_base_url      = "${vendors.openai.baseUrl}"
  edgeimpulse_base_url = "${vendors.edgeimpulse.baseUrl}"
  atlas_base_url       = "${vendors.atlas.baseUrl}"
}
${blocks.join('\n')}
`;
}

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  workspace = TerraformWorkspace.create({ 'main.tf': HEADER }, emulatorCredentials(emulator));
  expectExit(await workspace.terraform(['init']), 0);
  identity = ageKeygen(workspace.dir, 'identity');
  workspace.write('main.tf', configuration());
});

afterAll(async () => {
  workspace?.dispose();
  await emulator?.stop();
});

test('rotation of every family: due after every, kept for the overlap, revoked after it; saved plans do what they showed', async () => {
  expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  const first = Object.fromEntries(resources().map((resource) => [`${resource.type}.${resource.name}`, resource.instances[0].attributes]));
  expect(Object.keys(first)).toHaveLength(FAMILIES.length * KEYS_PER_FAMILY);
  for (const state of Object.values(first)) expect(state).toMatchObject({ previous_key: null, rotation: expect.objectContaining({ every: '2m' }) });

  // A plan saved now, while nothing is due: applied after the keys are due, it still changes nothing.
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode', '-out=quiet.tfplan']), 0);
  const createdAt = Date.now();
  await wait(Math.max(0, createdAt + EVERY_MS + 2_000 - Date.now()));
  const quiet = await workspace.terraform(['apply', 'quiet.tfplan']);
  expectExit(quiet, 0);
  expect(quiet.stdout + quiet.stderr).not.toMatch(/inconsistent final plan/i);
  for (const resource of resources()) expect(resource.instances[0].attributes.id).toBe(first[`${resource.type}.${resource.name}`].id);

  // Now the plan shows every key's rotation as an update in place.
  const due = await workspace.terraform(['plan', '-detailed-exitcode', '-out=rotate.tfplan']);
  expectExit(due, 2);
  expect(due.stdout).toMatch(new RegExp(`Plan: 0 to add, ${FAMILIES.length * KEYS_PER_FAMILY} to change, 0 to destroy`));
  for (const type of FAMILIES) expect(due.stdout).toContain(`# ${type}.kept will be updated in-place`);
  expect(due.stdout + due.stderr).toContain('is due for rotation since');

  emulator.requests.length = 0;
  expectExit(await workspace.terraform(['apply', 'rotate.tfplan']), 0);
  const vendorKeys = vendorKeyIds();
  const sealedSecrets: string[] = [];
  for (const type of FAMILIES) {
    const kept = attributes(type, 'kept');
    const none = attributes(type, 'none');
    const before = { kept: first[`${type}.kept`], none: first[`${type}.none`] };
    // A new key with a new secret; the output follows it.
    expect(kept.id).not.toBe(before.kept.id);
    expect(kept.secret).not.toBe(before.kept.secret);
    expect(workspace.state().outputs[`${type}_kept`].value).toBe(kept.secret);
    // The old key is kept for the overlap, and says until when...
    expect(kept.previous_key).toMatchObject({ id: before.kept.id, revoke_after: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(vendorKeys.has(before.kept.id as string)).toBe(true);
    // ...or, with overlap 0s, revoked in the same apply, after the new key exists.
    expect(none.previous_key).toBeNull();
    expect(vendorKeys.has(before.none.id as string)).toBe(false);
    expect(vendorKeys.has(none.id as string)).toBe(true);
    // A sealed key's rotation seals the new secret too: Terraform holds the encrypted_secret alone, and the age CLI opens it.
    const sealed = attributes(type, 'sealed');
    expect(sealed).toMatchObject({ secret: null, previous_key: expect.objectContaining({ id: first[`${type}.sealed`].id }) });
    expect(sealed.id).not.toBe(first[`${type}.sealed`].id);
    expect(workspace.state().outputs[`${type}_sealed`].value).toBe(sealed.encrypted_secret);
    sealedSecrets.push(ageDecrypt(identity.identityFile, String(first[`${type}.sealed`].encrypted_secret)), ageDecrypt(identity.identityFile, String(sealed.encrypted_secret)));
    expect(sealedSecrets.at(-1)).not.toBe(sealedSecrets.at(-2));
  }
  expect(sealedSecrets.every((secret) => secret.length > 16)).toBe(true);
  expect(findLeaks(workspace.allOutput(), Object.values(first).map((state) => state.secret as string).filter(Boolean))).toEqual([]);
  expect(findLeaks(`${workspace.allOutput()}${JSON.stringify(workspace.state())}`, sealedSecrets)).toEqual([]);

  // During the overlap nothing is due.
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);

  // After it, the plan revokes each previous key, and only those.
  const revokeAfter = Math.max(...resources().map((resource) => resource.instances[0].attributes.previous_key as { revoke_after?: string } | null)
    .map((previous) => (previous?.revoke_after ? Date.parse(previous.revoke_after) : 0)));
  await wait(Math.max(0, revokeAfter + 2_000 - Date.now()));
  const revoke = await workspace.terraform(['plan', '-detailed-exitcode', '-out=revoke.tfplan']);
  expectExit(revoke, 2);
  expect(revoke.stdout).toMatch(new RegExp(`Plan: 0 to add, ${FAMILIES.length * 2} to change, 0 to destroy`));
  const current = Object.fromEntries(FAMILIES.map((type) => [type, attributes(type, 'kept')]));
  expectExit(await workspace.terraform(['apply', 'revoke.tfplan']), 0);
  const after = vendorKeyIds();
  for (const type of FAMILIES) {
    expect(after.has(first[`${type}.kept`].id as string)).toBe(false);
    expect(after.has(current[type].id as string)).toBe(true);
    expect(attributes(type, 'kept')).toMatchObject({ id: current[type].id, secret: current[type].secret, previous_key: null });
  }
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
}, 480_000);
