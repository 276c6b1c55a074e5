// The provider as a Node.js single-executable application (SEA): a node binary with the provider's
// launcher injected, so it runs where there is no Node.js. One preparation blob serves every
// architecture because it holds only source (no code cache, no snapshot: those are per-architecture);
// the launcher caches compiled code on first run instead. The node binary for another architecture
// is the same Node.js version's build from the npm registry (package node-linux-<arch>).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const NODE_ARCH = { amd64: 'x64', arm64: 'arm64' };
const ELF_MACHINE = { amd64: 62, arm64: 183 };

/** A node binary of this very version for linux/<arch>: this one, or the registry's build (cached). */
function nodeBinary(arch, cacheDir) {
  const nodeArch = NODE_ARCH[arch];
  if (!nodeArch) throw new Error(`release: no Node.js build for linux_${arch}`);
  if (process.platform === 'linux' && process.arch === nodeArch) return process.execPath;
  const version = process.versions.node;
  const directory = join(cacheDir, `node-v${version}-linux-${nodeArch}`);
  const binary = join(directory, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const packageSpec = `node-linux-${nodeArch}@${version}`;
  const output = execFileSync('npm', ['pack', packageSpec, '--silent', '--pack-destination', directory], { encoding: 'utf8' });
  const tarball = join(directory, output.trim().split('\n').pop());
  execFileSync('tar', ['-xzf', tarball, '-C', directory, 'package/bin/node']);
  rmSync(tarball);
  return binary;
}

/** Checks an ELF executable's header for the expected machine, so a mixed-up binary fails the release. */
export function elfMachine(file) {
  const header = readFileSync(file).subarray(0, 20);
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error(`release: ${file} is not an ELF executable`);
  return header.readUInt16LE(18);
}

/**
 * Writes dist/release/work/sea-<arch> and returns its path. `blob` comes from prepareBlob().
 */
export function buildSea({ arch, blob, workDir, cacheDir, postject }) {
  const output = join(workDir, `sea-linux-${arch}`);
  copyFileSync(nodeBinary(arch, cacheDir), output);
  chmodSync(output, 0o755);
  execFileSync(process.execPath, [postject, output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SENTINEL_FUSE], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (elfMachine(output) !== ELF_MACHINE[arch]) throw new Error(`release: ${output} is not a linux_${arch} executable`);
  return output;
}

export function prepareBlob({ mainScript, workDir }) {
  const config = join(workDir, 'sea-config.json');
  const blob = join(workDir, 'sea-prep.blob');
  writeFileSync(config, JSON.stringify({ main: mainScript, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  return blob;
}
