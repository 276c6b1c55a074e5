import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertProviderBuilt } from '../../src/cli/paths';
import { findLeaks } from '../support/leaks';
import { FirstLineProcess, OutsideWorkspace, ROOT, expectExit, lockedVersion, packTarball, resolvedCopies } from './outside-project';

/**
 * The package as a user gets it: `npm pack` of this checkout, installed into a fresh project
 * outside the repository, then the README's path end to end against the emulator — install the
 * provider, deploy the TypeScript example app, `apikeys drift --json`, destroy — and the plain
 * HCL example with `terraform init && terraform apply`. The steps share one workspace and run in
 * order; a step that fails leaves the later ones to report their own state.
 */
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const DEPENDENCY = '@cdktf-apikeys/apikeys';
const STACK = 'keys';
/** What the example app pins besides the package, at the versions this repository locked. */
const TOOLS = ['cdktf', 'constructs', 'cdktf-cli', 'typescript', 'ts-node', '@types/node'];

let workspace: OutsideWorkspace;
let tarball: string;
let packedFiles: string[];
let app: string;
let emulator: FirstLineProcess | undefined;
let deployEnv: NodeJS.ProcessEnv;
const secrets: string[] = [];

const npx = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) => workspace.run('npx', ['--no-install', ...args], cwd, env);
const installedProvider = () => join(workspace.home, '.terraform.d', 'plugins', 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE.version);
const providerIsScript = (): boolean => {
  const platform = readdirSync(installedProvider())[0];
  const file = join(installedProvider(), platform, readdirSync(join(installedProvider(), platform))[0]);
  return readFileSync(file).subarray(0, 2).toString() === '#!';
};
const stateOf = (file: string): { resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[] } =>
  JSON.parse(readFileSync(file, 'utf8'));
function collectSecrets(stateFile: string): void {
  for (const resource of stateOf(stateFile).resources) {
    for (const instance of resource.instances) if (typeof instance.attributes.secret === 'string') secrets.push(instance.attributes.secret);
  }
}

beforeAll(async () => {
  assertProviderBuilt();
  workspace = OutsideWorkspace.create('apikeys-outside-');
  ({ tarball, files: packedFiles } = await packTarball(workspace));
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  if (workspace) rmSync(workspace.dir, { recursive: true, force: true });
});

describe('the packed package, in a fresh project outside the repository', () => {
  test('the tarball ships the library, the CLI, the built provider and the manifest JSON Schema', () => {
    expect(packedFiles).toEqual(expect.arrayContaining([
      'bin/apikeys.js', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/src/cli/main.js', 'dist/provider/terraform-provider-apikeys', 'schema/manifest.schema.json',
    ]));
    expect(packedFiles.filter((file) => file.startsWith('test/') || file.startsWith('node_modules/'))).toEqual([]);
  });

  test('the TypeScript example installs from the tarball with the tools it pins, and one copy of constructs', async () => {
    app = workspace.copyExample('typescript-app', 'app');
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    // The placeholder is the tarball `npm pack` names for this version, so `npm pack && npm install` works in the repository too.
    expect(manifest.dependencies[DEPENDENCY]).toBe(`file:../../${DEPENDENCY.replace('@', '').replace('/', '-')}-${PACKAGE.version}.tgz`);
    for (const tool of TOOLS) expect([tool, manifest.dependencies[tool] ?? manifest.devDependencies[tool]]).toEqual([tool, lockedVersion(tool)]);
    manifest.dependencies[DEPENDENCY] = `file:${tarball}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));

    expectExit('npm install', await workspace.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app));
    expect(existsSync(join(app, 'node_modules', DEPENDENCY, 'schema', 'manifest.schema.json'))).toBe(true);
    // The app's cdktf and constructs are the library's: two copies would break type-checking and synthesis.
    const copies = await resolvedCopies(workspace, app, DEPENDENCY);
    expect(copies.constructs.library).toBe(copies.constructs.app);
    expect(copies.cdktf.library).toBe(copies.cdktf.app);
  }, 180_000);

  test('npx apikeys install-provider puts the provider in the implied local mirror under HOME', async () => {
    const result = await npx(['apikeys', 'install-provider'], app);
    expectExit('apikeys install-provider', result);
    expect(readdirSync(installedProvider())).toContain(`${process.platform === 'darwin' ? 'darwin' : 'linux'}_${process.arch === 'arm64' ? 'arm64' : 'amd64'}`);
  }, 60_000);

  test('npx apikeys emulator serves the organizations the example names', async () => {
    emulator = await FirstLineProcess.start(join(app, 'node_modules', '.bin', 'apikeys'), ['emulator', '--port', '0', '--manifest', 'keys.yaml'], app, workspace.env());
    const { env, vendors } = emulator.firstLine;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['ACME_EI_API_KEY', 'ACME_ATLAS_PUBLIC_KEY', 'ACME_ATLAS_PRIVATE_KEY', 'OPENAI_BASE_URL']));
    // main.ts declares the OpenAI organization in code, so its credential is the emulator's admin key.
    deployEnv = workspace.env({ ...env, ACME_OPENAI_ADMIN_KEY: vendors.openai.adminKey });
  }, 60_000);

  test('cdktf deploy of the app creates every key; the secrets stay out of the output', async () => {
    const result = await npx(['cdktf', 'deploy', STACK, '--auto-approve', '--skip-provider-lock'], app, deployEnv);
    expectExit('cdktf deploy', result);
    const state = join(app, `terraform.${STACK}.tfstate`);
    const types = stateOf(state).resources.map((resource) => resource.type);
    expect(types).toEqual(expect.arrayContaining(['apikeys_openai_admin_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_atlas_organization_key']));
    collectSecrets(state);
    expect(secrets.length).toBe(4);
    expect(findLeaks(workspace.allOutput(), secrets)).toEqual([]);
  }, 240_000);

  test('npx apikeys drift --json: in sync (exit 0), JSON on stdout, no secrets', async () => {
    const result = await npx(['apikeys', 'drift', '--json', '--stack', STACK], app, deployEnv);
    expectExit('apikeys drift --json', result);
    // Only the report is on stdout: per resource the change, and undeclared keys (the emulator's own are ignored by name).
    expect(JSON.parse(result.stdout)).toMatchObject({ stack: STACK, inSync: true, resources: [], undeclaredKeys: [] });
    expect(findLeaks(result.stdout + result.stderr, secrets)).toEqual([]);
  }, 180_000);

  test('cdktf destroy revokes every key', async () => {
    const result = await npx(['cdktf', 'destroy', STACK, '--auto-approve', '--skip-provider-lock'], app, deployEnv);
    expectExit('cdktf destroy', result);
    expect(stateOf(join(app, `terraform.${STACK}.tfstate`)).resources.filter((resource) => resource.type.startsWith('apikeys_'))).toEqual([]);
    expect(findLeaks(workspace.allOutput(), secrets)).toEqual([]);
  }, 180_000);

  test('the plain HCL example: terraform init && apply && destroy with the provider install-provider put in the mirror', async () => {
    const hcl = workspace.copyExample('hcl');
    // The package ships the provider as a JavaScript bundle, by design: Terraform's PATH holds terraform and node,
    // nothing else. (The standalone executables of `npm run release` need only terraform: test/packaging/release.e2e.test.ts.)
    expect(providerIsScript()).toBe(true);
    const path = workspace.pathWith(['terraform', 'node']);
    const env = { ...deployEnv, PATH: path };
    const terraform = (args: string[]) => workspace.run(join(path, 'terraform'), [...args, '-no-color'], hcl, env);
    expectExit('terraform init', await terraform(['init', '-input=false']));
    expectExit('terraform apply', await terraform(['apply', '-auto-approve', '-input=false']));
    collectSecrets(join(hcl, 'terraform.tfstate'));
    expect(stateOf(join(hcl, 'terraform.tfstate')).resources.map((resource) => resource.type)).toEqual(expect.arrayContaining([
      'apikeys_openai_admin_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_atlas_organization_key',
    ]));
    expect(secrets.length).toBe(7);
    expectExit('terraform destroy', await terraform(['destroy', '-auto-approve', '-input=false']));
    expect(stateOf(join(hcl, 'terraform.tfstate')).resources.filter((resource) => resource.type.startsWith('apikeys_'))).toEqual([]);
    expect(findLeaks(workspace.allOutput(), secrets)).toEqual([]);
  }, 180_000);
});
