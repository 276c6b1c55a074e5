/**
 * Terraform template injection, end to end: key names and descriptions that
 * hold `${...}` and `%{...}` go from a manifest through the cdktf app, a real
 * `terraform plan` and `cdktf deploy` to the emulator as literal text. Had
 * they been evaluated, the plan would show this machine's hostname and the
 * vendor would receive it as a key's name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../lib/manifest/loader';
import { provisionForManifest } from '../../src/emulator/provision';
import { VendorEmulator } from '../../src/emulator/server';
import { rawCall } from '../support/raw-http';
import { CdktfProject } from '../support/cdktf';
import { expectExit } from '../support/terraform';

const ATLAS_ORG = '5f1e2d3c4b5a69788796a5b4';
const FILE_CALL = 'x-${file("/etc/hostname")}';
const DIRECTIVE = '%{ if true }y%{ endif }';
const PROJECT_KEY = 'p-${upper("svc")}';
const EDGE_KEY = 'e-${path.cwd}';
const ATLAS_DESCRIPTION = 'd-${file("/etc/hostname")} %{ for c in ["a"] }${c}%{ endfor }';
const IGNORED = 'ignored ${nonsensitive("x")}';

// Names quoted as YAML double-quoted strings, so the manifest holds exactly these characters.
const q = (text: string): string => JSON.stringify(text);

const MANIFEST = `version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY
    ignoreUndeclaredNames: [emulator bootstrap admin key, ${q(IGNORED)}]
    adminKeys:
      - name: ${q(FILE_CALL)}
      - name: ${q(DIRECTIVE)}
    projects:
      - id: proj_shop
        keys:
          - name: ${q(PROJECT_KEY)}
  - name: edge
    vendor: edgeimpulse
    organizationId: 303
    apiKeyEnv: EDGE_EI_API_KEY
    ignoreUndeclaredNames: [emulator bootstrap admin key]
    keys:
      - name: ${q(EDGE_KEY)}
        role: member
  - name: atlas
    vendor: atlas
    organizationId: ${ATLAS_ORG}
    auth: { publicKeyEnv: A_ATLAS_PUBLIC_KEY, privateKeyEnv: A_ATLAS_PRIVATE_KEY }
    ignoreUndeclaredNames: [emulator bootstrap key]
    keys:
      - name: backup
        description: ${q(ATLAS_DESCRIPTION)}
        roles: [ORG_READ_ONLY]
`;

describe('template sequences in a manifest stay literal through synth, plan and apply', () => {
  let emulator: VendorEmulator;
  let project: CdktfProject;
  const hostname = readFileSync('/etc/hostname', 'utf8').trim();

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const credentials = provisionForManifest(emulator, parseManifest(MANIFEST));
    project = CdktfProject.create(MANIFEST, { ...credentials, APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });
  });

  afterAll(async () => {
    project?.dispose();
    await emulator?.stop();
  });

  test('the synthesized JSON escapes every sequence: $${ and %%{', async () => {
    expectExit(await project.cdktf('synth'), 0);
    const stack = JSON.parse(readFileSync(join(project.stackDir, 'cdk.tf.json'), 'utf8'));
    const adminKeys = Object.values(stack.resource.apikeys_openai_admin_key as Record<string, { name: string }>).map((key) => key.name).sort();
    expect(adminKeys).toEqual(['%%{ if true }y%%{ endif }', 'x-$${file("/etc/hostname")}']);
    const atlasKey = Object.values(stack.resource.apikeys_atlas_organization_key as Record<string, { description: string }>)[0];
    expect(atlasKey.description).toBe('d-$${file("/etc/hostname")} %%{ for c in ["a"] }$${c}%%{ endfor }');
    const listings = Object.values(stack.data.apikeys_organization_keys as Record<string, { managed_names?: string[] }>);
    expect(listings.flatMap((listing) => listing.managed_names ?? [])).toContain('ignored $${nonsensitive("x")}');
  });

  test('terraform plan shows the literal text, never the file it names', async () => {
    expectExit(await project.terraform(['init', '-input=false', '-no-color']), 0);
    const plan = await project.terraform(['plan', '-input=false', '-no-color']);
    expectExit(plan, 0);
    // Terraform prints strings in HCL notation, where a literal ${ is written $${.
    const shown = plan.stdout.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
    for (const literal of [FILE_CALL, DIRECTIVE, PROJECT_KEY, EDGE_KEY, ATLAS_DESCRIPTION]) {
      expect(shown).toContain(JSON.stringify(literal));
    }
    expect(plan.stdout).toContain('Plan: 5 to add');
    if (hostname.length >= 4) expect(plan.stdout).not.toContain(hostname);
  });

  test('deploy creates each key under exactly its literal name at the vendor, and a second plan is clean', async () => {
    expectExit(await project.cdktf('deploy'), 0);
    const control = emulator.describe().control;
    const adminKeys = await rawCall<{ name: string }[]>('GET', `${control}/openai/admin_api_keys`);
    expect(adminKeys.body.map((key) => key.name).sort()).toEqual([DIRECTIVE, 'emulator bootstrap admin key', FILE_CALL].sort());
    expect(emulator.openai.projects.serviceAccounts('proj_shop').all().map((account) => account.name)).toEqual([PROJECT_KEY]);
    expect(emulator.edgeimpulse.keys(303).map((key) => key.name).sort()).toEqual(['emulator bootstrap admin key', EDGE_KEY].sort());
    expect(emulator.atlas.organization(ATLAS_ORG)!.keys.all().map((key) => key.desc).sort()).toEqual([ATLAS_DESCRIPTION, 'emulator bootstrap key'].sort());
    // An unexpected key whose name holds a template is matched literally by ignoreUndeclaredNames: no warning.
    emulator.openai.addAdminKey(IGNORED);
    const plan = await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    expectExit(plan, 0);
    expect(plan.stdout + plan.stderr).not.toContain('Check block assertion failed');
  });
});
