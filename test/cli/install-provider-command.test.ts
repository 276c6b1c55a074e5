/**
 * `apikeys install-provider` in process (it only copies files): the copy this
 * package ships, and release archives from a zip, a release directory or a
 * filesystem mirror, checked against SHA256SUMS. That Terraform then finds
 * the provider is the e2e suites' part (test/cli/cli.e2e.test.ts, packaging).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installProviderCommand, ProviderInstallError } from '../../src/cli/install-provider-command';
import { PACKAGE_VERSION, PROVIDER_LOCK_FILE, PROVIDER_PLUGINS_DIR } from '../../src/cli/paths';
import { captureStdout } from '../support/stdout';

const PROVIDER_PATH = join('registry.terraform.io', 'cdktf-apikeys', 'apikeys');
const archive = (version: string, platform: string) => `terraform-provider-apikeys_${version}_${platform}.zip`;

let root: string;
let target: string;
let stdout: { readonly text: string };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'apikeys-install-'));
  target = join(root, 'plugins');
  stdout = captureStdout();
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

/** A release directory of `version` with these platforms' archives, their SHA256SUMS unless `sums` is false, and a lock file. */
function release(version: string, platforms: string[], options: { sums?: boolean; dir?: string } = {}): string {
  const dir = options.dir ?? join(root, `release-${version}`);
  mkdirSync(dir, { recursive: true });
  const lines = platforms.map((platform) => {
    const name = archive(version, platform);
    const bytes = `zip bytes of ${name}`;
    writeFileSync(join(dir, name), bytes);
    return `${createHash('sha256').update(bytes).digest('hex')}  ${name}`;
  });
  if (options.sums !== false) writeFileSync(join(dir, `terraform-provider-apikeys_${version}_SHA256SUMS`), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'terraform.lock.hcl'), '# lock\n');
  return dir;
}

const installed = () => readdirSync(join(target, PROVIDER_PATH)).sort();

/** The ProviderInstallError `call` throws. */
function installError(call: () => unknown): ProviderInstallError {
  try {
    call();
  } catch (error) {
    if (error instanceof ProviderInstallError) return error;
    throw error;
  }
  throw new Error('expected a ProviderInstallError');
}

describe('from this package', () => {
  test('copies the unpacked provider for every platform, says how to use it, and that it needs node', () => {
    installProviderCommand({ pluginDir: target });
    const platforms = readdirSync(join(PROVIDER_PLUGINS_DIR, PROVIDER_PATH, PACKAGE_VERSION)).sort();
    expect(readdirSync(join(target, PROVIDER_PATH, PACKAGE_VERSION)).sort()).toEqual(platforms);
    expect(stdout.text).toContain(`Installed terraform-provider-apikeys v${PACKAGE_VERSION} (${platforms.join(', ')}) into ${join(target, PROVIDER_PATH)}`);
    expect(stdout.text).toContain(`apikeys = { source = "cdktf-apikeys/apikeys", version = "${PACKAGE_VERSION}" }`);
    expect(stdout.text).toContain(`Lock hashes for every platform: copy ${PROVIDER_LOCK_FILE} to .terraform.lock.hcl.`);
    expect(stdout.text).toContain('This build is a JavaScript bundle: it needs node (>= 20)');
  });

  test('a packed archive of the same version would compete, and is removed; other versions stay', () => {
    mkdirSync(join(target, PROVIDER_PATH), { recursive: true });
    writeFileSync(join(target, PROVIDER_PATH, archive(PACKAGE_VERSION, 'linux_amd64')), 'old');
    writeFileSync(join(target, PROVIDER_PATH, archive('0.0.1', 'linux_amd64')), 'other version');
    installProviderCommand({ pluginDir: target });
    expect(installed()).toEqual([PACKAGE_VERSION, archive('0.0.1', 'linux_amd64')].sort());
  });
});

describe('from release archives', () => {
  test('a release directory: every archive, checked, copied packed; an unpacked copy of the same platform is removed', () => {
    const from = release('1.2.3', ['linux_amd64', 'darwin_arm64']);
    mkdirSync(join(target, PROVIDER_PATH, '1.2.3', 'linux_amd64'), { recursive: true });
    mkdirSync(join(target, PROVIDER_PATH, '1.2.3', 'windows_amd64'), { recursive: true });
    installProviderCommand({ pluginDir: target, from });
    expect(installed()).toEqual(['1.2.3', archive('1.2.3', 'darwin_arm64'), archive('1.2.3', 'linux_amd64')]);
    expect(readdirSync(join(target, PROVIDER_PATH, '1.2.3'))).toEqual(['windows_amd64']);
    expect(stdout.text).toContain('Installed terraform-provider-apikeys v1.2.3 (darwin_arm64, linux_amd64)');
    expect(stdout.text).toContain(`copy ${join(from, 'terraform.lock.hcl')} to .terraform.lock.hcl`);
    expect(stdout.text).toContain('The linux archives are standalone executables (no Node.js needed)');
  });

  test('one archive, or a filesystem mirror; without linux archives the build needs node', () => {
    const from = release('2.0.0', ['darwin_amd64']);
    installProviderCommand({ pluginDir: target, from: join(from, archive('2.0.0', 'darwin_amd64')) });
    expect(installed()).toEqual([archive('2.0.0', 'darwin_amd64')]);
    expect(stdout.text).toContain('This build is a JavaScript bundle');

    const mirror = join(root, 'mirror');
    release('2.1.0', ['linux_arm64'], { dir: join(mirror, PROVIDER_PATH) });
    installProviderCommand({ pluginDir: target, from: mirror });
    expect(installed()).toContain(archive('2.1.0', 'linux_arm64'));
  });

  test('archives without a SHA256SUMS beside them are installed unchecked', () => {
    installProviderCommand({ pluginDir: target, from: release('1.0.0', ['linux_amd64'], { sums: false }) });
    expect(installed()).toEqual([archive('1.0.0', 'linux_amd64')]);
  });

  test('an archive that does not match its checksum, or is not listed, is refused and nothing is installed', () => {
    const altered = release('1.2.3', ['linux_amd64', 'linux_arm64']);
    writeFileSync(join(altered, archive('1.2.3', 'linux_arm64')), 'altered bytes');
    expect(installError(() => installProviderCommand({ pluginDir: target, from: altered })).message)
      .toBe(`install-provider: ${archive('1.2.3', 'linux_arm64')} does not match its checksum in ${join(altered, 'terraform-provider-apikeys_1.2.3_SHA256SUMS')} (the download is incomplete or altered); download it again.`);
    const unlisted = release('1.2.4', ['linux_amd64']);
    writeFileSync(join(unlisted, archive('1.2.4', 'darwin_amd64')), 'stray');
    expect(installError(() => installProviderCommand({ pluginDir: target, from: unlisted })).message).toContain(`${archive('1.2.4', 'darwin_amd64')} is not listed in`);
    expect(existsSync(target)).toBe(false);
  });

  test('what is not a release is refused with what to give instead', () => {
    const several = release('1.0.0', ['linux_amd64']);
    release('1.1.0', ['linux_amd64'], { dir: several });
    expect(installError(() => installProviderCommand({ pluginDir: target, from: several })).message).toContain('holds archives of several versions (1.0.0, 1.1.0)');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(installError(() => installProviderCommand({ pluginDir: target, from: empty })).message).toMatch(/^install-provider: no release archives in .*\. Give a release archive/);
    expect(installError(() => installProviderCommand({ pluginDir: target, from: join(root, 'nowhere') })).message).toContain('does not exist. Give a release archive');
    writeFileSync(join(root, 'provider.zip'), 'x');
    expect(installError(() => installProviderCommand({ pluginDir: target, from: join(root, 'provider.zip') })).message).toContain('is not a release archive');
    expect(stdout.text).toBe('');
  });
});
