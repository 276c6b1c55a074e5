/**
 * Hostile and malformed manifests (test/support/hostile-manifests.ts): each is
 * refused with an error naming the file and the line (or the file as a
 * whole), never a stack trace, never repeating a credential. Text cases run
 * here, in process; every case that involves a special file, and a
 * representative set of the rest, run through the real cdktf app entry point
 * in hostile-inputs.e2e.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, loadManifestFile, ManifestError } from '../../../lib/manifest/loader';
import { STACK_TRACE } from '../../support/app-entry';
import { ALLOWED_ODDITIES, HOSTILE_MANIFESTS, type HostileManifest } from '../../support/hostile-manifests';
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

const TEXT_CASES = HOSTILE_MANIFESTS.filter((entry) => typeof entry.input === 'string');

test('the table holds at least 80 hostile manifests, and names each once', () => {
  expect(HOSTILE_MANIFESTS.length).toBeGreaterThanOrEqual(80);
  expect(new Set(HOSTILE_MANIFESTS.map((entry) => entry.name)).size).toBe(HOSTILE_MANIFESTS.length);
});

describe('in process: every text case is a ManifestError at its file and line', () => {
  test.each(TEXT_CASES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const path = materialize(entry.input);
    const error = thrown(ManifestError, () => loadManifestFile(path));
    const matching = error.issues.filter((issue) => entry.message.test(formatIssue(issue)));
    if (matching.length === 0) throw new Error(`no issue matches ${entry.message}:\n${error.message}`);
    expect(matching.map((issue) => issue.file)).toContain(path);
    if (entry.line !== undefined) expect(matching.map((issue) => issue.line)).toContain(entry.line);
    expect(error.message).not.toMatch(STACK_TRACE);
    if (entry.neverShown) expect(error.message).not.toContain(entry.neverShown);
    expect(error.message.length).toBeLessThan(5000);
  });
});

describe('odd but allowed inputs load', () => {
  test.each(ALLOWED_ODDITIES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    expect(loadManifestFile(materialize(entry.input)).organizations.length).toBeGreaterThan(0);
  });
});
