/**
 * Set up for `npm run test:unit` (jest.unit.config.js): a unit test that
 * starts a child process (terraform, node, npm, a shell) fails at once,
 * naming the program, so the fast run stays fast and needs nothing but Node.
 * Tests that need processes are named *.e2e.test.ts or *.terraform.test.ts.
 */
import childProcess from 'node:child_process';

const ENTRY_POINTS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

for (const name of ENTRY_POINTS) {
  Object.defineProperty(childProcess, name, {
    configurable: true,
    value: (command: unknown) => {
      throw new Error(`a unit test may not start a child process (${name} ${String(command)}): name the test *.e2e.test.ts or *.terraform.test.ts`);
    },
  });
}
