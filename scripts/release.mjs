// `npm run release`: the provider laid out for Terraform users who have no Node.js, in dist/release/:
//   terraform-provider-apikeys_<version>_<os>_<arch>.zip   one per platform
//   terraform-provider-apikeys_<version>_SHA256SUMS
//   filesystem-mirror/   provider_installation { filesystem_mirror { path = ".../filesystem-mirror" } }
//   network-mirror/      serve over https: provider_installation { network_mirror { url = "https://.../" } }
//   terraform.lock.hcl   h1: and zh: hashes for every platform, checked against `terraform providers lock`
// linux_amd64 and linux_arm64 get the standalone executable (Node.js single-executable application);
// darwin gets the JavaScript bundle, which needs node on PATH (and says so when it is missing).
// The executables are built in dist/sea/, which is removed at the end, whatever happens.
// scripts/release-publish.mjs (the release workflow's next step) checks this layout and publishes it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSea, prepareBlob } from './release/sea.mjs';
import { zipSingleExecutable } from './release/zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const HOST = 'registry.terraform.io';
const NAMESPACE = 'cdktf-apikeys';
const TYPE = 'apikeys';
const SOURCE = `${HOST}/${NAMESPACE}/${TYPE}`;
const STANDALONE = ['linux_amd64', 'linux_arm64'];
const BUNDLE_ONLY = ['darwin_amd64', 'darwin_arm64'];
const started = Date.now();

const bundle = join(root, 'dist', 'provider', 'terraform-provider-apikeys');
const seaMain = join(root, 'dist', 'provider', 'sea-main.js');
if (!existsSync(bundle) || !existsSync(seaMain)) throw new Error('release: run "npm run build" first (dist/provider is missing)');

const releaseDir = join(root, 'dist', 'release');
const seaDir = join(root, 'dist', 'sea');
rmSync(releaseDir, { recursive: true, force: true });
rmSync(seaDir, { recursive: true, force: true });
mkdirSync(releaseDir, { recursive: true });
mkdirSync(seaDir, { recursive: true });

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const executableName = `terraform-provider-${TYPE}_v${version}`;
const zipName = (platform) => `terraform-provider-${TYPE}_${version}_${platform}.zip`;
/** Terraform's h1 hash (dirhash "Hash1") of a package that holds one file. */
const h1Of = (content) => 'h1:' + createHash('sha256').update(`${sha256(content)}  ${executableName}\n`).digest('base64');

const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
const cacheDir = join(root, 'node_modules', '.cache', 'cdktf-apikeys');
const packages = {};
try {
  const blob = prepareBlob({ mainScript: seaMain, workDir: seaDir });
  const executables = {};
  for (const platform of STANDALONE) {
    executables[platform] = buildSea({ arch: platform.split('_')[1], blob, workDir: seaDir, cacheDir, postject });
  }
  for (const platform of BUNDLE_ONLY) executables[platform] = bundle;
  for (const [platform, file] of Object.entries(executables)) {
    const content = readFileSync(file);
    const archive = zipSingleExecutable(executableName, content);
    writeFileSync(join(releaseDir, zipName(platform)), archive);
    packages[platform] = { zip: zipName(platform), h1: h1Of(content), zh: `zh:${sha256(archive)}`, size: archive.length };
  }
} finally {
  // Intermediate files (the preparation blob, two ~100 MB executables): the zips hold what ships.
  rmSync(seaDir, { recursive: true, force: true });
}
const platforms = Object.keys(packages).sort();

writeFileSync(join(releaseDir, `terraform-provider-${TYPE}_${version}_SHA256SUMS`),
  platforms.map((platform) => `${packages[platform].zh.slice(3)}  ${packages[platform].zip}\n`).join(''));

/** Hard links where possible: the same archives appear in both mirror layouts. */
function place(zip, directory) {
  mkdirSync(directory, { recursive: true });
  try {
    linkSync(join(releaseDir, zip), join(directory, zip));
  } catch {
    copyFileSync(join(releaseDir, zip), join(directory, zip));
  }
}

// Filesystem mirror, packed layout: HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_TARGET.zip
const filesystemMirror = join(releaseDir, 'filesystem-mirror');
for (const platform of platforms) place(packages[platform].zip, join(filesystemMirror, HOST, NAMESPACE, TYPE));

// Network mirror protocol: HOST/NAMESPACE/TYPE/index.json and VERSION.json, archive URLs relative to the latter.
const networkMirror = join(releaseDir, 'network-mirror', HOST, NAMESPACE, TYPE);
for (const platform of platforms) place(packages[platform].zip, networkMirror);
writeFileSync(join(networkMirror, 'index.json'), JSON.stringify({ versions: { [version]: {} } }, null, 2) + '\n');
writeFileSync(join(networkMirror, `${version}.json`), JSON.stringify({
  archives: Object.fromEntries(platforms.map((platform) => [platform, { url: packages[platform].zip, hashes: [packages[platform].h1] }])),
}, null, 2) + '\n');

// Terraform computes the h1: hashes itself from the filesystem mirror; ours must agree with them.
const lockDir = mkdtempSync(join(tmpdir(), 'apikeys-release-lock-'));
try {
  writeFileSync(join(lockDir, 'main.tf'), `terraform {\n  required_providers {\n    ${TYPE} = { source = "${NAMESPACE}/${TYPE}", version = "${version}" }\n  }\n}\n`);
  writeFileSync(join(lockDir, 'cli.tfrc'), '');
  execFileSync('terraform', ['providers', 'lock', `-fs-mirror=${filesystemMirror}`, ...platforms.map((platform) => `-platform=${platform}`)], {
    cwd: lockDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: join(lockDir, 'cli.tfrc'), TF_PLUGIN_CACHE_DIR: '' },
  });
  const lock = readFileSync(join(lockDir, '.terraform.lock.hcl'), 'utf8');
  const fromTerraform = new Set([...lock.matchAll(/"(h1:[^"]+)"/g)].map((match) => match[1]));
  const ours = new Set(platforms.map((platform) => packages[platform].h1));
  if (fromTerraform.size !== ours.size || [...ours].some((hash) => !fromTerraform.has(hash))) {
    throw new Error(`release: terraform providers lock computed ${[...fromTerraform].join(', ')}, the release expected ${[...ours].join(', ')}`);
  }
} finally {
  rmSync(lockDir, { recursive: true, force: true });
}

const hashes = [...new Set(platforms.flatMap((platform) => [packages[platform].h1, packages[platform].zh]))].sort();
writeFileSync(join(releaseDir, 'terraform.lock.hcl'), [
  `# Lock entry for terraform-provider-${TYPE} ${version}: h1: (package contents) and zh: (archive) hashes for`,
  `# ${platforms.join(', ')}. Copy it into your configuration as .terraform.lock.hcl.`,
  `provider "${SOURCE}" {`,
  `  version     = "${version}"`,
  `  constraints = "${version}"`,
  '  hashes = [',
  ...hashes.map((hash) => `    "${hash}",`),
  '  ]',
  '}',
  '',
].join('\n'));

const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`release: terraform-provider-${TYPE} ${version} in dist/release (${Date.now() - started} ms)`);
for (const platform of platforms) console.log(`  ${packages[platform].zip}  ${megabytes(packages[platform].size)}  ${STANDALONE.includes(platform) ? 'standalone' : 'needs node'}`);
