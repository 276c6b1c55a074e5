/**
 * `apikeys audit --manifest`: every key of every organization the manifest
 * names, read-only, through the built CLI against the emulator. Keys are
 * made out of band as a person would in a console, and aged through the
 * emulator, so that each finding (undeclared, stale, expiring, rotationDue)
 * and each status (declared, undeclared, ignored, the credential) shows.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../../lib/manifest/loader';
import { provisionForManifest } from '../../src/cli/emulated-organizations';
import { PACKAGE_ROOT } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { VendorEmulator } from '../../src/emulator/server';
import { findLeaks } from '../support/leaks';

const CLI = join(PACKAGE_ROOT, 'bin', 'apikeys.js');
const EDGE_ORG = 4242;
const ATLAS_ORG = '5f1e2d3c4b5a69788796a5b4';
const DAY = 86_400_000;

const MANIFEST = `version: 1
organizations:
  - name: research
    vendor: openai
    adminKeyEnv: RESEARCH_OPENAI_ADMIN_KEY
    adminKeys:
      - name: notebook
        rotation: { every: 30d, overlap: 1d }
      - name: reporting
  - name: edge
    vendor: edgeimpulse
    organizationId: ${EDGE_ORG}
    apiKeyEnv: EDGE_EI_API_KEY
    ignoreUndeclared: [break-glass]
    keys:
      - name: uploader
        role: member
  - name: data
    vendor: atlas
    organizationId: ${ATLAS_ORG}
    auth:
      publicKeyEnv: DATA_ATLAS_PUBLIC_KEY
      privateKeyEnv: DATA_ATLAS_PRIVATE_KEY
    keys:
      - name: etl
        roles: [ORG_READ_ONLY]
`;

interface AuditJson {
  keys: { organization: string; family: string; id: string; name: string | null; createdAt: string | null; lastUsedAt: string | null; expiresAt: string | null; status: string; credential: boolean; findings: string[] }[];
  organizations: { organization: string; family: string; scope: string; keys: number; error?: { code: string; message: string } }[];
  exitCode: number;
  error?: { code: string; message: string };
}

describe('apikeys audit', () => {
  let emulator: VendorEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const secrets: string[] = [];
  const outputs: RunResult[] = [];

  const audit = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> => {
    const result = await run(process.execPath, [CLI, 'audit', ...args], { cwd: dir, env: { ...env, ...extraEnv } });
    outputs.push(result);
    return result;
  };
  const byName = (report: AuditJson, name: string) => report.keys.find((key) => key.name === name);

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const credentials = provisionForManifest(emulator, parseManifest(MANIFEST));
    for (const [name, value] of Object.entries(credentials)) if (!name.endsWith('_BASE_URL') && !name.startsWith('APIKEYS_')) secrets.push(value);
    dir = mkdtempSync(join(tmpdir(), 'apikeys-audit-'));
    writeFileSync(join(dir, 'keys.yaml'), MANIFEST);
    const { GITHUB_STEP_SUMMARY: _summary, APIKEYS_MANIFEST: _manifest, ...inherited } = process.env;
    env = { ...inherited, ...credentials, APIKEYS_ALLOWED_HOSTS: '127.0.0.1' };

    // What a deploy made (the declared keys), and what people made in the consoles.
    const openai = emulator.openai.organizationOf(credentials.RESEARCH_OPENAI_ADMIN_KEY!)!;
    const notebook = openai.addAdminKey('notebook');
    openai.setAdminKeyTimes(notebook.id, { created: new Date(Date.now() - 40 * DAY), lastUsed: new Date(Date.now() - DAY) });
    openai.addAdminKey('reporting', 3 * 86_400);
    openai.setAdminKeyTimes(openai.addAdminKey('made-in-console').id, { created: new Date(Date.now() - 200 * DAY), lastUsed: null });
    emulator.edgeimpulse.addKey(EDGE_ORG, { name: 'uploader', role: 'member' });
    emulator.edgeimpulse.addKey(EDGE_ORG, { name: 'break-glass', role: 'admin' });
    emulator.atlas.addKey(ATLAS_ORG, { desc: 'etl', roles: ['ORG_READ_ONLY'] });
    secrets.push(...openai.adminKeys.all().map((key) => key.value), ...emulator.edgeimpulse.keys(EDGE_ORG).map((key) => key.apiKey));
    secrets.push(...emulator.atlas.organization(ATLAS_ORG)!.keys.all().map((key) => key.privateKey));
  });

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await emulator?.stop();
  });

  afterAll(() => {
    // No secret anywhere in what the command printed.
    expect(findLeaks(outputs.map((output) => output.stdout + output.stderr).join('\n'), secrets.filter(Boolean))).toEqual([]);
  });

  test('--json: every key of every organization, its status and findings; the credential marked; exit 2 with findings', async () => {
    emulator.requests.length = 0;
    const result = await audit(['--manifest', 'keys.yaml', '--json', '--stale-after', '90d']);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as AuditJson;
    expect(report.exitCode).toBe(2);
    expect(byName(report, 'notebook')).toMatchObject({ organization: 'research', family: 'openai_admin_key', status: 'declared', findings: ['rotationDue'], credential: false });
    expect(byName(report, 'reporting')).toMatchObject({ status: 'declared', findings: ['expiring'], expiresAt: expect.stringMatching(/^\d{4}-/) });
    expect(byName(report, 'made-in-console')).toMatchObject({ status: 'undeclared', findings: ['undeclared', 'stale'], lastUsedAt: null });
    expect(byName(report, 'uploader')).toMatchObject({ organization: 'edge', family: 'edgeimpulse_organization_key', status: 'declared', findings: [] });
    expect(byName(report, 'break-glass')).toMatchObject({ status: 'ignored', findings: [] });
    expect(byName(report, 'etl')).toMatchObject({ organization: 'data', family: 'atlas_organization_key', status: 'declared', findings: [] });
    // Each organization's own credential is listed, marked, and never undeclared.
    const credentials = report.keys.filter((key) => key.credential);
    expect(credentials.map((key) => key.organization).sort()).toEqual(['data', 'edge', 'research']);
    for (const key of credentials) expect(key).toMatchObject({ status: 'ignored' });
    expect(report.organizations.map((organization) => `${organization.organization} ${organization.family}`).sort())
      .toEqual(['data atlas_organization_key', 'edge edgeimpulse_organization_key', 'research openai_admin_key']);
    // Sorted by organization, then name.
    expect(report.keys.map((key) => key.organization)).toEqual([...report.keys.map((key) => key.organization)].sort());
    // Read-only: listings (and Atlas's digest challenges) only.
    expect(emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    // The summary line goes to nothing but the table: stdout is one JSON document.
    expect(result.stderr).toBe('');
  });

  test('--markdown: a table on stdout, also appended to the step summary', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await audit(['--manifest', 'keys.yaml', '--markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/^### apikeys audit\n\naudit: \d+ keys in 3 listings; findings: /);
    expect(result.stdout).toMatch(/\| research \| openai_admin_key \| made-in-console \| key_\w+ \| \d{4}-\d\d-\d\d \| never \| - \| undeclared \| undeclared \|/);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${result.stdout}`);
  });

  test('a table by default; exit 0 once nothing is found', async () => {
    const table = await audit(['--manifest', 'keys.yaml']);
    expect(table.exitCode).toBe(2);
    expect(table.stdout.split('\n')[0]).toMatch(/^organization\s+family\s+name\s+id\s+created\s+last used\s+expires\s+status\s+findings$/);
    // Without the undeclared key, the expiring key and the due rotation, the audit is clean.
    const openai = emulator.openai.organizationOf(env.RESEARCH_OPENAI_ADMIN_KEY!)!;
    for (const key of openai.adminKeys.all()) {
      if (key.name === 'made-in-console') openai.adminKeys.delete(key.id);
      if (key.name === 'reporting') openai.setAdminKeyTimes(key.id, { expires: null });
      if (key.name === 'notebook') openai.setAdminKeyTimes(key.id, { created: new Date() });
    }
    const clean = await audit(['--manifest', 'keys.yaml']);
    expect(clean.stdout).toMatch(/audit: \d+ keys in 3 listings; no findings\n$/);
    expect(clean.exitCode).toBe(0);
  });

  test('a missing credential: exit 1, the variable named once, the other organizations still audited; --json holds the error object', async () => {
    const result = await audit(['--manifest', 'keys.yaml', '--json'], { EDGE_EI_API_KEY: '' });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as AuditJson;
    expect(report).toMatchObject({ exitCode: 1, error: { code: 'APIKEYS_ERR_CONFIGURATION', message: expect.stringContaining('EDGE_EI_API_KEY') } });
    expect(report.organizations.find((organization) => organization.organization === 'edge')?.error?.message).toContain('EDGE_EI_API_KEY');
    expect(report.keys.some((key) => key.organization === 'research')).toBe(true);
    expect(result.stderr.match(/EDGE_EI_API_KEY/g)).toHaveLength(1);
  });

  test('in a CDKTF project: the app\'s stacks are audited; a --manifest the app never reads is an error', async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node app.js', output: 'out' }));
    writeFileSync(join(project, 'keys.yaml'), MANIFEST);
    writeFileSync(join(project, 'other.yaml'), MANIFEST);
    // The app reads keys.yaml whatever APIKEYS_MANIFEST says.
    writeFileSync(join(project, 'app.js'), [
      `const { App, TerraformStack } = require(${JSON.stringify(join(PACKAGE_ROOT, 'node_modules', 'cdktf'))});`,
      `const { ManifestKeys, loadManifestFile } = require(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'lib', 'index.js'))});`,
      'const app = new App();',
      "new ManifestKeys(new TerraformStack(app, 'keys'), 'manifest', { manifest: loadManifestFile(require('node:path').join(__dirname, 'keys.yaml')) });",
      'app.synth();',
    ].join('\n'));
    const inProject = (args: string[]) => run(process.execPath, [CLI, 'audit', ...args], { cwd: project, env }).then((result) => (outputs.push(result), result));
    const audited = await inProject(['--json']);
    expect(audited.exitCode).toBe(0);
    expect((JSON.parse(audited.stdout) as AuditJson).keys.filter((key) => key.status === 'declared').map((key) => key.name).sort()).toEqual(['etl', 'notebook', 'reporting', 'uploader']);
    const ignored = await inProject(['--manifest', 'other.yaml']);
    expect(ignored.exitCode).toBe(1);
    expect(ignored.stderr).toContain('apikeys: --manifest other.yaml: the app never read it (stack keys: it read keys.yaml)');
  });

  test('bad input: a usage error or a bad manifest exits 1 with a clear message, no stack trace, no vendor call', async () => {
    emulator.requests.length = 0;
    const nothing = await audit([]);
    expect(nothing.exitCode).toBe(1);
    expect(nothing.stderr).toContain('nothing to audit: give --manifest PATH');
    const both = await audit(['--manifest', 'keys.yaml', '--json', '--markdown']);
    expect(both.exitCode).toBe(1);
    expect(JSON.parse(both.stdout)).toMatchObject({ error: { code: 'APIKEYS_ERR_USAGE' }, exitCode: 1 });
    const badDuration = await audit(['--manifest', 'keys.yaml', '--stale-after', '3 months']);
    expect(badDuration.stderr).toContain('--stale-after must be a duration');
    writeFileSync(join(dir, 'bad.yaml'), MANIFEST.replace('every: 30d', 'every: 30'));
    const bad = await audit(['--manifest', 'bad.yaml']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:\d+/);
    expect(bad.stderr).toContain('rotation');
    for (const result of [nothing, both, badDuration, bad]) expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(emulator.requests).toEqual([]);
  });
});
