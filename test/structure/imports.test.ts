import { join } from 'node:path';
import { importCycles, importGraph } from '../support/import-graph';

/**
 * No import cycles in the project's own code, type-only imports included: a
 * cycle is a knot in the design (two modules that cannot be understood, or
 * tested, apart), even when TypeScript erases it.
 */
const ROOT = join(__dirname, '..', '..');

test('no import cycle in src, lib, bin, scripts, bench or harness', () => {
  const graph = importGraph(ROOT, ['src', 'lib', 'bin', 'scripts', 'bench', 'harness']);
  expect(graph.files.length).toBeGreaterThan(100);
  expect(importCycles(graph)).toEqual([]);
});
