import { keptBecause, pruneCandidates, type PrunableKey, type PruneRules } from '../../../src/provider/pruning/candidates';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();
const key = (id: string, name: string | null, created: string | null = hoursAgo(5), credential = false): PrunableKey => ({ id, name, created_at: created, credential });
const RULES: PruneRules = { managedIds: new Set(['key_declared', 'key_previous']), declaredNames: new Set(['ci']), ignore: new Set(['key_ignored', 'break-glass']), minAgeMs: 3_600_000 };

test.each([
  ['a key a resource tracks', key('key_declared', 'whatever'), 'declared'],
  ['a rotation\'s previous key', key('key_previous', 'ci'), 'declared'],
  ['a key with a declared name (an id not known yet, or an orphan to import)', key('key_x', 'ci'), 'declared name'],
  ['a key ignored by id', key('key_ignored', 'x'), 'ignored'],
  ['a key ignored by name', key('key_y', 'break-glass'), 'ignored'],
  ['the connection\'s own credential', key('key_z', 'pipeline', hoursAgo(100), true), 'credential'],
  ['a key younger than the minimum age', key('key_new', 'fresh', hoursAgo(0.5)), 'too young'],
  ['a key whose age the vendor does not tell', key('key_dateless', 'old', null), 'too young'],
  ['an undeclared key old enough', key('key_rogue', 'made-in-console'), undefined],
  ['an undeclared key without a name', key('key_anonymous', null), undefined],
] as const)('%s', (_what, listed, reason) => {
  expect(keptBecause(listed, NOW, RULES)).toBe(reason);
});

test('the candidates keep the listing order', () => {
  const listed = [key('key_b', 'b'), key('key_declared', 'd'), key('key_a', 'a')];
  expect(pruneCandidates(listed, NOW, RULES).map((found) => found.id)).toEqual(['key_b', 'key_a']);
  expect(pruneCandidates(listed, NOW, { ...RULES, minAgeMs: 0 }).map((found) => found.id)).toEqual(['key_b', 'key_a']);
});
