/**
 * The inventory in a fresh node process with Node's default rejection mode
 * (jest intercepts unhandled rejections itself): recording writes after a
 * failed listing that nobody reads again must not end the process, which for
 * the provider would be a crash in the middle of an apply.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

describe('Inventory in its own process', () => {
  test('recording writes after a failed listing does not crash the process with an unhandled rejection', () => {
    const result = runInventoryScenario(`
      const inventory = new Inventory(async () => { throw new Error('listing failed'); }, (key) => key.id);
      await inventory.find('a').catch(() => undefined);
      inventory.recordCreated({ id: 'b' });
      inventory.recordDeleted('a');
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log('alive');
    `);
    expect(result.stderr).not.toContain('listing failed');
    expect(result.stdout.trim()).toBe('alive');
    expect(result.status).toBe(0);
  });

  test('the child-process harness itself works (a healthy scenario stays alive)', () => {
    const result = runInventoryScenario(`
      const inventory = new Inventory(async () => [{ id: 'a' }], (key) => key.id);
      await inventory.find('a');
      inventory.recordCreated({ id: 'b' });
      console.log((await inventory.find('b')) ? 'alive' : 'missing');
    `);
    expect(result.stdout.trim()).toBe('alive');
    expect(result.status).toBe(0);
  });
});

/** Runs `body` (async JS with `Inventory` in scope) in a fresh node process, with Node's default rejection mode. */
function runInventoryScenario(body: string): { status: number | null; stdout: string; stderr: string } {
  const source = readFileSync(join(__dirname, '../../src/reconcile/inventory.ts'), 'utf8');
  const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const script = `const m = { exports: {} };\n(function (exports, module) {\n${compiled}\n})(m.exports, m);\nconst { Inventory } = m.exports;\n(async () => {\n${body}\n})();\n`;
  const result = spawnSync(process.execPath, ['--unhandled-rejections=throw', '-e', script], { encoding: 'utf8', timeout: 10_000, env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
