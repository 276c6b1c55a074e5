/**
 * secret_recipients with the real terraform binary, the provider bundle and
 * the emulator, for every family in one workspace: each key's secret leaves
 * the provider sealed with age, the stock age CLI opens it, the vendor
 * accepts what it opens as a credential, and no file or output Terraform
 * writes holds it in clear. The recipients come from the provider default
 * (one key overrides them); changing them re-encrypts nothing and sends
 * nothing; a replaced key is sealed to the new ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorEmulator } from '../../../src/emulator/server';
import { createAtlasHttpClient } from '../../../src/vendors/atlas/client';
import { AtlasOrganizationKeysApi } from '../../../src/vendors/atlas/organization-keys';
import { redactAtlasPrivateKey } from '../../../src/vendors/atlas/types';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';
import { ageDecrypt, ageKeygen } from '../../support/age';
import { findLeaks } from '../../support/leaks';
import { rawCall } from '../../support/raw-http';
import { emulatorCredentials } from '../../support/emulator-credentials';

const FAMILIES = ['apikeys_openai_admin_key', 'apikeys_openai_project_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_atlas_organization_key'] as const;
type Family = (typeof FAMILIES)[number];
const ARMORED = /^-----BEGIN AGE ENCRYPTED FILE-----\n[A-Za-z0-9+/=\n]+-----END AGE ENCRYPTED FILE-----\n?$/;

let emulator: VendorEmulator;
let workspace: TerraformWorkspace;
let vendors: ReturnType<VendorEmulator['describe']>['vendors'];
let alice: { identityFile: string; recipient: string };
let bob: { identityFile: string; recipient: string };
/** Every secret the provider received in this suite, as the age CLI opened it: none may appear in clear anywhere. */
const opened: string[] = [];

function configuration(defaultRecipient: string): string {
  return `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  openai_base_url      = "${vendors.openai.baseUrl}"
  edgeimpulse_base_url = "${vendors.edgeimpulse.baseUrl}"
  atlas_base_url       = "${vendors.atlas.baseUrl}"
  secret_recipients    = ["${defaultRecipient}"]
}
resource "apikeys_openai_admin_key" "sealed" {
  name = "sealed"
}
resource "apikeys_openai_project_key" "sealed" {
  project_id = "${vendors.openai.projectId}"
  name       = "sealed"
}
resource "apikeys_edgeimpulse_organization_key" "sealed" {
  organization_id = ${vendors.edgeimpulse.organizationId}
  name            = "sealed"
  role            = "member"
}
resource "apikeys_atlas_organization_key" "sealed" {
  organization_id = "${vendors.atlas.orgId}"
  description     = "sealed"
  roles           = ["ORG_READ_ONLY"]
}
resource "apikeys_openai_admin_key" "own" {
  name              = "own-recipients"
  secret_recipients = ["${bob.recipient}"]
}
${FAMILIES.map((type) => `output "${type}" {\n  value = ${type}.sealed.encrypted_secret\n}`).join('\n')}
output "own" {
  value = apikeys_openai_admin_key.own.encrypted_secret
}
`;
}

/** `terraform output -raw <name> | age -d -i <identity>`. */
async function openOutput(name: string, identityFile: string): Promise<string> {
  const output = await workspace.terraform(['output', '-raw', name]);
  expectExit(output, 0);
  expect(output.stdout).toMatch(ARMORED);
  const secret = ageDecrypt(identityFile, output.stdout);
  opened.push(secret);
  return secret;
}

/** Whether the vendor accepts `secret` as the credential of the key in `state`, where it accepts that family's keys. */
async function acceptedAsCredential(type: Family, secret: string, state: Record<string, unknown>): Promise<boolean> {
  switch (type) {
    case 'apikeys_openai_admin_key':
      return (await rawCall('GET', `${vendors.openai.baseUrl}/organization/admin_api_keys`, { bearer: secret })).status === 200;
    case 'apikeys_openai_project_key':
      return (await rawCall('GET', `${vendors.openai.baseUrl}/models`, { bearer: secret })).status === 200;
    case 'apikeys_edgeimpulse_organization_key':
      return (await rawCall('GET', `${vendors.edgeimpulse.baseUrl}/api/organizations/${vendors.edgeimpulse.organizationId}/apikeys`, { headers: { 'x-api-key': secret } })).status === 200;
    case 'apikeys_atlas_organization_key': {
      const http = createAtlasHttpClient({
        baseUrl: vendors.atlas.baseUrl, apiVersion: 'v2', retry: { maxRetries: 0 },
        credentials: { kind: 'api-key', publicKey: String(state.public_key), privateKey: secret, source: 'the opened encrypted_secret' },
      });
      return (await new AtlasOrganizationKeysApi(http, { apiVersion: 'v2' }).list(String(vendors.atlas.orgId)).then(() => true, () => false));
    }
  }
}

/** The secret as the vendor's listing masks it, next to what the state recorded from that listing. */
function masked(type: Family, secret: string, state: Record<string, unknown>): [string, unknown] {
  switch (type) {
    case 'apikeys_openai_admin_key':
    case 'apikeys_openai_project_key':
      return [`${secret.slice(0, 8)}...${secret.slice(-3)}`, state.redacted_value];
    case 'apikeys_edgeimpulse_organization_key':
      return [`${secret.slice(0, 7)}…`, state.redacted_value];
    case 'apikeys_atlas_organization_key':
      return [redactAtlasPrivateKey(secret), state.redacted_private_key];
  }
}

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  vendors = emulator.describe().vendors;
  workspace = TerraformWorkspace.create({}, emulatorCredentials(emulator));
  workspace.setEnv({ XDG_STATE_HOME: join(workspace.dir, '.state') });
  alice = ageKeygen(workspace.dir, 'alice');
  bob = ageKeygen(workspace.dir, 'bob');
  workspace.write('main.tf', configuration(alice.recipient));
  expectExit(await workspace.terraform(['init']), 0);
});

afterAll(async () => {
  workspace?.dispose();
  await emulator?.stop();
});

test('the plan shows the recipients that apply (the provider default, or the key\'s own) and encrypted_secret known after apply', async () => {
  const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
  expectExit(plan, 2);
  expect(plan.stdout).toContain('Plan: 5 to add, 0 to change, 0 to destroy.');
  expect(plan.stdout.match(/\+ encrypted_secret\s+= \(known after apply\)/g)).toHaveLength(5);
  expect(plan.stdout.match(new RegExp(`\\+ secret_recipients\\s+= \\[\\s+\\+ "${alice.recipient}"`, 'g'))).toHaveLength(4);
  expect(plan.stdout).toMatch(new RegExp(`\\+ secret_recipients\\s+= \\[\\s+\\+ "${bob.recipient}"`));
  expect(plan.stdout).not.toMatch(/\+ secret\s+=/); // null: the clear secret is not even planned
});

describe('apply seals every family\'s secret', () => {
  beforeAll(async () => {
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  test.each(FAMILIES)('%s: state holds encrypted_secret only; age -d opens a credential the vendor accepts, masked as the vendor lists it', async (type) => {
    const state = workspace.attributes(type, 'sealed');
    expect(state).toMatchObject({ secret: null, secret_recipients: [alice.recipient], encrypted_secret: expect.stringMatching(ARMORED) });
    const secret = await openOutput(type, alice.identityFile);
    expect(secret.length).toBeGreaterThan(16);
    expect(await acceptedAsCredential(type, secret, state)).toBe(true);
    expect(await acceptedAsCredential(type, `${secret.slice(0, -2)}xx`, state)).toBe(false);
    const [fromSecret, listed] = masked(type, secret, state);
    expect(fromSecret).toBe(listed);
    expect(() => ageDecrypt(bob.identityFile, String(state.encrypted_secret))).toThrow(/no identity matched/);
  });

  test('a key\'s own recipients override the provider default', async () => {
    expect(workspace.attributes('apikeys_openai_admin_key', 'own')).toMatchObject({ secret: null, secret_recipients: [bob.recipient] });
    expect(await acceptedAsCredential('apikeys_openai_admin_key', await openOutput('own', bob.identityFile), {})).toBe(true);
  });
});

test('changing the recipients re-encrypts nothing: a warning for each key, an update with no vendor call', async () => {
  const before = Object.fromEntries(FAMILIES.map((type) => [type, workspace.attributes(type, 'sealed')]));
  workspace.write('main.tf', configuration(bob.recipient));
  const plan = await workspace.terraform(['plan', '-detailed-exitcode', '-out=recipients.tfplan']);
  expectExit(plan, 2);
  expect(plan.stdout).toContain('Plan: 0 to add, 4 to change, 0 to destroy.');
  const said = (plan.stdout + plan.stderr).replace(/\s+/g, ' ');
  expect(said.match(/Warning: Changing secret_recipients re-encrypts nothing/g)).toHaveLength(4);
  expect(said).toContain('stays in state as it is (encrypted to the recipients it was created with)');
  expect(said).toContain('replace the key (terraform apply -replace=<address>) or let its rotation make the next one');
  emulator.requests.length = 0;
  expectExit(await workspace.terraform(['apply', 'recipients.tfplan']), 0);
  expect(emulator.requests.filter((record) => record.method !== 'GET')).toEqual([]);
  for (const type of FAMILIES) {
    expect(workspace.attributes(type, 'sealed')).toMatchObject({ id: before[type].id, encrypted_secret: before[type].encrypted_secret, secret_recipients: [bob.recipient] });
  }
  expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
});

test('replacing a key issues a secret sealed to the new recipients', async () => {
  const before = workspace.attributes('apikeys_atlas_organization_key', 'sealed');
  expectExit(await workspace.terraform(['apply', '-auto-approve', '-replace=apikeys_atlas_organization_key.sealed']), 0);
  const after = workspace.attributes('apikeys_atlas_organization_key', 'sealed');
  expect(after.id).not.toBe(before.id);
  const secret = await openOutput('apikeys_atlas_organization_key', bob.identityFile);
  expect(await acceptedAsCredential('apikeys_atlas_organization_key', secret, after)).toBe(true);
  expect(() => ageDecrypt(alice.identityFile, String(after.encrypted_secret))).toThrow(/no identity matched/);
});

test('state, its backup, every plan and apply output and show -json hold no secret, in any form', async () => {
  const show = await workspace.terraform(['show', '-json']);
  expectExit(show, 0);
  expect(show.stdout).toContain('"encrypted_secret":"-----BEGIN AGE ENCRYPTED FILE-----');
  const backup = join(workspace.dir, 'terraform.tfstate.backup');
  expect(existsSync(backup)).toBe(true);
  const texts = [readFileSync(join(workspace.dir, 'terraform.tfstate'), 'utf8'), readFileSync(backup, 'utf8'), workspace.allOutput()];
  expect(opened.length).toBeGreaterThanOrEqual(FAMILIES.length + 2);
  for (const text of texts) expect(findLeaks(text, opened)).toEqual([]);
});
