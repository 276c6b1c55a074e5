import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiKeysError } from '../core/errors';
import { assertProviderBuilt, PACKAGE_VERSION, PROVIDER_LOCK_FILE, PROVIDER_PLUGINS_DIR } from './paths';

const PROVIDER_PATH = join('registry.terraform.io', 'cdktf-apikeys', 'apikeys');
/** terraform-provider-apikeys_<version>_<os>_<arch>.zip, as `npm run release` names archives. */
const RELEASE_ARCHIVE = /^terraform-provider-apikeys_(\d+\.\d+\.\d+[^_]*)_([a-z0-9]+_[a-z0-9]+)\.zip$/;

/** A provider that could not be installed; the message says what to give instead. */
export class ProviderInstallError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_PROVIDER_INSTALL';
}

interface Installed {
  version: string;
  platforms: string[];
  lockFile?: string;
  needsNode: boolean;
}

/**
 * `apikeys install-provider [--plugin-dir DIR] [--from ZIP|DIR]`: puts the provider into a Terraform
 * implied local mirror, by default ~/.terraform.d/plugins, where `terraform init` finds it offline for
 * `source = "cdktf-apikeys/apikeys"`. Without --from it copies the JavaScript bundle this package ships
 * (needs node where Terraform runs); with --from it installs release archives (packed layout, so
 * Terraform unpacks the one for its platform), such as the standalone linux builds.
 */
export function installProviderCommand(options: { pluginDir?: string; from?: string }): void {
  const target = resolve(options.pluginDir ?? join(homedir(), '.terraform.d', 'plugins'));
  const installed = options.from === undefined ? installFromPackage(target) : installFromRelease(resolve(options.from), target);
  process.stdout.write([
    `Installed terraform-provider-apikeys v${installed.version} (${installed.platforms.join(', ')}) into ${join(target, PROVIDER_PATH)}`,
    '',
    'Use it with:',
    '  terraform {',
    '    required_providers {',
    `      apikeys = { source = "cdktf-apikeys/apikeys", version = "${installed.version}" }`,
    '    }',
    '  }',
    '',
    'terraform init finds it there without any registry.',
    ...(installed.lockFile ? [`Lock hashes for every platform: copy ${installed.lockFile} to .terraform.lock.hcl.`] : []),
    installed.needsNode
      ? 'This build is a JavaScript bundle: it needs node (>= 20) on the PATH that Terraform uses. Release archives for linux need no Node.js.'
      : 'The linux archives are standalone executables (no Node.js needed); others need node (>= 20) on PATH.',
    '',
  ].join('\n'));
}

function installFromPackage(target: string): Installed {
  assertProviderBuilt();
  const providerDir = join(target, PROVIDER_PATH);
  // A packed archive of the same version would compete with the unpacked copy; the newest install wins.
  for (const entry of existsSync(providerDir) ? readdirSync(providerDir) : []) {
    if (RELEASE_ARCHIVE.exec(entry)?.[1] === PACKAGE_VERSION) rmSync(join(providerDir, entry));
  }
  cpSync(PROVIDER_PLUGINS_DIR, target, { recursive: true });
  const versionDir = join(providerDir, PACKAGE_VERSION);
  if (!existsSync(versionDir)) throw new ProviderInstallError(`install-provider: nothing was copied to ${versionDir}`);
  return { version: PACKAGE_VERSION, platforms: readdirSync(join(PROVIDER_PLUGINS_DIR, PROVIDER_PATH, PACKAGE_VERSION)).sort(), lockFile: PROVIDER_LOCK_FILE, needsNode: true };
}

function installFromRelease(from: string, target: string): Installed {
  const archives = releaseArchives(from);
  const versions = new Set(archives.map((archive) => RELEASE_ARCHIVE.exec(basename(archive))![1]));
  if (versions.size !== 1) {
    throw new ProviderInstallError(`install-provider: ${from} holds archives of several versions (${[...versions].join(', ')}); give one archive or a directory with one version.`);
  }
  const version = [...versions][0];
  for (const archive of archives) verifyChecksum(archive, version);
  const providerDir = join(target, PROVIDER_PATH);
  mkdirSync(providerDir, { recursive: true });
  const platforms: string[] = [];
  for (const archive of archives) {
    const platform = RELEASE_ARCHIVE.exec(basename(archive))![2];
    // An unpacked copy of the same version and platform (from the npm package) would compete with the archive.
    rmSync(join(providerDir, version, platform), { recursive: true, force: true });
    copyFileSync(archive, join(providerDir, basename(archive)));
    platforms.push(platform);
  }
  const lockFile = [join(dirname(archives[0]), 'terraform.lock.hcl'), join(from, 'terraform.lock.hcl')].find((file) => existsSync(file));
  return { version, platforms: platforms.sort(), lockFile, needsNode: platforms.every((platform) => !platform.startsWith('linux_')) };
}

/** The release archives that `from` names: one zip, a release directory, or a filesystem mirror. */
function releaseArchives(from: string): string[] {
  const usage = 'Give a release archive (terraform-provider-apikeys_<version>_<os>_<arch>.zip), the directory that holds the archives (dist/release of `npm run release`), or a filesystem mirror.';
  if (!existsSync(from)) throw new ProviderInstallError(`install-provider: --from ${from} does not exist. ${usage}`);
  if (statSync(from).isFile()) {
    if (!RELEASE_ARCHIVE.test(basename(from))) throw new ProviderInstallError(`install-provider: --from ${from} is not a release archive. ${usage}`);
    return [from];
  }
  const mirrorDir = join(from, PROVIDER_PATH);
  const directory = existsSync(mirrorDir) ? mirrorDir : from;
  const archives = readdirSync(directory).filter((entry) => RELEASE_ARCHIVE.test(entry)).sort().map((entry) => join(directory, entry));
  if (archives.length === 0) throw new ProviderInstallError(`install-provider: no release archives in ${directory}. ${usage}`);
  return archives;
}

/** Checks an archive against the release's SHA256SUMS when that file sits beside it. */
function verifyChecksum(archive: string, version: string): void {
  const sums = join(dirname(archive), `terraform-provider-apikeys_${version}_SHA256SUMS`);
  if (!existsSync(sums)) return;
  const name = basename(archive);
  const expected = readFileSync(sums, 'utf8').split('\n').map((line) => line.trim().split(/\s+/)).find(([, file]) => file === name)?.[0];
  if (!expected) throw new ProviderInstallError(`install-provider: ${name} is not listed in ${sums}; download the archive and its SHA256SUMS from the same release.`);
  const actual = createHash('sha256').update(readFileSync(archive)).digest('hex');
  if (actual !== expected) {
    throw new ProviderInstallError(`install-provider: ${name} does not match its checksum in ${sums} (the download is incomplete or altered); download it again.`);
  }
}
