/**
 * The JavaScript bundle (what the npm package ships) where Terraform runs without Node.js: its sh header
 * must make Terraform say what is missing instead of "Unrecognized remote plugin message" alone. And
 * `apikeys install-provider` from the package lays the bundle out for every platform it serves.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PACKAGE_VERSION, PROVIDER_EXECUTABLE, PROVIDER_LOCK_FILE, PROVIDER_SHARE_DIR, assertProviderBuilt } from '../../src/cli/paths';
import { run } from '../../src/cli/run';
import { expectExit } from '../../harness/terraform';

const NEEDS_NODE = /needs Node\.js 20 or later on PATH, and node was not\s+found/;

describe('the provider bundle without node on PATH', () => {
  let scratch: string;
  let onlyTerraform: string;

  beforeAll(() => {
    assertProviderBuilt();
    scratch = mkdtempSync(join(tmpdir(), 'apikeys-bundle-'));
    onlyTerraform = join(scratch, 'bin');
    mkdirSync(onlyTerraform);
    symlinkSync(execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim(), join(onlyTerraform, 'terraform'));
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('run directly, it prints what is missing and exits 1', async () => {
    const result = await run(PROVIDER_EXECUTABLE, [], { env: { PATH: onlyTerraform } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(NEEDS_NODE);
    expect(result.stdout).toContain('standalone provider from the release archives');
  });

  test('with node on PATH, the same file runs the provider', async () => {
    const result = await run(PROVIDER_EXECUTABLE, [], { env: { PATH: process.env.PATH } });
    expect(result.exitCode).toBe(1); // no magic cookie: the provider's own "not meant to be run by hand"
    expect(result.stdout + result.stderr).toContain('This is the apikeys Terraform provider');
  });

  test('terraform plan shows that message, with the lock hash of the whole file accepted by init', async () => {
    const dir = join(scratch, 'plan');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.tf'), `terraform {\n  required_providers {\n    apikeys = { source = "cdktf-apikeys/apikeys", version = "${PACKAGE_VERSION}" }\n  }\n}\nprovider "apikeys" {}\n`);
    writeFileSync(join(dir, '.terraform.lock.hcl'), readFileSync(PROVIDER_LOCK_FILE));
    writeFileSync(join(dir, 'cli.tfrc'), '');
    const env = { PATH: onlyTerraform, HOME: scratch, XDG_DATA_HOME: PROVIDER_SHARE_DIR, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), CHECKPOINT_DISABLE: '1' };
    expectExit(await run('terraform', ['init', '-no-color', '-input=false'], { cwd: dir, env }), 0);
    const plan = await run('terraform', ['plan', '-no-color', '-input=false'], { cwd: dir, env });
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toMatch(NEEDS_NODE);
  }, 120_000);
});

describe('apikeys install-provider from the package', () => {
  test('lays the bundle out for linux and darwin, amd64 and arm64, and prints the lock file to use', async () => {
    const pluginDir = mkdtempSync(join(tmpdir(), 'apikeys-plugins-'));
    try {
      const result = await run(process.execPath, [join(PACKAGE_ROOT, 'bin', 'apikeys.js'), 'install-provider', '--plugin-dir', pluginDir]);
      expectExit(result, 0);
      for (const platform of ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64']) {
        const installed = join(pluginDir, 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION, platform, `terraform-provider-apikeys_v${PACKAGE_VERSION}`);
        expect(existsSync(installed)).toBe(true);
        expect(readFileSync(installed).equals(readFileSync(PROVIDER_EXECUTABLE))).toBe(true);
      }
      expect(result.stdout).toContain(PROVIDER_LOCK_FILE);
      expect(result.stdout).toContain('needs node (>= 20)');
    } finally {
      rmSync(pluginDir, { recursive: true, force: true });
    }
  });
});
