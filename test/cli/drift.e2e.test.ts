/**
 * `apikeys drift` in a CDKTF project that is not this repository: its own
 * cdktf.json (app command, output folder), two stacks, the library from
 * this package's build. Synthesis runs the app command itself (no cdktf-cli),
 * then terraform plans the chosen stack against the emulator.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../../lib/manifest/loader';
import { PACKAGE_ROOT } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { terraformEnvironment } from '../../src/cli/terraform-env';
import { provisionForManifest } from '../../src/cli/emulated-organizations';
import { VendorEmulator } from '../../src/emulator/server';
import { findLeaks } from '../support/leaks';
import { expectExit } from '../../harness/terraform';

const CLI = join(PACKAGE_ROOT, 'bin', 'apikeys.js');
const EDGE_ORG = 4242;

const MANIFEST = `version: 1
organizations:
  - name: edge
    vendor: edgeimpulse
    organizationId: ${EDGE_ORG}
    apiKeyEnv: EDGE_EI_API_KEY
    ignoreUndeclared: [emulator bootstrap admin key]
    keys:
      - name: uploader
        role: member
      - name: firmware
        role: admin
  - name: research
    vendor: openai
    adminKeyEnv: RESEARCH_OPENAI_ADMIN_KEY
    ignoreUndeclared: [emulator bootstrap admin key]
    adminKeys:
      - name: notebook
`;

// A user's app: the library and cdktf by absolute path, as a dependent project would require them.
const APP = `const { App, LocalBackend, TerraformStack } = require(${JSON.stringify(join(PACKAGE_ROOT, 'node_modules', 'cdktf'))});
const { ManifestKeys, loadManifestFile } = require(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'lib', 'index.js'))});
// What synthesis saw: cdktf's environment contract, and who started the app command's shell.
const fs = require('node:fs');
const launchers = [];
for (let pid = process.ppid, depth = 0; pid > 1 && depth < 3; depth += 1) {
  launchers.push(fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' '));
  pid = Number(fs.readFileSync('/proc/' + pid + '/stat', 'utf8').replace(/^.*\\) /s, '').split(' ')[1]);
}
fs.writeFileSync(require('node:path').join(__dirname, 'synth-seen.json'), JSON.stringify({ outdir: process.env.CDKTF_OUTDIR, context: JSON.parse(process.env.CDKTF_CONTEXT_JSON || '{}'), tfVar: process.env.TF_VAR_leak ?? null, launchers }));
const app = new App();
const keys = new TerraformStack(app, 'keys');
new LocalBackend(keys, { path: require('node:path').join(__dirname, 'keys.tfstate') });
new ManifestKeys(keys, 'manifest', { manifest: loadManifestFile(process.env.APIKEYS_MANIFEST) });
new TerraformStack(app, 'other');
app.synth();
`;

interface DriftJson {
  stack: string;
  inSync: boolean;
  exitCode: number;
  counts: Record<string, number>;
  resources: { kind: string; address: string; family: string; organization: string | null; changedOutside: string | null }[];
  undeclaredKeys: { organization: string | null; family: string | null; ids: string[]; message: string }[];
}

describe('apikeys drift in any CDKTF project', () => {
  let emulator: VendorEmulator;
  let project: string;
  let env: NodeJS.ProcessEnv;
  const outputs: RunResult[] = [];
  const secrets: string[] = [];

  const drift = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd = project): Promise<RunResult> => {
    const result = await run(process.execPath, [CLI, 'drift', ...args], { cwd, env: { ...env, ...extraEnv } });
    outputs.push(result);
    return result;
  };
  const stackDir = () => join(project, 'synth-out', 'stacks', 'keys');
  const state = () => JSON.parse(readFileSync(join(project, 'keys.tfstate'), 'utf8')) as { resources: { type: string; name: string; instances: { attributes: Record<string, string> }[] }[] };
  const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const credentials = provisionForManifest(emulator, parseManifest(MANIFEST));
    for (const [name, value] of Object.entries(credentials)) if (!name.endsWith('_BASE_URL') && !name.startsWith('APIKEYS_')) secrets.push(value);
    project = mkdtempSync(join(tmpdir(), 'apikeys-drift-project-'));
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node app.js', output: 'synth-out', context: { team: 'platform' } }));
    writeFileSync(join(project, 'app.js'), APP);
    writeFileSync(join(project, 'keys.yaml'), MANIFEST);
    const { GITHUB_STEP_SUMMARY: _summary, APIKEYS_MANIFEST: _manifest, ...inherited } = process.env;
    env = { ...inherited, ...credentials, APIKEYS_ALLOWED_HOSTS: '127.0.0.1', CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };
  });

  afterAll(async () => {
    if (project) rmSync(project, { recursive: true, force: true });
    await emulator?.stop();
  });

  test('an app with several stacks needs --stack: one message naming them, exit 1, no vendor call', async () => {
    const result = await drift(['--manifest', 'keys.yaml']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('apikeys: the app has 2 stacks\n  Choose one with --stack NAME (keys, other).');
    expect(result.stderr.match(/the app has 2 stacks/g)).toHaveLength(1);
    noStackTrace(result.stderr);
    const unknown = await drift(['--manifest', 'keys.yaml', '--stack', 'nope']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('the app has no stack "nope"');
    expect(emulator.requests).toHaveLength(0);
  });

  test('nothing deployed yet: --json exits 2 and lists every resource to create, with family and organization; a step summary is written', async () => {
    const summary = join(project, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await drift(['--stack', 'keys', '--manifest', 'keys.yaml', '--json'], { GITHUB_STEP_SUMMARY: summary, TF_VAR_leak: 'for plan only' });
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as DriftJson;
    expect(report).toMatchObject({ stack: 'keys', inSync: false, exitCode: 2, counts: { create: 3, update: 0, replace: 0, destroy: 0, undeclaredKeys: 0 } });
    expect(report.resources).toEqual(expect.arrayContaining([
      { kind: 'create', address: 'apikeys_edgeimpulse_organization_key.edge_uploader', family: 'apikeys_edgeimpulse_organization_key', organization: 'edge', changedOutside: null },
      { kind: 'create', address: 'apikeys_openai_admin_key.research_notebook', family: 'apikeys_openai_admin_key', organization: 'research', changedOutside: null },
    ]));
    // stdout is only the JSON; the summary line goes to stderr once; no progress animation without a terminal.
    expect(result.stderr.match(/drift: 3 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys \(stack keys\)/g)).toHaveLength(1);
    expect(result.stderr).not.toContain('\r');
    // Synthesis ran the app command from cdktf.json itself (not through cdktf-cli), with cdktf's environment.
    const seen = JSON.parse(readFileSync(join(project, 'synth-seen.json'), 'utf8'));
    expect(seen).toEqual({ outdir: join(project, 'synth-out'), context: expect.objectContaining({ team: 'platform' }), tfVar: null, launchers: expect.any(Array) });
    const launchers = seen.launchers as string[];
    const cli = launchers.findIndex((command) => command.includes(`${CLI} drift`));
    expect(cli).toBeGreaterThanOrEqual(0);
    expect(launchers.slice(0, cli).filter((command) => /cdktf-cli|\.bin\/cdktf|\bcdktf (synth|deploy)/.test(command))).toEqual([]);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toMatch(/^# earlier step\n### apikeys drift: stack `keys`\n/);
    expect(markdown).toContain('| create | `apikeys_edgeimpulse_organization_key.edge_firmware` | apikeys_edgeimpulse_organization_key | edge | — |');
  });

  test('after an apply: exit 0, the plan and then the summary line on stdout', async () => {
    const tfEnv = terraformEnvironment(join(project, '.cli'), { ...env, APIKEYS_MANIFEST: join(project, 'keys.yaml') });
    const apply = await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: stackDir(), env: tfEnv });
    outputs.push(apply);
    expectExit(apply, 0);
    for (const resource of state().resources) for (const instance of resource.instances) if (instance.attributes.secret) secrets.push(instance.attributes.secret);
    expect(secrets.length).toBeGreaterThanOrEqual(2 + 3);

    const result = await drift(['--stack', 'keys'], { APIKEYS_MANIFEST: 'keys.yaml' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('No changes.');
    expect(result.stdout.trimEnd().split('\n').pop()).toBe('in sync: 0 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys (stack keys)');
  });

  test('a key added in the console: exit 2, the JSON names it by id and organization, nothing to change', async () => {
    const rogue = emulator.edgeimpulse.addKey(EDGE_ORG, { name: 'made-in-studio', role: 'admin' });
    secrets.push(rogue.apiKey);
    const result = await drift(['--stack', 'keys', '--manifest', 'keys.yaml', '--json']);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as DriftJson;
    expect(report.counts).toEqual({ create: 0, update: 0, replace: 0, destroy: 0, undeclaredKeys: 1 });
    expect(report.resources).toEqual([]);
    expect(report.undeclaredKeys).toEqual([
      expect.objectContaining({ organization: 'edge', family: 'edgeimpulse_organization_key', ids: [String(rogue.id)] }),
    ]);
    expect(result.stderr).toContain('drift: 0 to create, 0 to update, 0 to replace, 0 to destroy, 1 undeclared key (stack keys)');
    emulator.edgeimpulse.revokeKey(EDGE_ORG, rogue.id);
  });

  test('a key revoked in the console: exit 2, a create of what was deleted outside Terraform; --out keeps a 0600 plan; no secret printed', async () => {
    const uploader = state().resources.find((resource) => resource.name === 'edge_uploader')!.instances[0].attributes;
    emulator.edgeimpulse.revokeKey(EDGE_ORG, Number(uploader.id));
    const planFile = join(project, 'drift.tfplan');
    const result = await drift(['--stack', 'keys', '--manifest', 'keys.yaml', '--json', '--out', planFile]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as DriftJson;
    expect(report.counts).toMatchObject({ create: 1, update: 0, replace: 0, destroy: 0 });
    expect(report.resources).toEqual([
      { kind: 'create', address: 'apikeys_edgeimpulse_organization_key.edge_uploader', family: 'apikeys_edgeimpulse_organization_key', organization: 'edge', changedOutside: 'deleted' },
    ]);
    expect(statSync(planFile).mode & 0o777).toBe(0o600);
    expect(findLeaks(outputs.map((output) => output.stdout + output.stderr).join('\n'), secrets)).toEqual([]);
  });

  test('a bad manifest (--app: the repository\'s app): the app says so once, drift exits 1 before any vendor call, no stack trace', async () => {
    writeFileSync(join(project, 'bad.yaml'), MANIFEST.replace('role: member', 'role: overlord'));
    emulator.requests.length = 0;
    const app = `"${process.execPath}" "${join(PACKAGE_ROOT, 'dist', 'src', 'app', 'main.js')}"`;
    const summary = join(project, 'error-summary.md');
    const result = await drift(['--app', app, '--manifest', 'bad.yaml'], { GITHUB_STEP_SUMMARY: summary });
    // The summary names the cause itself: the manifest's problem, with file:line.
    expect(readFileSync(summary, 'utf8')).toMatch(/^### apikeys drift\n\n\*\*Error\*\* \(`APIKEYS_ERR_SYNTHESIS`\): synthesis failed: the app command exited 1\n\n```text\nInvalid key manifest \(1 problem\):\n  \S*bad\.yaml:\d+:\d+: organizations\[0\]\.keys\[0\]\.role: /);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.match(/organizations\[0\]\.keys\[0\]\.role/g)).toHaveLength(1);
    expect(result.stderr).toContain('bad.yaml:');
    expect(result.stderr).toContain('apikeys: synthesis failed: the app command exited 1');
    expect(result.stdout).toBe('');
    noStackTrace(result.stderr);
    expect(emulator.requests).toHaveLength(0);
  });

  test('--manifest that the app never reads: exit 1 before any vendor call, naming the file it read instead', async () => {
    writeFileSync(join(project, 'fixed-app.js'), APP.replace('loadManifestFile(process.env.APIKEYS_MANIFEST)', "loadManifestFile('keys.yaml')"));
    writeFileSync(join(project, 'other.yaml'), MANIFEST);
    emulator.requests.length = 0;
    const result = await drift(['--app', 'node fixed-app.js', '--stack', 'keys', '--manifest', 'other.yaml', '--json']);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'APIKEYS_ERR_PROJECT', message: '--manifest other.yaml: the app never read it (stack keys: it read keys.yaml)', hint: expect.stringContaining('process.env.APIKEYS_MANIFEST') },
      exitCode: 1,
    });
    expect(emulator.requests).toHaveLength(0);
  });

  test('an app that dies of an uncaught error: its message, no stack frames unless APIKEYS_DEBUG=1', async () => {
    const app = `node -e "throw new Error('the app broke')"`;
    const result = await drift(['--app', app]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Error: the app broke');
    noStackTrace(result.stderr);
    const debug = await drift(['--app', app], { APIKEYS_DEBUG: '1' });
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  test('terraform missing from PATH: one message naming it, exit 1', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'apikeys-path-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      const result = await drift(['--stack', 'keys', '--manifest', 'keys.yaml'], { PATH: bin });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('apikeys: terraform was not found on PATH\n  Install it or add it to PATH');
      noStackTrace(result.stderr);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('interrupted: the private scratch directory (CLI config, saved plan) is removed, exit 143', async () => {
    const privateTmp = mkdtempSync(join(tmpdir(), 'apikeys-tmp-'));
    const child = spawn(process.execPath, [CLI, 'drift', '--app', `"${process.execPath}" -e "setTimeout(() => {}, 60000)"`], {
      cwd: project, env: { ...env, TMPDIR: privateTmp }, stdio: 'ignore', detached: true,
    });
    try {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      // Synthesis is under way once the scratch directory exists.
      for (let attempt = 0; attempt < 300 && readdirSync(privateTmp).length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readdirSync(privateTmp)).toEqual([expect.stringMatching(/^apikeys-drift-/)]);
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(readdirSync(privateTmp)).toEqual([]);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the app command we started, still sleeping
      } catch {
        // already gone
      }
      rmSync(privateTmp, { recursive: true, force: true });
    }
  });

  test('outside a CDKTF project: one message and a hint, exit 1', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'apikeys-no-project-'));
    try {
      const result = await drift([], {}, elsewhere);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(`apikeys: no cdktf.json in ${elsewhere}\n  Run apikeys drift in your CDKTF project (the directory holding cdktf.json), or pass --app "<command>".\n`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
