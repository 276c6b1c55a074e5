/**
 * Which listed keys a pruning revokes: the keys of an organization (or
 * project) that nobody declared. Pure, so the plan and its apply decide the
 * same from the same listing. Never a candidate: a key a resource tracks (by
 * id, a rotation's previous key included), a key with the name of a declared
 * key (it may be one whose id is not known yet, or an orphan to import), an
 * ignored key (by id or name), a key that could be the connection's own
 * credential, and a key younger than the minimum age (it may be another
 * pipeline's create in flight) or whose age the vendor does not tell.
 */

/** What the pruning needs of a listed key. */
export interface PrunableKey {
  readonly id: string;
  readonly name: string | null;
  /** RFC 3339; null when the vendor does not say. */
  readonly created_at: string | null;
  readonly credential: boolean;
}

export interface PruneRules {
  readonly managedIds: ReadonlySet<string>;
  readonly declaredNames: ReadonlySet<string>;
  /** Ids or names. */
  readonly ignore: ReadonlySet<string>;
  readonly minAgeMs: number;
}

/** Why a listed key is kept, for the plan's messages and the audit. */
export type Kept = 'declared' | 'declared name' | 'ignored' | 'credential' | 'too young';

/** Why `key` is kept at `now`, or undefined when it is to be revoked. */
export function keptBecause(key: PrunableKey, now: number, rules: PruneRules): Kept | undefined {
  if (rules.managedIds.has(key.id)) return 'declared';
  if (key.name !== null && rules.declaredNames.has(key.name)) return 'declared name';
  if (rules.ignore.has(key.id) || (key.name !== null && rules.ignore.has(key.name))) return 'ignored';
  if (key.credential) return 'credential';
  const created = key.created_at === null ? NaN : Date.parse(key.created_at);
  if (!Number.isFinite(created) || now - created < rules.minAgeMs) return 'too young';
  return undefined;
}

/** The keys to revoke, in listing order. */
export const pruneCandidates = <Key extends PrunableKey>(keys: readonly Key[], now: number, rules: PruneRules): Key[] =>
  keys.filter((key) => keptBecause(key, now, rules) === undefined);
