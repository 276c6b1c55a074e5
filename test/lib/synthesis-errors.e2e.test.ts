/**
 * An app that uses the library, run as a synthesis runs it (CDKTF_OUTDIR set, as cdktf, cdktn and
 * apikeys set it): the library's errors end it with their message alone; other errors, and every
 * error outside a synthesis or under APIKEYS_DEBUG=1, print as Node prints them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths';
import { run } from '../../src/cli/run';

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

const app = (body: string) => `const { App, TerraformStack } = require(${JSON.stringify(join(PACKAGE_ROOT, 'node_modules', 'cdktf'))});
const { OpenAiOrganization, loadManifestFile } = require(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'lib', 'index.js'))});
const app = new App();
const stack = new TerraformStack(app, 'keys');
${body}
app.synth();
`;

describe('errors that end a synthesis', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'apikeys-synthesis-errors-'));
    writeFileSync(join(dir, 'keys.yaml'), 'version: 1\norganizations:\n  - name: acme\n    vendor: openai\n    adminKeyEnv: GITHUB_TOKEN\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const synthesize = async (name: string, body: string, env: NodeJS.ProcessEnv = {}) => {
    writeFileSync(join(dir, name), app(body));
    const { JEST_WORKER_ID: _worker, APIKEYS_DEBUG: _debug, CDKTF_OUTDIR: _outdir, ...inherited } = process.env;
    return run(process.execPath, [name], { cwd: dir, env: { ...inherited, CDKTF_OUTDIR: join(dir, 'out'), ...env } });
  };

  test('a bad manifest: its problems once, with file:line, nothing else; exit 1', async () => {
    const result = await synthesize('manifest.js', "loadManifestFile('keys.yaml');");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Invalid key manifest \(1 problem\):\n  keys\.yaml:5:18: organizations\[0\]\.adminKeyEnv: names GITHUB_TOKEN, but an openai_admin_key variable[^\n]*\n$/);
  });

  test('bad props: every construct\'s problems at synthesis, each under its construct path; no stack, no error object', async () => {
    const result = await synthesize('props.js', "new OpenAiOrganization(stack, 'a', { adminKeyEnv: 'GITHUB_TOKEN' });\nnew OpenAiOrganization(stack, 'b', { adminKeys: [{ name: '' }] });");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^The app has 2 problems:\n  - OpenAiOrganization "a" \(keys\/a\): adminKeyEnv names GITHUB_TOKEN[^\n]*\n  - OpenAiOrganization "b" \(keys\/b\): adminKeys\[0\]\.name must not be empty or only white space\.\n$/);
  });

  test('APIKEYS_DEBUG=1, or no synthesis at all: Node\'s own report, with the stack', async () => {
    for (const env of [{ APIKEYS_DEBUG: '1' }, { CDKTF_OUTDIR: undefined }]) {
      const result = await synthesize('debug.js', "loadManifestFile('keys.yaml');", env);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(STACK_FRAME);
      expect(result.stderr).toContain('code: \'APIKEYS_ERR_MANIFEST\'');
    }
  });

  test('an error that is not the library\'s: reported with its stack, exit 1', async () => {
    const result = await synthesize('bug.js', "null.boom;");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('TypeError: Cannot read properties of null');
    expect(result.stderr).toMatch(STACK_FRAME);
  });

  test('an app with its own handler keeps handling errors that are not the library\'s', async () => {
    const result = await synthesize('handled.js', "process.on('uncaughtException', (error) => { console.log('handled: ' + error.message); process.exitCode = 3; });\nsetTimeout(() => { throw new Error('late'); });");
    expect(result).toMatchObject({ exitCode: 3, stdout: 'handled: late\n' });
  });
});
