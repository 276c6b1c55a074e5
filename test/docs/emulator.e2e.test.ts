import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths';
import { curlCalls, shellBlocks } from './emulator-doc';

/**
 * docs/emulator.md's examples work: its shell blocks run, in order, in one
 * bash, against `apikeys emulator` from this checkout, and every curl call
 * must answer 2xx (--fail-with-body); its last block stops the emulator.
 * The shell and the emulator share one process group, which the test ends
 * in any case.
 */
const PRELUDE = `set -euo pipefail
npx() {
  local tool="$1"; shift
  case "$tool" in
    apikeys) exec node "${join(PACKAGE_ROOT, 'bin', 'apikeys.js')}" "$@" ;;  # the document starts it in the background: $! is then the emulator
    *) echo "docs test: npx $tool is not available offline" >&2; return 127 ;;
  esac
}
curl() { command curl --fail-with-body --max-time 10 "$@"; echo; echo "curl ok" >&2; }
`;

/** Whether every process of the group has ended within `ms`. */
async function groupEnds(group: number, ms: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((resolve) => setTimeout(resolve, 100))) {
    try {
      process.kill(-group, 0);
    } catch {
      return true;
    }
  }
  return false;
}

test('the control-route examples run in order against apikeys emulator, every call answering 2xx', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'apikeys-emulator-doc-'));
  const shell = spawn('bash', ['-c', PRELUDE + shellBlocks().join('\n')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const deadline = setTimeout(() => process.kill(-shell.pid!, 'SIGKILL'), 90_000);
  try {
    const code = await new Promise<number | null>((resolve) => shell.on('close', resolve));
    expect({ code, stderr: stderr.replace(/curl ok\n/g, '') }).toEqual({ code: 0, stderr: '' });
    expect(stderr.match(/curl ok/g)).toHaveLength(curlCalls().length);
    expect(stdout).toContain('"controlRoutes"');
    // `kill $EMULATOR` stopped it: nothing of the group is left.
    await expect(groupEnds(shell.pid!, 5_000)).resolves.toBe(true);
  } finally {
    clearTimeout(deadline);
    try {
      process.kill(-shell.pid!, 'SIGTERM');
    } catch {
      // The group has ended already.
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
