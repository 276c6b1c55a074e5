// `npm run release:publish [-- --publish]`: the release workflow's step after `npm run release`
// (.github/workflows/release.yml, on a v<version> tag). Without --publish it checks and stages everything,
// prints what it would publish and exits 0, so it runs anywhere (test/packaging/release.e2e.test.ts runs it):
// 1. the tag (GITHUB_REF_NAME, when set) is v<package.json version>, and CHANGELOG.md has a section for it;
// 2. dist/release holds every platform's archive, each listed in SHA256SUMS with its hash, and the lock file;
// 3. the npm package, packed from this checkout into dist/release/npm/, has no install-time script (npm lists
//    preinstall, install, postinstall and prepare scripts as unreviewed on every install of the package);
// 4. with --publish: `npm publish <tarball> --provenance --access public` (provenance needs the workflow's
//    id-token permission), then `gh release create v<version>` with the archives, SHA256SUMS and the lock file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const publish = process.argv.includes('--publish');
const tag = `v${version}`;
const releaseDir = join(root, 'dist', 'release');
const PLATFORMS = ['darwin_amd64', 'darwin_arm64', 'linux_amd64', 'linux_arm64'];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

function fail(message) {
  process.stderr.write(`release:publish: ${message}\n`);
  process.exit(1);
}

// 1. The tag and the changelog.
if (process.env.GITHUB_REF_NAME && process.env.GITHUB_REF_NAME !== tag) {
  fail(`the tag is ${process.env.GITHUB_REF_NAME}, but package.json says ${version}: tag ${tag}, or run npm version first`);
}
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
const section = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\][^\\n]*\\n([\\s\\S]*?)(?=^## \\[|(?![\\s\\S]))`, 'm').exec(changelog);
if (!section) fail(`CHANGELOG.md has no "## [${version}]" section: move the Unreleased notes under it`);

// 2. The provider release that `npm run release` wrote.
if (!existsSync(releaseDir)) fail('dist/release is missing: run "npm run release" first');
const archives = PLATFORMS.map((platform) => `terraform-provider-apikeys_${version}_${platform}.zip`);
const sumsFile = `terraform-provider-apikeys_${version}_SHA256SUMS`;
const sums = new Map(readFileSync(join(releaseDir, sumsFile), 'utf8').trim().split('\n').map((line) => line.split(/\s+/).reverse()));
for (const archive of archives) {
  if (!existsSync(join(releaseDir, archive))) fail(`dist/release/${archive} is missing: run "npm run release" again`);
  const actual = createHash('sha256').update(readFileSync(join(releaseDir, archive))).digest('hex');
  if (sums.get(archive) !== actual) fail(`dist/release/${archive} does not match ${sumsFile}`);
}
const assets = [...archives, sumsFile, 'terraform.lock.hcl'].map((file) => join(releaseDir, file));

// 3. The npm package, packed from this checkout (built by `npm run release`; --ignore-scripts: no rebuild).
const npmDir = join(releaseDir, 'npm');
rmSync(npmDir, { recursive: true, force: true });
mkdirSync(npmDir);
execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', npmDir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const [tarball] = readdirSync(npmDir).map((file) => join(npmDir, file));
const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
const installScripts = INSTALL_SCRIPTS.filter((script) => packed.scripts?.[script] !== undefined);
if (installScripts.length > 0) fail(`the packed package.json has ${installScripts.join(', ')}: npm would list it as an install script on every install`);
if (packed.version !== version) fail(`the packed package is ${packed.version}, not ${version}`);

// 4. Publish, or say what would be published.
const commands = [
  ['npm', ['publish', tarball, '--provenance', '--access', 'public']],
  ['gh', ['release', 'create', tag, ...assets, '--title', `${name} ${version}`, '--notes', section[1].trim()]],
];
process.stdout.write(`release:publish: ${name} ${version} is ready: ${tarball}, ${assets.length} release assets\n`);
for (const [command, args] of commands) {
  if (!publish) {
    process.stdout.write(`  skipped (no --publish): ${command} ${args.slice(0, args.indexOf('--title') > 0 ? args.indexOf('--title') : args.length).join(' ')}\n`);
    continue;
  }
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}
