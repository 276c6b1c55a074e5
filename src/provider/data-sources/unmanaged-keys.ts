/**
 * Which listed keys no state tracks, and what to tell the user about them.
 *
 * A key is known by identity: a key whose id a resource tracks is managed,
 * whatever its name says now (a rename in the console is drift on that
 * resource, which its plan shows). Names only explain what is left:
 * - an untracked key with the name of a declared key is probably an orphan of
 *   an earlier failed apply, and the message says how to import it at the
 *   declared key's address, or to revoke it;
 * - any other untracked key is simply not declared in this stack.
 * Keys listed to ignore, by id or by name, are never reported.
 */

/** What this module needs of a listed key. */
export interface ListedKey {
  readonly id: string;
  readonly name: string | null;
}

export interface UnmanagedKeyRules {
  /** Ids of the keys that resources in state track. */
  readonly managedIds: ReadonlySet<string>;
  /** Terraform address of each declared key → its name at the vendor. */
  readonly declaredKeys: ReadonlyMap<string, string>;
  /** Ids or names of keys expected to exist unmanaged. */
  readonly ignore: ReadonlySet<string>;
}

export interface UnmanagedKey extends ListedKey {
  /** The id `terraform import` takes for this key's family. */
  readonly importId: string;
  /** Addresses of declared keys with this key's name; empty for a plain undeclared key. */
  readonly declaredAs: readonly string[];
}

export function findUnmanagedKeys(keys: readonly ListedKey[], rules: UnmanagedKeyRules, importId: (id: string) => string): UnmanagedKey[] {
  const addressesByName = new Map<string, string[]>();
  for (const [address, name] of rules.declaredKeys) addressesByName.set(name, [...(addressesByName.get(name) ?? []), address]);
  return keys
    .filter((key) => !rules.managedIds.has(key.id) && !rules.ignore.has(key.id) && !(key.name !== null && rules.ignore.has(key.name)))
    .map((key) => ({
      id: key.id, name: key.name, importId: importId(key.id),
      declaredAs: [...(key.name === null ? [] : addressesByName.get(key.name) ?? [])].sort(),
    }));
}

/** A key as messages name it: its id and its name (quoted, so odd characters stay visible). */
export const describeKey = (key: ListedKey): string => `${key.id} (${key.name === null ? 'no name' : JSON.stringify(key.name)})`;

const undeclaredMessage = (label: string, keys: readonly UnmanagedKey[]): string => keys.length === 1
  ? `${label} has a key not declared in this stack: ${describeKey(keys[0])}. Declare it, revoke it, or list its id or name in ignoreUndeclared.`
  : `${label} has ${keys.length} keys not declared in this stack: ${keys.map(describeKey).join(', ')}. ` +
    'Declare them, revoke them, or list their ids or names in ignoreUndeclared.';

function orphanMessage(label: string, key: UnmanagedKey): string {
  const [address] = key.declaredAs;
  const declared = key.declaredAs.length === 1 ? `declared key ${address}` : `declared keys ${key.declaredAs.join(', ')}`;
  return `${label}: key ${describeKey(key)} has the name of ${declared} but no state tracks it: ` +
    'it may be an orphan of an earlier failed apply. ' +
    `Import it with \`terraform import ${address} ${key.importId}\` or an \`import {}\` block ` +
    `(first \`terraform state rm ${address}\` if that address tracks another key, and revoke that key), or revoke it.`;
}

/** One sentence for the undeclared keys, then one per possible orphan; none when nothing is to report. */
export function unmanagedKeyMessages(label: string, keys: readonly UnmanagedKey[]): string[] {
  const undeclared = keys.filter((key) => key.declaredAs.length === 0);
  return [
    ...(undeclared.length > 0 ? [undeclaredMessage(label, undeclared)] : []),
    ...keys.filter((key) => key.declaredAs.length > 0).map((key) => orphanMessage(label, key)),
  ];
}
