/**
 * The product path: a YAML manifest → the cdktf app (src/app/main.ts) →
 * `cdktf deploy` → terraform → the provider → the emulator, and the leak
 * check over everything that path prints or writes.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_PLUGINS_DIR } from '../../src/cli/paths';
import { VendorEmulator } from '../../src/emulator/server';
import { CdktfProject } from '../support/cdktf';
import { findLeaks } from '../support/leaks';
import { expectExit } from '../support/terraform';

const MANIFEST = `version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY
    adminKeys:
      - name: ci-deployer
        expiresInSeconds: 3600
      - name: reporting
`;

describe('cdktf deploy of a key manifest', () => {
  let emulator: VendorEmulator;
  let project: CdktfProject;
  const revoked: string[] = [];
  const secrets = () => [...emulator.openai.adminKeys.all().map((key) => key.value), ...revoked];

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const openai = emulator.describe().vendors.openai;
    project = CdktfProject.create(MANIFEST, { ACME_OPENAI_ADMIN_KEY: String(openai.adminKey), OPENAI_BASE_URL: openai.baseUrl });
  });

  afterAll(async () => {
    project?.dispose();
    await emulator?.stop();
  });

  test('deploy creates one resource per declared key, secrets in state, outputs <sensitive>', async () => {
    const deploy = await project.cdktf('deploy');
    expectExit(deploy, 0);
    expect(deploy.stdout).toMatch(/acme_ci-deployer_secret = <sensitive>/);
    expect(deploy.stdout).toMatch(/acme_reporting_secret = <sensitive>/);

    const state = project.state();
    const keys = state.resources.filter((resource) => resource.type === 'apikeys_openai_admin_key');
    expect(keys.map((resource) => resource.name).sort()).toEqual(['acme_ci-deployer', 'acme_reporting']);
    for (const resource of keys) {
      const attributes = resource.instances[0].attributes;
      const stored = emulator.openai.adminKeys.get(attributes.id as string)!;
      expect(attributes.secret).toBe(stored.value);
      expect(state.outputs[`${resource.name}_secret`]).toEqual({ value: stored.value, type: 'string', sensitive: true });
    }
  });

  test('the stack runs the provider from this checkout, not from a cache shared with other checkouts', () => {
    const installed = join(project.stackDir, '.terraform', 'providers', 'registry.terraform.io', 'cdktf-apikeys', 'apikeys');
    const [version] = readdirSync(installed);
    const [platform] = readdirSync(join(installed, version));
    expect(realpathSync(join(installed, version, platform)).startsWith(realpathSync(PROVIDER_PLUGINS_DIR))).toBe(true);
  });

  test('drift after an out-of-band revoke: terraform plan -detailed-exitcode exits 2', async () => {
    const reporting = emulator.openai.adminKeys.all().find((key) => key.name === 'reporting')!;
    emulator.openai.adminKeys.delete(reporting.id);
    revoked.push(reporting.value);
    const plan = await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false']);
    expectExit(plan, 2);
    expect(plan.stdout).toContain('apikeys_openai_admin_key.acme_reporting has been deleted');
  });

  test('a second deploy heals the drift', async () => {
    expectExit(await project.cdktf('deploy'), 0);
    expectExit(await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']), 0);
    expect(emulator.openai.adminKeys.all().filter((key) => key.name === 'reporting')).toHaveLength(1);
  });

  test('no secret appears in synth, plan or apply output, in TF_LOG=trace output, or in cdktf.out', async () => {
    expectExit(await project.cdktf('synth'), 0);
    const trace = await project.terraform(['plan', '-input=false', '-no-color'], { TF_LOG: 'trace' });
    expectExit(trace, 0);
    expect(trace.stderr).toContain('[TRACE]');
    expect(secrets()).toHaveLength(4); // bootstrap key, two created, one revoked and re-created
    expect(findLeaks(project.allOutput(), secrets())).toEqual([]);
    expect(findLeaks(project.synthesizedText(), secrets())).toEqual([]);
    // The check itself can fail: the state does hold them.
    expect(findLeaks(JSON.stringify(project.state()), secrets()).length).toBeGreaterThanOrEqual(2);
  });

  test('an invalid manifest stops synth with file, line and path, before any vendor call', async () => {
    emulator.requests.length = 0;
    project.writeManifest(MANIFEST.replace('expiresInSeconds: 3600', 'expiresInSeconds: -5').replace('adminKeyEnv: ACME_OPENAI_ADMIN_KEY', 'adminKeyEnv: sk-admin-abcdefghijklmnopqrstuvwxyz'));
    const synth = await project.cdktf('synth');
    expect(synth.exitCode).not.toBe(0);
    const output = synth.stdout + synth.stderr;
    expect(output).toMatch(/manifest\.yaml:8:27: organizations\[0\]\.adminKeys\[0\]\.expiresInSeconds: must be at least 1 second/);
    expect(output).toMatch(/manifest\.yaml:5:18: organizations\[0\]\.adminKeyEnv: /);
    expect(emulator.requests).toHaveLength(0);
    project.writeManifest(MANIFEST);
  });

  test('destroy revokes the keys', async () => {
    expectExit(await project.cdktf('destroy'), 0);
    expect(emulator.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
  });
});
