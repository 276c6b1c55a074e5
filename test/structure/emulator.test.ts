import { join } from 'node:path';
import { importGraph } from '../support/import-graph';

/**
 * The emulator checks the clients; it must not share their code. A bug that
 * client and emulator shared (a digest computed the same wrong way, a mask
 * both expect) would pass every test. So src/emulator imports only node
 * builtins and src/core (facts are data), never the adapters, the library,
 * the provider or the CLI: they translate into the emulator's own types.
 */
const ROOT = join(__dirname, '..', '..');
const FORBIDDEN = ['src/vendors/', 'lib/', 'src/provider/', 'src/cli/'];

test('src/emulator imports nothing from src/vendors, lib, src/provider or src/cli', () => {
  const graph = importGraph(ROOT, ['src/emulator']);
  expect(graph.files.length).toBeGreaterThan(20);
  const offending = [...graph.edges].flatMap(([file, targets]) =>
    targets.filter((target) => FORBIDDEN.some((prefix) => target.startsWith(prefix))).map((target) => `${file} → ${target}`));
  expect(offending).toEqual([]);
});

test('what src/emulator imports from outside itself is src/core alone', () => {
  const graph = importGraph(ROOT, ['src/emulator']);
  const outside = new Set([...graph.edges.values()].flat().filter((target) => !target.startsWith('src/emulator/')).map((target) => target.split('/').slice(0, 2).join('/')));
  expect([...outside]).toEqual(['src/core']);
});
