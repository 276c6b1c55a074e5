/**
 * The lower bound of the peer ranges package.json claims (cdktf >= 0.20.0, constructs ^10.3.0): the packed
 * tarball, installed next to cdktf 0.20.0 and constructs 10.3.0 in a fresh project, type-checks a small app
 * (with the library's declarations checked too) and synthesizes it with one copy of each framework.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PACKAGE_VERSION, assertProviderBuilt } from '../../src/cli/paths';
import { run } from '../../src/cli/run';
import { expectExit } from '../../harness/terraform';

const LOWEST = { cdktf: '0.20.0', constructs: '10.3.0' };
const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));

const APP = `
import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { OpenAiOrganization } from '@cdktf-apikeys/apikeys';

class KeysStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new OpenAiOrganization(this, 'acme', { adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'ci-deployer' }] });
  }
}
const app = new App({ outdir: process.argv[2] });
new KeysStack(app, 'keys');
app.synth();
`;

describe(`the package with cdktf ${LOWEST.cdktf} and constructs ${LOWEST.constructs}`, () => {
  let dir: string;

  beforeAll(() => {
    assertProviderBuilt();
    dir = mkdtempSync(join(tmpdir(), 'apikeys-peers-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('package.json claims exactly these lower bounds; CDKTF and CDK Terrain are optional peers, the app brings one', () => {
    expect(manifest.peerDependencies).toEqual({ cdktf: `>=${LOWEST.cdktf} <0.22.0`, cdktn: '^0.24.0', constructs: `^${LOWEST.constructs}` });
    expect(manifest.peerDependenciesMeta).toEqual({ cdktf: { optional: true }, cdktn: { optional: true } });
    expect(manifest.dependencies.cdktf).toBeUndefined();
    expect(manifest.dependencies.constructs).toBeUndefined();
  });

  test('installs from the tarball, type-checks and synthesizes with one copy of each', async () => {
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    const tarball = join(dir, JSON.parse(packed)[0].filename);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "peer-range-app", "version": "0.0.0", "private": true }\n');
    writeFileSync(join(app, 'main.ts'), APP);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'], outDir: 'out' },
      include: ['main.ts'],
    }));
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
      `cdktf@${LOWEST.cdktf}`, `constructs@${LOWEST.constructs}`, `typescript@${manifest.devDependencies.typescript}`,
      `@types/node@${manifest.devDependencies['@types/node']}`, tarball], { cwd: app });
    expectExit(install, 0);

    expectExit(await run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app }), 0);

    const library = join(app, 'node_modules', '@cdktf-apikeys', 'apikeys');
    for (const framework of ['cdktf', 'constructs']) {
      const fromApp = realpathSync(require.resolve(`${framework}/package.json`, { paths: [app] }));
      expect(realpathSync(require.resolve(`${framework}/package.json`, { paths: [library] }))).toBe(fromApp);
      expect(JSON.parse(readFileSync(fromApp, 'utf8')).version).toBe(LOWEST[framework as keyof typeof LOWEST]);
    }

    const outdir = join(dir, 'cdktf.out');
    expectExit(await run(process.execPath, [join(app, 'out', 'main.js'), outdir], { cwd: app }), 0);
    const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'keys', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.required_providers.apikeys).toEqual({ source: 'cdktf-apikeys/apikeys', version: PACKAGE_VERSION });
    expect(Object.values(stack.resource.apikeys_openai_admin_key as Record<string, { name: string }>).map((key) => key.name)).toEqual(['ci-deployer']);
  }, 600_000);
});
