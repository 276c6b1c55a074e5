import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { assertProviderBuilt } from '../../src/cli/paths';
import { emulateApp, scaffoldApp, STACK } from '../packaging/scaffolded-app';
import { FirstLineProcess, OutsideWorkspace, ROOT, expectExit, packTarball, resolvedCopies } from './outside-project';

/**
 * CDK Terrain (cdktn, the maintained fork of CDKTF) on Node.js 22 (from the npm `node` package),
 * from the packed tarball outside the repository, with no npm overrides or aliases: the library
 * loads the app's cdktn at run time. Two apps share one workspace: the TypeScript example with the
 * package.json its README gives for CDK Terrain, synthesized by cdktn-cli; and a new app that
 * `apikeys init --cdk cdktn` scaffolds, deployed with `apikeys deploy` and checked with `apikeys drift`.
 */
const NODE_22 = '22.23.3';
const EXAMPLE = join(ROOT, 'examples', 'typescript-app');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The ```json block of the example README's "CDK Terrain" section: the documented package.json, used as is. */
function documentedPackageJson(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## CDK Terrain'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error('examples/typescript-app/README.md has no ```json block under "## CDK Terrain"');
  return JSON.parse(block[1]);
}

/** CDK Terrain and Node.js 22 come from the npm registry (or npm's cache); without either, say so and skip. */
const registryProblem = ((): string | undefined => {
  try {
    execFileSync('npm', ['view', 'cdktn@0.24.0', 'version', '--prefer-offline'], { stdio: 'pipe', timeout: 60_000 });
    return undefined;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString().split('\n').find((line) => /ERR|error/.test(line)) ?? String(error);
  }
})();
if (registryProblem) console.warn(`cdk-terrain.e2e.test.ts: SKIPPED, the npm registry does not answer for cdktn (${registryProblem})`);
const maybe = registryProblem ? describe.skip : describe;

let workspace: OutsideWorkspace;
let tarball: string;
let node22: NodeJS.ProcessEnv;
let emulator: FirstLineProcess | undefined;

beforeAll(async () => {
  assertProviderBuilt();
  workspace = OutsideWorkspace.create('apikeys-cdktn-');
  if (registryProblem) return;
  ({ tarball } = await packTarball(workspace));
  const tools = join(workspace.dir, 'node22');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), '{ "private": true }\n');
  expectExit(`npm install node@${NODE_22}`, await workspace.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `node@${NODE_22}`], tools));
  node22 = workspace.env({ PATH: [join(tools, 'node_modules', '.bin'), process.env.PATH].join(delimiter) });
  expect((await workspace.run('node', ['--version'], tools, node22)).stdout.trim()).toBe(`v${NODE_22}`);
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
  if (workspace) rmSync(workspace.dir, { recursive: true, force: true });
});

maybe('CDK Terrain on Node.js 22, from the packed package', () => {
  test('the TypeScript example, as its README says: one copy of constructs and of CDK Terrain, no cdktf at all; cdktn synth', async () => {
    const app = join(workspace.dir, 'example');
    cpSync(EXAMPLE, app, { recursive: true, filter: (source) => !/node_modules|cdktf\.out/.test(source) });
    const manifest = documentedPackageJson();
    expect(manifest.overrides).toBeUndefined();
    expect(Object.values(manifest.dependencies).filter((spec) => String(spec).startsWith('npm:'))).toEqual([]);
    const dependency = Object.keys(manifest.dependencies).find((name) => name.endsWith('/apikeys'))!;
    expect(manifest.dependencies[dependency]).toBe(`file:../../cdktf-apikeys-apikeys-${PACKAGE.version}.tgz`);
    manifest.dependencies[dependency] = `file:${tarball}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    const main = readFileSync(join(app, 'main.ts'), 'utf8');
    expect(main).toContain("from 'cdktf';");
    writeFileSync(join(app, 'main.ts'), main.replace("from 'cdktf';", "from 'cdktn';"));
    // The README's tsconfig change: the library's declarations name cdktf, which is CDK Terrain here.
    const tsconfig = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8'));
    tsconfig.compilerOptions.paths = { cdktf: ['./node_modules/cdktn'] };
    expect(readFileSync(join(EXAMPLE, 'README.md'), 'utf8')).toContain(`"paths": { "cdktf": ["./node_modules/cdktn"] }`);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

    expectExit('npm install (CDK Terrain)', await workspace.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, node22));
    const copies = await resolvedCopies(workspace, app, dependency, node22, 'cdktn');
    expect(copies.constructs.library).toBe(copies.constructs.app);
    expect(copies.cdktn.library).toBe(copies.cdktn.app);
    const frameworks = await workspace.run('node', ['-e', [
      "const lib = require('@cdktf-apikeys/apikeys'); const cdktn = require('cdktn');",
      "let cdktf = 'absent'; try { require.resolve('cdktf'); cdktf = 'installed'; } catch {}",
      "const stack = new cdktn.TerraformStack(new cdktn.App({ outdir: require('node:os').tmpdir() }), 's');",
      'console.log(JSON.stringify({ cdktf, extendsCdktn: lib.stackProvider(stack) instanceof cdktn.TerraformProvider }));',
    ].join('\n')], app, node22);
    expectExit('which framework the library uses', frameworks);
    expect(JSON.parse(frameworks.stdout)).toEqual({ cdktf: 'absent', extendsCdktn: true });

    const synth = await workspace.run('npx', ['--no-install', 'cdktn', 'synth'], app, node22);
    expectExit('cdktn synth', synth);
    const stack = JSON.parse(readFileSync(join(app, 'cdktf.out', 'stacks', 'keys', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.required_providers.apikeys).toEqual({ source: 'cdktf-apikeys/apikeys', version: PACKAGE.version });
    expect(Object.keys(stack.resource).sort()).toEqual(['apikeys_atlas_organization_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_openai_admin_key']);
    expect(Object.keys(stack.resource.apikeys_openai_admin_key).sort()).toEqual(['acme-openai_ci-deployer', 'acme-openai_cost-reporting']);
  }, 300_000);

  test('a new app: the README\'s CDK Terrain install, apikeys init --cdk cdktn, deploy against the emulator, drift exit 0', async () => {
    const command = /\nnpm install @cdktf-apikeys\/apikeys (cdktn [^\n]*)\nnpx apikeys init --cdk cdktn/.exec(README)?.[1];
    expect(command).toBe('cdktn "constructs@<10.8"');
    const app = await scaffoldApp(workspace, { name: 'my-keys', tarball, frameworks: ['cdktn', 'constructs@<10.8'], initArgs: ['--cdk', 'cdktn'], env: node22 });
    expect(readFileSync(join(app.dir, 'main.ts'), 'utf8')).toContain("from 'cdktn';");
    let env: NodeJS.ProcessEnv;
    ({ emulator, env } = await emulateApp(app, node22));
    const deploy = await app.npx(['apikeys', 'deploy', '--auto-approve'], env);
    expectExit('apikeys deploy (CDK Terrain)', deploy);
    expect(deploy.stdout).toContain('Apply complete! Resources: 2 added');
    const drift = await app.npx(['apikeys', 'drift'], env);
    expectExit('apikeys drift (CDK Terrain)', drift);
    expect(drift.stdout.trimEnd().split('\n').pop()).toBe(`in sync: 0 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys (stack ${STACK})`);
  }, 400_000);
});
