import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { assertProviderBuilt } from '../../src/cli/paths';
import { OutsideWorkspace, ROOT, expectExit, resolvedCopies } from './outside-project';

/**
 * CDK Terrain (cdktn, the maintained fork of CDKTF): the TypeScript example, with the
 * package.json its README gives for CDK Terrain and imports from `cdktn`, installed from the
 * packed tarball outside the repository and synthesized by cdktn-cli under Node.js 22.
 */
const NODE_22 = '22.23.3';
const EXAMPLE = join(ROOT, 'examples', 'typescript-app');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The ```json block of the README's "CDK Terrain" section: the documented package.json, used as is. */
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
beforeAll(() => {
  assertProviderBuilt();
  workspace = OutsideWorkspace.create('apikeys-cdktn-');
});
afterAll(() => {
  if (workspace) rmSync(workspace.dir, { recursive: true, force: true });
});

maybe('the TypeScript example under CDK Terrain and Node.js 22', () => {
  test('installs from the tarball as its README says, with one copy of constructs, and synthesizes the keys', async () => {
    const pack = await workspace.run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workspace.dir], ROOT);
    expectExit('npm pack', pack);
    const tarball = join(workspace.dir, JSON.parse(pack.stdout)[0].filename);

    const tools = join(workspace.dir, 'node22');
    mkdirSync(tools);
    writeFileSync(join(tools, 'package.json'), '{ "private": true }\n');
    expectExit(`npm install node@${NODE_22}`, await workspace.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `node@${NODE_22}`], tools));
    const env = workspace.env({ PATH: [join(tools, 'node_modules', '.bin'), process.env.PATH].join(delimiter) });
    expect((await workspace.run('node', ['--version'], tools, env)).stdout.trim()).toBe(`v${NODE_22}`);

    const app = join(workspace.dir, 'app');
    cpSync(EXAMPLE, app, { recursive: true, filter: (source) => !/node_modules|cdktf\.out/.test(source) });
    const manifest = documentedPackageJson();
    const dependency = Object.keys(manifest.dependencies).find((name) => name.endsWith('/apikeys'))!;
    expect(manifest.dependencies[dependency]).toBe(`file:../../cdktf-apikeys-apikeys-${PACKAGE.version}.tgz`);
    manifest.dependencies[dependency] = `file:${tarball}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    const main = readFileSync(join(app, 'main.ts'), 'utf8');
    expect(main).toContain("from 'cdktf';");
    writeFileSync(join(app, 'main.ts'), main.replace("from 'cdktf';", "from 'cdktn';"));

    expectExit('npm install (CDK Terrain)', await workspace.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, env));
    // One constructs and one cdktf (CDK Terrain's): the library resolves the app's copies.
    const copies = await resolvedCopies(workspace, app, dependency, env);
    expect(copies.constructs.library).toBe(copies.constructs.app);
    expect(copies.cdktf.library).toBe(copies.cdktf.app);
    expect(copies.cdktf.name).toBe('cdktn');

    const synth = await workspace.run('npx', ['--no-install', 'cdktn', 'synth'], app, env);
    expectExit('cdktn synth', synth);
    const stack = JSON.parse(readFileSync(join(app, 'cdktf.out', 'stacks', 'keys', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.required_providers.apikeys).toEqual({ source: 'cdktf-apikeys/apikeys', version: PACKAGE.version });
    expect(Object.keys(stack.resource).sort()).toEqual(['apikeys_atlas_organization_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_openai_admin_key']);
    expect(Object.keys(stack.resource.apikeys_openai_admin_key).sort()).toEqual(['acme-openai_ci-deployer', 'acme-openai_cost-reporting']);
  }, 240_000);
});
