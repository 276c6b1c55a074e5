// Builds everything `npm ci` and `npm run build` need:
// 1. dist/ from TypeScript (the construct library and the CLI);
// 2. the provider as one executable file (esbuild bundle, node shebang, protocol descriptors inlined);
// 3. that file laid out as a Terraform implied local mirror under dist/share/terraform/plugins,
//    which the CLI points XDG_DATA_HOME at, and `apikeys install-provider` copies from.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const started = Date.now();

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs');
const protoDir = join(root, 'src', 'provider', 'protocol', 'proto');
const descriptor = (name) => JSON.stringify(protobuf.parse(readFileSync(join(protoDir, name), 'utf8'), { keepCase: true }).root.toJSON());

// The bundle carries pre-parsed descriptors and the parser-free protobufjs/light.
const precompiledProtocol = {
  name: 'precompiled-protocol',
  setup(builder) {
    builder.onLoad({ filter: /proto-sources\.ts$/ }, () => ({
      loader: 'js',
      contents: [
        "import { Root } from 'protobufjs/light';",
        `const TFPLUGIN6 = ${descriptor('tfplugin6.proto')};`,
        `const GO_PLUGIN = ${descriptor('go-plugin.proto')};`,
        'export function loadProtocolRoots() { return { tfplugin6: Root.fromJSON(TFPLUGIN6), goPlugin: Root.fromJSON(GO_PLUGIN) }; }',
      ].join('\n'),
    }));
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning' };
const payload = await build({
  ...common,
  entryPoints: [join(root, 'src', 'provider', 'main.ts')],
  write: false,
  plugins: [precompiledProtocol],
});
const payloadCode = payload.outputFiles[0].text;
if (/\bimport\(/.test(payloadCode)) throw new Error('build: the provider bundle must not contain dynamic import(); vm.Script cannot run it');

// The executable: a small launcher that runs the payload through a V8 code cache (see src/provider/launcher.ts).
const bundle = join(root, 'dist', 'provider', 'terraform-provider-apikeys');
await build({
  ...common,
  entryPoints: [join(root, 'src', 'provider', 'launcher.ts')],
  outfile: bundle,
  banner: { js: '#!/usr/bin/env node' },
  define: {
    __PROVIDER_PAYLOAD__: JSON.stringify(payloadCode),
    __PROVIDER_PAYLOAD_HASH__: JSON.stringify(createHash('sha256').update(payloadCode).digest('hex').slice(0, 16)),
  },
});
chmodSync(bundle, 0o755);

// The bundle is plain JavaScript, so the same file serves every platform that has node.
const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
if (os && arch) {
  const target = join(root, 'dist', 'share', 'terraform', 'plugins', 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', version, `${os}_${arch}`);
  mkdirSync(target, { recursive: true });
  copyFileSync(bundle, join(target, `terraform-provider-apikeys_v${version}`));
  chmodSync(join(target, `terraform-provider-apikeys_v${version}`), 0o755);
} else {
  console.warn(`build: no Terraform platform name for ${process.platform}/${process.arch}; the provider mirror was not laid out`);
}
// A lock file entry with the package's h1 hash (Terraform's dirhash: sha256 over "<sha256 hex>  <file>\n"
// lines). The bundle is identical on every platform, so this one hash is valid for all of them, and
// `terraform init` neither warns about missing checksums nor rewrites the lock.
const executableName = `terraform-provider-apikeys_v${version}`;
const fileHash = createHash('sha256').update(readFileSync(bundle)).digest('hex');
const h1 = 'h1:' + createHash('sha256').update(`${fileHash}  ${executableName}\n`).digest('base64');
writeFileSync(join(root, 'dist', 'provider', 'terraform.lock.hcl'), [
  '# Lock entry for the apikeys provider built from this checkout (valid on every platform).',
  'provider "registry.terraform.io/cdktf-apikeys/apikeys" {',
  `  version     = "${version}"`,
  `  constraints = "${version}"`,
  '  hashes = [',
  `    "${h1}",`,
  '  ]',
  '}',
  '',
].join('\n'));

console.log(`build: dist/ and terraform-provider-apikeys v${version} ready in ${Date.now() - started} ms`);
