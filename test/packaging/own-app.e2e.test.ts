/**
 * A new user's own app, from the package alone: `npm pack` of this checkout, then the README's
 * "Your own app in five minutes" in an empty directory outside the repository with a private HOME:
 * npm init, npm install (the tarball, cdktf, constructs), apikeys init, npm install, the emulator,
 * install-provider, apikeys deploy, apikeys drift. Then what goes wrong for new users: a broken
 * manifest, bad props, a missing credential, a --manifest the app ignores, a deprecated field,
 * a mistyped option; each exit code checked, and no stack trace anywhere. The cases share one
 * installed scaffold and run in order.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertProviderBuilt, CDKTF_BIN, PACKAGE_VERSION } from '../../src/cli/paths';
import type { RunResult } from '../../src/cli/run';
import { FirstLineProcess, OutsideWorkspace, ROOT, expectExit, packTarball } from '../examples/outside-project';
import { findLeaks } from '../support/leaks';
import { DEPENDENCY, STACK, edit, emulateApp, scaffoldApp, type ScaffoldedApp } from './scaffolded-app';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The README's own-app recipe, one command per line, comments dropped. */
const RECIPE = (/<!-- recipe: own-app -->\n```sh\n([\s\S]*?)\n```/.exec(README)?.[1] ?? '').split('\n').map((line) => line.replace(/\s+#.*$/, '').trim());

/** A stack frame, or Node's dump of an error object: neither belongs in a user's output. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const ERROR_DUMP = /\bissues: \[|code: 'APIKEYS_ERR|^\s*\^$/m;
const expectNoStackTrace = (result: RunResult) => {
  expect(result.stdout + result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stdout + result.stderr).not.toMatch(ERROR_DUMP);
};
const count = (text: string, fragment: string) => text.split(fragment).length - 1;

let workspace: OutsideWorkspace;
let tarball: string;
let packedFiles: string[];
let app: ScaffoldedApp;
let emulator: FirstLineProcess | undefined;
let env: NodeJS.ProcessEnv;
const secrets: string[] = [];
const apikeys = (args: string[], extra: NodeJS.ProcessEnv = {}) => app.npx(['apikeys', ...args], { ...env, ...extra });
const appFile = (name: string) => join(app.dir, name);

beforeAll(async () => {
  assertProviderBuilt();
  workspace = OutsideWorkspace.create('apikeys-own-app-');
  ({ tarball, files: packedFiles } = await packTarball(workspace));
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  if (workspace) rmSync(workspace.dir, { recursive: true, force: true });
});

describe('a new user\'s own app, from the packed package', () => {
  test('the package: no install-time script (npm would flag it on every install), and the docs the README links to', async () => {
    const listed = await workspace.run('tar', ['-xzOf', tarball, 'package/package.json'], workspace.dir);
    const packed = JSON.parse(listed.stdout) as { scripts: Record<string, string>; peerDependenciesMeta: Record<string, { optional: boolean }> };
    expect(Object.keys(packed.scripts).filter((name) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name))).toEqual([]);
    // CDKTF or CDK Terrain: both optional, the app brings one.
    expect(packed.peerDependenciesMeta).toEqual({ cdktf: { optional: true }, cdktn: { optional: true } });
    const links = [...README.matchAll(/\]\((?!https?:|#)([^)#]+)(#[^)]*)?\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !packedFiles.includes(link))).toEqual([]);
  });

  test('the README\'s steps: npm init, npm install, apikeys init, npm install: a ready app, and no npm warning about our scripts', async () => {
    expect(RECIPE).toEqual([
      'mkdir my-keys && cd my-keys && npm init -y',
      `npm install ${DEPENDENCY} cdktf constructs`,
      'npx apikeys init',
      'npm install',
      'npx apikeys emulator --app',
      'npx apikeys install-provider',
      'npx apikeys deploy --auto-approve',
      'npx apikeys drift',
    ]);
    const frameworks = RECIPE[1].split(' ').slice(3);
    app = await scaffoldApp(workspace, { name: 'my-keys', tarball, frameworks });
    expect(app.install.stdout + app.install.stderr).not.toContain(DEPENDENCY.split('/')[1] + '@'); // "install scripts not yet covered" would name us
    for (const file of ['cdktf.json', 'main.ts', 'tsconfig.json', 'keys.yaml', '.gitignore']) expect(existsSync(appFile(file))).toBe(true);
    expect(readFileSync(appFile('keys.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/@cdktf-apikeys\/apikeys\/schema\/manifest\.schema\.json\n/);
    expect(existsSync(appFile('node_modules/@cdktf-apikeys/apikeys/schema/manifest.schema.json'))).toBe(true);
    const project = JSON.parse(readFileSync(appFile('package.json'), 'utf8'));
    expect(project.devDependencies.typescript).toMatch(/^5\.9\./);
    expect(project.scripts.deploy).toBe('umask 077 && apikeys deploy');
    expect(app.init.stdout).toContain('umask 077');
    // Once is enough: a second init refuses, writes nothing, and says how to force it.
    const again = await app.npx(['apikeys', 'init']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('already exist');
    expect(again.stderr).toContain('--force');
  }, 300_000);

  test('the emulator, install-provider, apikeys deploy: every key created, state owner-only, no secret printed', async () => {
    ({ emulator, env } = await emulateApp(app, workspace.env()));
    expectExit('apikeys install-provider', await apikeys(['install-provider']));
    expect(existsSync(join(workspace.home, '.terraform.d', 'plugins', 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION))).toBe(true);
    const deploy = await apikeys(['deploy', '--auto-approve']);
    expectExit('apikeys deploy', deploy);
    expect(deploy.stdout).toContain('Apply complete! Resources: 2 added');
    const stateFile = appFile(`terraform.${STACK}.tfstate`);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[] };
    expect(state.resources.map((resource) => resource.type)).toEqual(expect.arrayContaining(['apikeys_openai_admin_key', 'apikeys_edgeimpulse_organization_key']));
    for (const resource of state.resources) for (const instance of resource.instances) if (typeof instance.attributes.secret === 'string') secrets.push(instance.attributes.secret);
    expect(secrets).toHaveLength(2);
    // Without --auto-approve and without a terminal, Terraform could not ask: a usage error, nothing applied.
    const unattended = await apikeys(['deploy']);
    expect(unattended.exitCode).toBe(1);
    expect(unattended.stderr).toContain('Pass --auto-approve');
    expect(findLeaks(workspace.allOutput(), secrets)).toEqual([]);
  }, 300_000);

  test('apikeys drift right after the deploy: exit 0, in sync', async () => {
    const drift = await apikeys(['drift']);
    expectExit('apikeys drift', drift);
    expect(drift.stdout.trimEnd().split('\n').pop()).toBe(`in sync: 0 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys (stack ${STACK})`);
  }, 180_000);

  test('a broken manifest: drift, deploy and cdktf synth exit 1 and show each problem once, with file:line, and no stack trace', async () => {
    const good = readFileSync(appFile('keys.yaml'), 'utf8');
    try {
      edit(appFile('keys.yaml'), 'adminKeyEnv: ACME_OPENAI_ADMIN_KEY', 'adminKeyEnv: GITHUB_TOKEN');
      edit(appFile('keys.yaml'), 'expiresInSeconds: 7776000', 'expiresInSeconds: -5');
      const line = readFileSync(appFile('keys.yaml'), 'utf8').split('\n').findIndex((text) => text.includes('adminKeyEnv: GITHUB_TOKEN')) + 1;
      const problems = [`keys.yaml:${line}:18: organizations[0].adminKeyEnv: names GITHUB_TOKEN, but an openai_admin_key variable`, 'organizations[0].adminKeys[0].expiresInSeconds: must be a whole number'];
      const summary = join(workspace.dir, 'broken-manifest-summary.md');
      const drift = await apikeys(['drift', '--json'], { GITHUB_STEP_SUMMARY: summary });
      const deploy = await apikeys(['deploy', '--auto-approve']);
      for (const result of [drift, deploy]) {
        expect(result.exitCode).toBe(1);
        for (const problem of problems) expect(count(result.stderr, problem)).toBe(1);
        expect(result.stderr).toContain('apikeys: synthesis failed: the app command exited 1');
        expectNoStackTrace(result);
      }
      // --json: stdout is one JSON error naming the problems, and so is the step summary.
      const report = JSON.parse(drift.stdout) as { error: { code: string; message: string }; exitCode: number };
      expect(report).toMatchObject({ error: { code: 'APIKEYS_ERR_SYNTHESIS' }, exitCode: 1 });
      for (const problem of problems) expect(report.error.message).toContain(problem);
      expect(readFileSync(summary, 'utf8')).toContain(problems[0]);
      // cdktf synth (cdktf-cli, here this repository's copy of it): the app's output, as cdktf-cli quotes it
      // after it failed, holds each problem once, without a stack. (cdktf-cli also logs it as it comes.)
      const synth = await workspace.run(CDKTF_BIN, ['synth'], app.dir, env);
      expect(synth.exitCode).toBe(1);
      const quoted = (synth.stdout + synth.stderr).split('Command output on stderr:')[1] ?? '';
      for (const problem of problems) expect(count(quoted, problem)).toBe(1);
      expectNoStackTrace(synth);
    } finally {
      writeFileSync(appFile('keys.yaml'), good);
    }
  }, 300_000);

  test('bad props in main.ts: every construct\'s problems at once, at synthesis, under their construct paths, no stack trace', async () => {
    const good = readFileSync(appFile('main.ts'), 'utf8');
    try {
      edit(appFile('main.ts'), "apiKeyEnv: 'ACME_EI_API_KEY'", "apiKeyEnv: 'GITHUB_TOKEN'");
      edit(appFile('main.ts'), "new KeysStack(app, 'keys');", "new KeysStack(app, 'keys');\nnew OpenAiOrganization(new TerraformStack(app, 'other'), 'research', { adminKeys: [{ name: ' ' }] });");
      edit(appFile('main.ts'), 'import { EdgeImpulseOrganization,', 'import { OpenAiOrganization, EdgeImpulseOrganization,');
      const drift = await apikeys(['drift', '--stack', STACK]);
      expect(drift.exitCode).toBe(1);
      expect(drift.stderr).toContain('The app has 2 problems:\n');
      expect(count(drift.stderr, 'EdgeImpulseOrganization "acme-edge" (keys/acme-edge): apiKeyEnv names GITHUB_TOKEN')).toBe(1);
      expect(count(drift.stderr, 'OpenAiOrganization "research" (other/research): adminKeys[0].name must not be empty')).toBe(1);
      expectNoStackTrace(drift);
    } finally {
      writeFileSync(appFile('main.ts'), good);
    }
  }, 180_000);

  test('a missing credential: exit 1; the JSON error and the step summary name the variable; no stack trace', async () => {
    const { ACME_EI_API_KEY: _unset, ...withoutEdgeKey } = env;
    const summary = join(workspace.dir, 'missing-credential-summary.md');
    const drift = await workspace.run('npx', ['--no-install', 'apikeys', 'drift', '--json'], app.dir, { ...withoutEdgeKey, GITHUB_STEP_SUMMARY: summary });
    expect(drift.exitCode).toBe(1);
    const report = JSON.parse(drift.stdout) as { error: { code: string; message: string }; exitCode: number };
    expect(report).toMatchObject({ error: { code: 'APIKEYS_ERR_TERRAFORM' }, exitCode: 1 });
    expect(report.error.message).toMatch(/^terraform plan failed \(exit 1\)\n- .*ACME_EI_API_KEY/);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('ACME_EI_API_KEY');
    expect(markdown).not.toContain('see the job log');
    expectNoStackTrace(drift);
  }, 180_000);

  test('--manifest: the scaffold reads it (a deprecated field there warns once, with file:line); an app that never reads it is an error', async () => {
    const good = readFileSync(appFile('main.ts'), 'utf8');
    try {
      writeFileSync(appFile('production.yaml'), readFileSync(appFile('keys.yaml'), 'utf8')
        .replace('    # ignoreUndeclared: [made-by-another-tool]', '    ignoreUndeclaredNames: [made-by-another-tool]'));
      expect(readFileSync(appFile('production.yaml'), 'utf8')).toContain('ignoreUndeclaredNames');
      const drift = await apikeys(['drift', '--manifest', 'production.yaml']);
      expectExit('drift --manifest with a deprecated field', drift);
      expect(drift.stderr.match(/^warning: keys\/manifest: \S*production\.yaml:\d+:\d+: organizations\[0\]\.ignoreUndeclaredNames: is deprecated; use ignoreUndeclared/gm)).toHaveLength(1);
      edit(appFile('main.ts'), "process.env.APIKEYS_MANIFEST || 'keys.yaml'", "'keys.yaml'");
      const ignored = await apikeys(['drift', '--manifest', 'production.yaml']);
      expect(ignored.exitCode).toBe(1);
      expect(ignored.stderr).toContain(`apikeys: --manifest production.yaml: the app never read it (stack ${STACK}: it read keys.yaml)`);
    } finally {
      writeFileSync(appFile('main.ts'), good);
    }
  }, 180_000);

  test('a mistyped command or option: exit 1 (never 2, which means drift), with the usage', async () => {
    for (const args of [['drfit'], ['drift', '--stak', STACK]]) {
      const result = await apikeys(args);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('usage: apikeys ');
      expectNoStackTrace(result);
    }
    expect(findLeaks(workspace.allOutput(), secrets)).toEqual([]);
  }, 60_000);
});
