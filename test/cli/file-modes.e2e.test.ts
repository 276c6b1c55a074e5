/**
 * Secrets at rest: `apikeys demo` (npm start) deploys twice, so it leaves a
 * state file and its backup, Terraform's working directory and .apikeys/.
 * With umask 077 every one of them is private to the owner. The demo run
 * here is also the test of `npm start` (see test/readme/recipes.e2e.test.ts).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DIR, DEMO_OUTDIR, DEMO_STATE_FILE, PACKAGE_ROOT, WORK_DIR } from '../../src/cli/paths';
import { run } from '../../src/cli/run';
import { expectExit } from '../../harness/terraform';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('files apikeys writes are private (umask 077)', () => {
  test('after the demo: .apikeys and its folders 0700, state and backup 0600, nothing readable by group or others', async () => {
    // A .apikeys left world-readable by an earlier version is tightened.
    mkdirSync(WORK_DIR, { recursive: true });
    chmodSync(WORK_DIR, 0o755);
    // The demo runs from a shell whose umask is the usual 022.
    const demo = await run('/bin/sh', ['-c', `umask 022 && exec "${process.execPath}" bin/apikeys.js demo`], { cwd: PACKAGE_ROOT });
    expectExit(demo, 0);
    expect(demo.stdout).toContain('exit status 2: drift detected');
    expect(demo.stdout).toContain('exit status 0: in sync');

    const stackDir = join(DEMO_OUTDIR, 'stacks', 'apikeys');
    expect(existsSync(`${DEMO_STATE_FILE}.backup`)).toBe(true); // the second deploy backed up the first state
    for (const directory of [WORK_DIR, DEMO_DIR, DEMO_OUTDIR, join(DEMO_STATE_FILE, '..'), stackDir, join(stackDir, '.terraform')]) {
      expect([directory, mode(directory)]).toEqual([directory, 0o700]);
    }
    for (const file of [DEMO_STATE_FILE, `${DEMO_STATE_FILE}.backup`, join(stackDir, 'cdk.tf.json'), join(DEMO_DIR, 'terraform.rc')]) {
      expect([file, mode(file)]).toEqual([file, 0o600]);
    }
    // Everything else under .apikeys too: no group or other bits anywhere.
    const walk = (directory: string): string[] => readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isSymbolicLink()) return [];
      return entry.isDirectory() ? [path, ...walk(path)] : [path];
    });
    expect(walk(WORK_DIR).filter((path) => (mode(path) & 0o077) !== 0)).toEqual([]);
    // The demo keeps its own folders: no pipeline's cdktf.out is touched.
    expect(demo.stdout).not.toContain(join(PACKAGE_ROOT, 'cdktf.out'));
  });
});
