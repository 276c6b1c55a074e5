/**
 * `npm run release` end to end: the release is built once (scripts/release.mjs, from this checkout's
 * dist/), then Terraform installs it in fresh directories, from the filesystem mirror and from the
 * network mirror served over https, and plans and applies against the emulator with a PATH that holds
 * only terraform: the linux provider is the standalone executable and needs no Node.js.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { firstStdoutLine } from '../support/child-output';
import { VendorEmulator } from '../../src/emulator/server';
import { createServerIdentity } from '../../src/provider/protocol/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/provider/protocol/handshake';
import { expectExit } from '../../harness/terraform';

const RELEASE = join(PACKAGE_ROOT, 'dist', 'release');
const PLATFORMS = ['darwin_amd64', 'darwin_arm64', 'linux_amd64', 'linux_arm64'];
const PROVIDER_DIR = 'registry.terraform.io/cdktf-apikeys/apikeys';
const HOST_PLATFORM = `linux_${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
const zipName = (platform: string) => `terraform-provider-apikeys_${PACKAGE_VERSION}_${platform}.zip`;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The one file in a release zip (the release writes a single deflated entry). */
function unzipSingle(archive: Buffer): { name: string; content: Buffer } {
  expect(archive.readUInt32LE(0)).toBe(0x04034b50);
  const compressedSize = archive.readUInt32LE(18);
  const nameLength = archive.readUInt16LE(26);
  const extraLength = archive.readUInt16LE(28);
  const name = archive.subarray(30, 30 + nameLength).toString('utf8');
  const start = 30 + nameLength + extraLength;
  return { name, content: inflateRawSync(archive.subarray(start, start + compressedSize)) };
}

/** Starts a program, resolves with its first stdout line, then stops it (a provider otherwise keeps serving). */
async function handshakeLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    return await firstStdoutLine(child, command);
  } finally {
    child.kill('SIGTERM');
  }
}

const CONFIG = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "${PACKAGE_VERSION}" }
  }
}
provider "apikeys" {
  max_retries = 1
}
resource "apikeys_openai_admin_key" "release" {
  name = "from-the-release"
}
`;

describe('the release layout (npm run release)', () => {
  let emulator: VendorEmulator;
  let scratch: string;
  let onlyTerraform: string;
  const outputs: RunResult[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'release.mjs')], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    emulator = await VendorEmulator.start();
    scratch = mkdtempSync(join(tmpdir(), 'apikeys-release-'));
    // The PATH Terraform gets: terraform and nothing else (no node, no sh utilities).
    onlyTerraform = join(scratch, 'bin');
    mkdirSync(onlyTerraform);
    const terraform = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
    symlinkSync(terraform, join(onlyTerraform, 'terraform'));
  }, 600_000);

  afterAll(async () => {
    await emulator?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** A fresh working directory with the release's lock file and a CLI config that installs only from `installation`. */
  function workspace(name: string, installation: string, extraEnv: NodeJS.ProcessEnv = {}) {
    const dir = join(scratch, name);
    mkdirSync(join(dir, 'home'), { recursive: true });
    writeFileSync(join(dir, 'main.tf'), CONFIG);
    writeFileSync(join(dir, '.terraform.lock.hcl'), readFileSync(join(RELEASE, 'terraform.lock.hcl')));
    writeFileSync(join(dir, 'cli.tfrc'), `provider_installation {\n${installation}\n}\n`);
    const openai = emulator.describe().vendors.openai;
    const env: NodeJS.ProcessEnv = {
      PATH: onlyTerraform,
      HOME: join(dir, 'home'),
      XDG_DATA_HOME: join(dir, 'home'),
      TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'),
      CHECKPOINT_DISABLE: '1',
      DISABLE_VERSION_CHECK: '1',
      TF_IN_AUTOMATION: '1',
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_ADMIN_KEY: String(openai.adminKey),
      ...extraEnv,
    };
    const terraform = async (args: string[]) => {
      const result = await run('terraform', [args[0], '-no-color', ...args.slice(1)], { cwd: dir, env });
      outputs.push(result);
      return result;
    };
    return { dir, terraform };
  }

  test('one zip per platform, SHA256SUMS, and lock hashes (h1: and zh:) for each', () => {
    const sums = readFileSync(join(RELEASE, `terraform-provider-apikeys_${PACKAGE_VERSION}_SHA256SUMS`), 'utf8');
    const lock = readFileSync(join(RELEASE, 'terraform.lock.hcl'), 'utf8');
    for (const platform of PLATFORMS) {
      const archive = readFileSync(join(RELEASE, zipName(platform)));
      expect(sums).toContain(`${sha256(archive)}  ${zipName(platform)}\n`);
      expect(lock).toContain(`"zh:${sha256(archive)}"`);
      const { name, content } = unzipSingle(archive);
      expect(name).toBe(`terraform-provider-apikeys_v${PACKAGE_VERSION}`);
      const h1 = 'h1:' + createHash('sha256').update(`${sha256(content)}  ${name}\n`).digest('base64');
      expect(lock).toContain(`"${h1}"`);
    }
    expect(sums.trim().split('\n')).toHaveLength(PLATFORMS.length);
  });

  test('linux archives hold standalone ELF executables for their CPU; darwin archives hold the bundle', () => {
    const elfMachine = (content: Buffer) => (content.readUInt32BE(0) === 0x7f454c46 ? content.readUInt16LE(18) : undefined);
    expect(elfMachine(unzipSingle(readFileSync(join(RELEASE, zipName('linux_amd64')))).content)).toBe(62); // x86-64
    expect(elfMachine(unzipSingle(readFileSync(join(RELEASE, zipName('linux_arm64')))).content)).toBe(183); // AArch64
    for (const platform of ['darwin_amd64', 'darwin_arm64']) {
      const { content } = unzipSingle(readFileSync(join(RELEASE, zipName(platform))));
      expect(content.subarray(0, 10).toString()).toBe('#!/bin/sh\n');
      expect(content.equals(readFileSync(join(PACKAGE_ROOT, 'dist', 'provider', 'terraform-provider-apikeys')))).toBe(true);
    }
  });

  // Runs where qemu-user and an arm64 C library are installed (apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross).
  const qemu = ['/usr/bin/qemu-aarch64-static', '/usr/bin/qemu-aarch64'].find((file) => existsSync(file));
  const arm64Libraries = '/usr/aarch64-linux-gnu';
  (qemu && existsSync(join(arm64Libraries, 'lib', 'ld-linux-aarch64.so.1')) ? test : test.skip)('the linux_arm64 executable answers the go-plugin handshake (under qemu)', async () => {
    const executable = join(scratch, 'arm64', `terraform-provider-apikeys_v${PACKAGE_VERSION}`);
    mkdirSync(join(scratch, 'arm64'));
    writeFileSync(executable, unzipSingle(readFileSync(join(RELEASE, zipName('linux_arm64')))).content, { mode: 0o755 });
    const client = createServerIdentity();
    const line = await handshakeLine(qemu!, ['-L', arm64Libraries, executable], {
      HOME: scratch, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certificatePem,
    });
    expect(line).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]{50,}$/);
  }, 180_000);

  test('terraform installs from the filesystem mirror and applies with only terraform on PATH', async () => {
    const { dir, terraform } = workspace('filesystem', `  filesystem_mirror {\n    path = "${join(RELEASE, 'filesystem-mirror')}"\n  }`);
    const lockBefore = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    const init = await terraform(['init', '-input=false']);
    expectExit(init, 0);
    expect(init.stdout).toContain(`Installed cdktf-apikeys/apikeys v${PACKAGE_VERSION}`);
    expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toBe(lockBefore); // every hash was already there
    expectExit(await terraform(['apply', '-input=false', '-auto-approve']), 0);
    expect(emulator.openai.adminKeys.all().map((key) => key.name)).toContain('from-the-release');
    const plan = await terraform(['plan', '-input=false', '-detailed-exitcode']);
    expectExit(plan, 0);
    expectExit(await terraform(['destroy', '-input=false', '-auto-approve']), 0);
    expect(emulator.openai.adminKeys.all().map((key) => key.name)).not.toContain('from-the-release');
  }, 300_000);

  describe('through a network mirror over https', () => {
    let server: Server;
    let port: number;
    const served: string[] = [];

    beforeAll(async () => {
      const identity = createServerIdentity();
      writeFileSync(join(scratch, 'mirror-ca.pem'), identity.certificatePem);
      const root = join(RELEASE, 'network-mirror');
      server = createServer({ cert: identity.certificatePem, key: identity.privateKeyPem }, (request, response) => {
        const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'https://localhost').pathname));
        const file = join(root, path);
        served.push(path);
        if (!file.startsWith(root) || !existsSync(file)) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/zip' });
        response.end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
    });

    test('terraform init installs it and plan runs the standalone provider', async () => {
      const { dir, terraform } = workspace('network', `  network_mirror {\n    url = "https://localhost:${port}/"\n  }`, { SSL_CERT_FILE: join(scratch, 'mirror-ca.pem') });
      const lockBefore = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
      const init = await terraform(['init', '-input=false']);
      expectExit(init, 0);
      expect(init.stdout).toContain(`Installed cdktf-apikeys/apikeys v${PACKAGE_VERSION}`);
      expect(served).toEqual(expect.arrayContaining([
        `/${PROVIDER_DIR}/index.json`, `/${PROVIDER_DIR}/${PACKAGE_VERSION}.json`, `/${PROVIDER_DIR}/${zipName(HOST_PLATFORM)}`,
      ]));
      expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toBe(lockBefore);
      const plan = await terraform(['plan', '-input=false', '-detailed-exitcode']);
      expectExit(plan, 2);
      expect(plan.stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    }, 300_000);
  });

  const apikeys = (args: string[]) => run(process.execPath, [join(PACKAGE_ROOT, 'bin', 'apikeys.js'), ...args]);

  test('apikeys install-provider --from the release directory: terraform finds it in an implied local mirror', async () => {
    const { dir, terraform } = workspace('install-from-release', '');
    writeFileSync(join(dir, 'cli.tfrc'), ''); // no provider_installation block: implied local mirrors only
    const install = await apikeys(['install-provider', '--from', RELEASE, '--plugin-dir', join(dir, 'terraform.d', 'plugins')]);
    expectExit(install, 0);
    expect(install.stdout).toContain(`v${PACKAGE_VERSION} (${PLATFORMS.join(', ')})`);
    expect(install.stdout).toContain(join(RELEASE, 'terraform.lock.hcl'));
    const lockBefore = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    expectExit(await terraform(['init', '-input=false']), 0);
    expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toBe(lockBefore);
    const plan = await terraform(['plan', '-input=false', '-detailed-exitcode']);
    expectExit(plan, 2);
  }, 300_000);

  test('apikeys install-provider --from an archive that does not match SHA256SUMS fails before copying', async () => {
    const download = join(scratch, 'download');
    mkdirSync(download);
    const archive = readFileSync(join(RELEASE, zipName('darwin_arm64')));
    archive[archive.length - 30] ^= 0xff;
    writeFileSync(join(download, zipName('darwin_arm64')), archive);
    writeFileSync(join(download, `terraform-provider-apikeys_${PACKAGE_VERSION}_SHA256SUMS`), readFileSync(join(RELEASE, `terraform-provider-apikeys_${PACKAGE_VERSION}_SHA256SUMS`)));
    const pluginDir = join(scratch, 'tampered-plugins');
    const install = await apikeys(['install-provider', '--from', join(download, zipName('darwin_arm64')), '--plugin-dir', pluginDir]);
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toContain(`${zipName('darwin_arm64')} does not match its checksum`);
    expect(install.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(pluginDir, PROVIDER_DIR, zipName('darwin_arm64')))).toBe(false);

    const notAnArchive = await apikeys(['install-provider', '--from', join(RELEASE, 'terraform.lock.hcl'), '--plugin-dir', pluginDir]);
    expect(notAnArchive.exitCode).toBe(1);
    expect(notAnArchive.stderr).toContain('is not a release archive. Give a release archive (terraform-provider-apikeys_<version>_<os>_<arch>.zip)');
  });

  test('the release leaves no intermediate files: dist/sea (blob, executables) is gone', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'dist', 'sea'))).toBe(false);
  });

  test('release:publish (the release workflow\'s step) checks and stages everything, and without --publish publishes nothing', async () => {
    const script = join(PACKAGE_ROOT, 'scripts', 'release-publish.mjs');
    const publish = (tag: string) => run(process.execPath, [script], { cwd: PACKAGE_ROOT, env: { ...process.env, GITHUB_REF_NAME: tag } });
    const staged = await publish(`v${PACKAGE_VERSION}`);
    expectExit(staged, 0);
    expect(staged.stdout).toContain('skipped (no --publish): npm publish ');
    expect(staged.stdout).toContain('--provenance --access public');
    expect(staged.stdout).toContain(`skipped (no --publish): gh release create v${PACKAGE_VERSION} `);
    expect(staged.stdout).toContain(`terraform-provider-apikeys_${PACKAGE_VERSION}_SHA256SUMS`);
    const tarball = join(RELEASE, 'npm', `cdktf-apikeys-apikeys-${PACKAGE_VERSION}.tgz`);
    expect(existsSync(tarball)).toBe(true);
    const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as { scripts: Record<string, string> };
    expect(packed.scripts.prepare).toBeUndefined();

    const wrongTag = await publish('v9.9.9');
    expect(wrongTag.exitCode).toBe(1);
    expect(wrongTag.stderr).toBe(`release:publish: the tag is v9.9.9, but package.json says ${PACKAGE_VERSION}: tag v${PACKAGE_VERSION}, or run npm version first\n`);
  }, 120_000);

  test('no secret reached terraform output', () => {
    const secrets = emulator.openai.adminKeys.all().map((key) => key.value);
    const printed = outputs.map((result) => result.stdout + result.stderr).join('\n');
    for (const secret of secrets) expect(printed).not.toContain(secret);
  });
});
