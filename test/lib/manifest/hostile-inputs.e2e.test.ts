/**
 * Hostile and malformed manifests (test/support/hostile-manifests.ts): each is
 * refused with an error naming the file and the line (or the file as a
 * whole), never a stack trace, never repeating a credential. Here every case
 * that involves a special file, and a representative set of the rest (text
 * cases run in process in hostile-inputs.test.ts), run through the real cdktf
 * app entry point as a child process with a deadline, with an emulator
 * standing by that must receive no request at all (synthesis never calls a vendor).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifestFile, ManifestError } from '../../../lib/manifest/loader';
import { VendorEmulator } from '../../../src/emulator/server';
import { runApp, STACK_TRACE } from '../../support/app-entry';
import { HOSTILE_MANIFESTS, type HostileManifest } from '../../support/hostile-manifests';
import { thrown } from '../../support/lib';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apikeys-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** The case's manifest as a file: its text written out, or the special file it makes. */
function materialize(input: HostileManifest['input']): string {
  const caseDir = join(dir, String(counter++));
  mkdirSync(caseDir);
  if (typeof input !== 'string') return input(caseDir)!;
  const path = join(caseDir, 'manifest.yaml');
  writeFileSync(path, input);
  return path;
}

const APP_CASES = HOSTILE_MANIFESTS.filter((entry) => typeof entry.input !== 'string' || entry.viaApp);

describe('through the cdktf app: exit 1, file and line, no stack trace, no vendor request, no hang', () => {
  let emulator: VendorEmulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const vendors = emulator.describe().vendors;
    env = {
      OPENAI_BASE_URL: vendors.openai.baseUrl, EDGEIMPULSE_BASE_URL: vendors.edgeimpulse.baseUrl, MONGODB_ATLAS_BASE_URL: vendors.atlas.baseUrl,
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1', ACME_OPENAI_ADMIN_KEY: emulator.openai.bootstrapAdminKey,
      GITHUB_TOKEN: 'ghp_not_a_real_token_but_must_not_leak', CDKTF_OUTDIR: join(dir, 'cdktf.out'), APIKEYS_DEBUG: '',
    };
  });
  afterAll(async () => {
    expect(emulator.requests).toEqual([]);
    await emulator?.stop();
  });

  test.each(APP_CASES.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const path = materialize(entry.input);
    const run = await runApp(path, env);
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    const lines = run.output.split('\n').filter((line) => entry.message.test(line));
    if (lines.length === 0) throw new Error(`no output line matches ${entry.message}:\n${run.output.slice(0, 3000)}`);
    const where = entry.line === undefined ? `${path}: ` : `${path}:${entry.line}:`;
    expect(lines.some((line) => line.includes(where))).toBe(true);
    expect(run.output).not.toMatch(STACK_TRACE);
    expect(run.output).not.toContain('ghp_not_a_real_token_but_must_not_leak');
    if (entry.neverShown) expect(run.output).not.toContain(entry.neverShown);
    expect(emulator.requests).toEqual([]);
  }, 90_000);

  test('a socket is refused without reading', async () => {
    const socketPath = join(dir, 'manifest.sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const error = thrown(ManifestError, () => loadManifestFile(socketPath));
      expect(error.message).toMatch(/is a socket; a manifest must be a regular file/);
      const run = await runApp(socketPath, env);
      expect(run.exitCode).toBe(1);
      expect(run.output).toContain(`${socketPath}: (top level): is a socket`);
      expect(run.output).not.toMatch(STACK_TRACE);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 90_000);

  test('APIKEYS_DEBUG=1 adds the stack trace (so the assertion above can fail)', async () => {
    const run = await runApp(materialize(HOSTILE_MANIFESTS.find((entry) => entry.name === 'an undefined alias')!.input), { ...env, APIKEYS_DEBUG: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.output).toMatch(STACK_TRACE);
  }, 90_000);
});
