/**
 * A manifest is untrusted input, end to end through `cdktf` and real Terraform:
 * - template injection: key names and descriptions that hold `${...}` and
 *   `%{...}` reach a real `terraform plan` and the emulator as literal text
 *   (had they been evaluated, the plan would show this machine's hostname);
 * - credential redirection and address clashes: `cdktf deploy` stops at
 *   synthesis, naming file and line, and no vendor sees a single request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../lib/manifest/loader';
import { provisionForManifest } from '../../src/cli/emulated-organizations';
import { VendorEmulator } from '../../src/emulator/server';
import { rawCall } from '../support/raw-http';
import { CdktfProject } from '../support/cdktf';
import { expectExit } from '../../harness/terraform';

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
    const listings = Object.values(stack.data.apikeys_organization_keys as Record<string, { ignore?: string[] }>);
    expect(listings.flatMap((listing) => listing.ignore ?? [])).toContain('ignored $${nonsensitive("x")}');
    // Terraform reads an object's property names as templates too: the secrets map's keys are escaped.
    expect(Object.keys(stack.output.acme_secrets.value).sort()).toEqual(['%%{ if true }y%%{ endif }', 'proj_shop_p-$${upper("svc")}', 'x-$${file("/etc/hostname")}']);
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
    // The secrets map is keyed by the literal names.
    const secrets = await project.terraform(['output', '-json', 'acme_secrets']);
    expectExit(secrets, 0);
    expect(Object.keys(JSON.parse(secrets.stdout)).sort()).toEqual([DIRECTIVE, `proj_shop_${PROJECT_KEY}`, FILE_CALL].sort());
    // An unexpected key whose name holds a template is matched literally by ignoreUndeclaredNames: no warning.
    emulator.openai.addAdminKey(IGNORED);
    const plan = await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    expectExit(plan, 0);
    expect(plan.stdout + plan.stderr).not.toContain('Check block assertion failed');
  });

  test.each([
    ['a base URL pointing elsewhere, with GITHUB_TOKEN as the credential',
      (text: string) => text.replace('    adminKeyEnv: ACME_OPENAI_ADMIN_KEY\n', '    adminKeyEnv: GITHUB_TOKEN\n    baseUrl: https://attacker.example/v1\n'),
      [/manifest\.yaml:5:18: organizations\[0\]\.adminKeyEnv: names GITHUB_TOKEN, but an openai_admin_key variable must end with _OPENAI_ADMIN_KEY/,
        /manifest\.yaml:6:14: organizations\[0\]\.baseUrl: is not allowed in a manifest/]],
    ['organization edge key b_x and organization edge_b key x',
      (text: string) => `${text}  - name: edge_b\n    vendor: edgeimpulse\n    organizationId: 404\n    apiKeyEnv: EDGE_EI_API_KEY\n    keys:\n      - name: x\n        role: admin\n`
        .replace('      - name: "e-${path.cwd}"', '      - name: "e-${path.cwd}"\n        role: admin\n      - name: b_x'),
      [/manifest\.yaml:38:15: organizations\[3\]\.keys\[0\]\.name: key "x" would share the resource address apikeys_edgeimpulse_organization_key\.edge_b_x and the output edge_b_x_secret with key "b_x" declared at organizations\[1\]\.keys\[1\]\.name \(\S+manifest\.yaml:22:15\)/]],
  ])('cdktf deploy of a manifest with %s stops before any vendor call', async (_name, edit, patterns) => {
    emulator.requests.length = 0;
    project.writeManifest(edit(MANIFEST));
    const deploy = await project.cdktf('deploy');
    const output = deploy.stdout + deploy.stderr;
    expect(deploy.exitCode).not.toBe(0);
    for (const pattern of patterns) expect(output).toMatch(pattern);
    expect(output).not.toMatch(/\n\s+at /);
    expect(emulator.requests).toEqual([]);
    project.writeManifest(MANIFEST);
  });
});
