import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ProjectError, UsageError } from '../../src/core/errors';
import { initCommand } from '../../src/cli/init-command';
import { PACKAGE_ROOT } from '../../src/cli/paths';
import { FRAMEWORK_DEPENDENCIES, SCAFFOLD_SCRIPTS, scaffoldFiles } from '../../src/cli/scaffold';
import { parseManifest } from '../../lib/manifest/loader';
import { thrown } from '../support/lib';
import { captureStdout } from '../support/stdout';

const OWN = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
const SCAFFOLDED = ['.gitignore', 'cdktf.json', 'keys.yaml', 'main.ts', 'tsconfig.json'];

describe('apikeys init', () => {
  let dir: string;
  let stdout: { readonly text: string };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apikeys-init-'));
    stdout = captureStdout();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });
  const packageJson = () => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = (name: string) => readFileSync(join(dir, name), 'utf8');

  test('scaffolds a CDKTF app next to the installed packages, adds what ts-node needs, and keeps what the project chose', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'my-keys', version: '1.0.0', scripts: { test: 'echo no test' },
      dependencies: { '@cdktf-apikeys/apikeys': '^0.1.0', cdktf: '^0.21.0', constructs: '^10.4.0' }, devDependencies: { typescript: '5.9.2' },
    }));
    expect(initCommand({ projectDir: dir })).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([...SCAFFOLDED, 'package.json'].sort());
    const project = packageJson();
    expect(project.dependencies).toEqual({ '@cdktf-apikeys/apikeys': '^0.1.0', cdktf: '^0.21.0', constructs: '^10.4.0' });
    expect(project.devDependencies).toEqual({ typescript: '5.9.2', 'ts-node': OWN.devDependencies['ts-node'], '@types/node': OWN.devDependencies['@types/node'] });
    expect(project.scripts).toEqual({ test: 'echo no test', deploy: 'umask 077 && apikeys deploy', drift: 'umask 077 && apikeys drift' });
    expect(file('main.ts')).toContain("import { App, TerraformStack } from 'cdktf';");
    expect(file('main.ts')).toContain("loadManifestFile(process.env.APIKEYS_MANIFEST || 'keys.yaml')");
    expect(JSON.parse(file('cdktf.json'))).toMatchObject({ language: 'typescript', app: 'npx ts-node main.ts' });
    expect(JSON.parse(file('tsconfig.json')).compilerOptions.paths).toBeUndefined();
    expect(file('.gitignore').split('\n')).toEqual(expect.arrayContaining(['cdktf.out/', '.terraform/', '*.tfstate', '*.tfstate.*', 'node_modules/']));
    // What to do next, and that state is the thing to protect.
    expect(stdout.text).toContain('npm install');
    expect(stdout.text).toContain('npx apikeys deploy');
    expect(stdout.text).toMatch(/cdktf deploy and terraform apply write it readable by all\s+unless you run "umask 077" first/);
  });

  test('keys.yaml: valid as written, commented, and tied to the JSON Schema the package ships', () => {
    writeFileSync(join(dir, 'package.json'), '{ "name": "my-keys" }');
    initCommand({ projectDir: dir });
    const keys = file('keys.yaml');
    expect(keys.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/@cdktf-apikeys/apikeys/schema/manifest.schema.json');
    expect(OWN.files).toContain('schema/manifest.schema.json');
    const manifest = parseManifest(keys, 'keys.yaml');
    expect(manifest.organizations.map((org) => org.name)).toEqual(['acme-openai']);
    expect(keys.split('\n').filter((line) => line.trim().startsWith('#')).length).toBeGreaterThan(10);
    // The commented blocks are valid too, once uncommented.
    const uncommented = keys.replace(/^(\s*)# (ignoreUndeclared|projects|  - id|    keys|      - name)/gm, '$1$2');
    expect(parse(uncommented).organizations[0]).toMatchObject({ ignoreUndeclared: ['made-by-another-tool'], projects: [{ id: 'proj_abc123', keys: [{ name: 'checkout-service' }] }] });
    expect(() => parseManifest(uncommented, 'keys.yaml')).not.toThrow();
  });

  test('--cdk cdktn: main.ts imports CDK Terrain, tsconfig maps cdktf\'s declarations to it, the framework is added when missing', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-keys', dependencies: { '@cdktf-apikeys/apikeys': '^0.1.0' } }));
    initCommand({ projectDir: dir, cdk: 'cdktn' });
    expect(file('main.ts')).toContain("import { App, TerraformStack } from 'cdktn';");
    expect(JSON.parse(file('tsconfig.json')).compilerOptions.paths).toEqual({ cdktf: ['./node_modules/cdktn'] });
    expect(packageJson().dependencies).toEqual({ '@cdktf-apikeys/apikeys': '^0.1.0', ...FRAMEWORK_DEPENDENCIES.cdktn });
    expect(stdout.text).toContain('for CDK Terrain (cdktn)');
  });

  test('without --cdk, a project that depends on cdktn alone gets CDK Terrain', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { cdktn: '0.24.0', constructs: '10.7.0' } }));
    initCommand({ projectDir: dir });
    expect(file('main.ts')).toContain("from 'cdktn'");
  });

  test('refuses to overwrite: names the files, writes nothing; --force overwrites', () => {
    writeFileSync(join(dir, 'package.json'), '{ "name": "my-keys" }\n');
    writeFileSync(join(dir, 'main.ts'), '// mine\n');
    const error = thrown(UsageError, () => initCommand({ projectDir: dir }));
    expect(error.message).toBe(`init: main.ts already exists in ${dir}; nothing was written`);
    expect(error.hint).toBe('Pass --force to overwrite them.');
    expect(readdirSync(dir).sort()).toEqual(['main.ts', 'package.json']);
    expect(file('package.json')).toBe('{ "name": "my-keys" }\n');
    initCommand({ projectDir: dir, force: true });
    expect(file('main.ts')).toContain('KeysStack');
    expect(stdout.text).toContain('(overwrote main.ts)');
  });

  test('no package.json, a broken one, or an unknown --cdk: one message with the fix', () => {
    expect(thrown(ProjectError, () => initCommand({ projectDir: dir })).hint).toContain('npm init -y');
    writeFileSync(join(dir, 'package.json'), '{ nope');
    expect(thrown(ProjectError, () => initCommand({ projectDir: dir })).message).toMatch(/package\.json: not valid JSON/);
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(thrown(UsageError, () => initCommand({ projectDir: dir, cdk: 'pulumi' })).message).toBe('init: --cdk must be cdktf (CDKTF) or cdktn (CDK Terrain), not "pulumi"');
    expect(readdirSync(dir)).toEqual(['package.json']);
  });

  test('the versions it adds are the ones this package is built and tested with', () => {
    expect(FRAMEWORK_DEPENDENCIES.cdktf).toEqual({ cdktf: OWN.devDependencies.cdktf, constructs: OWN.devDependencies.constructs });
    expect(OWN.devDependencies.typescript).toMatch(/^5\.9\./); // ts-node runs TypeScript 5, not 6
    expect(Object.keys(SCAFFOLD_SCRIPTS).every((name) => SCAFFOLD_SCRIPTS[name].startsWith('umask 077 && '))).toBe(true);
    expect(scaffoldFiles('cdktf', 'id').map((scaffolded) => scaffolded.path).sort()).toEqual(SCAFFOLDED);
  });
});
