import { ApiKeysError, ConfigurationError } from '../../core/errors';
import { connectionLabel, parseDuration } from '../../core/rules';
import { MAX_PRUNE_LIMIT, PRUNE_RULES } from '../../core/rules/pruning';
import type { ProviderContext } from '../context';
import { listOf, objectOf, setOf } from '../cty/types';
import { isUnknown, type CtyValue } from '../cty/value';
import { IncompleteApplyError, type PlannedChange, type PrivateState, type ResourceDefinition } from '../framework/resource';
import type { Schema, StateOf } from '../framework/schema';
import { oneOf, quoted } from '../framework/validators';
import { connectionTo } from '../connections/connection';
import type { ProviderFamily, Scope } from '../families/family';
import { familyListings, listKeys, type FamilyListing } from '../families/listings';
import { pruneCandidates, type PrunableKey, type PruneRules } from './candidates';

/**
 * apikeys_exclusive_keys: opt-in pruning. The keys of one organization (or
 * project) that no resource of the configuration declares are revoked, as
 * AWS's `*_exclusive` resources make a set exclusive. Made safe for
 * production credentials:
 * - the plan names every key it will revoke (id and name) in `pruned`, and
 *   the apply revokes exactly those: both read one listing, taken at refresh
 *   and kept in private state, so a key that appears in between waits for
 *   the next plan, and a saved plan applied later does what it showed;
 * - never a declared key (by id, a rotation's previous key included, or by a
 *   declared name), an ignored key, a key that could be the connection's own
 *   credential, or a key younger than `min_age`;
 * - at most `limit` keys per apply: a plan over it fails and says how many;
 * - a revoke that fails part way saves what was revoked; the rest waits for
 *   the next apply, and nothing is revoked twice.
 * The first apply only records: pruning starts with the plan after it.
 */

const PRUNED_KEY = objectOf({ id: 'string', name: 'string', created_at: 'string' });
const DEFAULT_LIMIT = 10;
const DEFAULT_MIN_AGE = '1h';
/** The listing the plan prunes from, in private state. */
const LISTING = 'listing';

const schemaFor = (names: readonly string[]) => ({
  version: 0,
  description: 'Revokes the keys of one organization (or project) that no resource of this configuration declares: opt-in pruning. ' +
    'The plan names each key it will revoke in `pruned`, and the apply revokes exactly those. Never pruned: a key in `managed_ids`, a key ' +
    'named in `declared_names`, a key in `ignore` (ids or names), a key that could be the connection\'s own credential, a key younger than ' +
    '`min_age`. The first apply only records; pruning starts with the next plan.',
  attributes: {
    id: { type: 'string', computed: true, description: 'The family, connection and scope this resource prunes.' },
    family: { type: 'string', required: true, requiresReplace: true, validators: [oneOf(names)], description: `Key family: ${names.map((name) => `\`${name}\``).join(', ')}.` },
    connection_name: {
      type: 'string', optional: true, requiresReplace: true, validators: [connectionLabel],
      description: 'Label of the provider\'s `<vendor>_connection` block to prune through. Unset: the vendor\'s default connection.',
    },
    organization_id: { type: 'string', optional: true, requiresReplace: true, description: 'The organization, for families listed per organization.' },
    project_id: { type: 'string', optional: true, requiresReplace: true, description: 'The project, for families listed per project.' },
    managed_ids: {
      type: setOf('string'), required: true,
      description: 'Ids of the keys the configuration declares, with each rotation\'s previous key (`apikeys_<type>.<name>.id`, ' +
        '`try(apikeys_<type>.<name>.previous_key.id, "")`). Empty strings are ignored.',
    },
    declared_names: { type: setOf('string'), optional: true, description: 'Names of the keys the configuration declares: a key with one of these names is never pruned (it may be one whose id is not known yet, or an orphan to import).' },
    ignore: { type: setOf('string'), optional: true, description: 'Ids or names of keys expected to exist undeclared. Never pruned.' },
    limit: {
      type: 'number', optional: true, validators: PRUNE_RULES.limit,
      description: `At most this many keys are revoked per apply (1 to ${MAX_PRUNE_LIMIT}); a plan with more fails, naming the count. Default ${DEFAULT_LIMIT}.`,
    },
    min_age: {
      type: 'string', optional: true, validators: PRUNE_RULES.minAge,
      description: `Keys younger than this are never pruned: they may be another pipeline's creates in flight. Default \`${DEFAULT_MIN_AGE}\`; \`0s\` allowed.`,
    },
    pruned: {
      type: listOf(PRUNED_KEY), computed: true,
      description: 'In a plan: the keys this apply revokes (`id`, `name`, `created_at`). In state: the keys the latest pruning revoked.',
    },
  },
} as const satisfies Schema);

export type ExclusiveKeysState = StateOf<ReturnType<typeof schemaFor>>;
type PrunedKey = NonNullable<ExclusiveKeysState['pruned']>[number];

const scopeOf = (state: ExclusiveKeysState): Scope => ({ organization_id: state.organization_id ?? undefined, project_id: state.project_id ?? undefined });

/** The strings of a set that are known and not empty; undefined when the whole set is not known yet. */
function knownStrings(value: CtyValue | undefined): Set<string> | undefined {
  if (isUnknown(value)) return undefined;
  return new Set((Array.isArray(value) ? value : []).filter((item): item is string => typeof item === 'string' && item !== ''));
}

/** The listing a refresh stored, or undefined when this instance was not refreshed. */
function storedListing(privateState: PrivateState): { at: number; keys: PrunableKey[] } | undefined {
  const stored = privateState[LISTING] as { at?: unknown; keys?: unknown } | undefined;
  return stored && typeof stored.at === 'number' && Array.isArray(stored.keys) ? { at: stored.at, keys: stored.keys as PrunableKey[] } : undefined;
}

const describeKey = (key: PrunedKey): string => `${key.id} (${key.name === null ? 'no name' : JSON.stringify(key.name)})`;

export function exclusiveKeysResource(families: readonly ProviderFamily[]): ResourceDefinition<ExclusiveKeysState, ProviderContext> {
  const listings = familyListings(families);
  const names = [...listings.keys()];

  function familyOf(state: ExclusiveKeysState): FamilyListing {
    const found = listings.get(state.family ?? '');
    if (!found) throw new ConfigurationError(`unknown key family ${quoted(state.family)}`, 'family', `Use one of ${names.join(', ')}.`);
    return found;
  }

  const where = (state: ExclusiveKeysState): string =>
    `${familyOf(state).listing.label(scopeOf(state))}${state.connection_name === null ? '' : ` (connection "${state.connection_name}")`}`;

  /** What the configuration protects, or undefined while the managed ids are not known. */
  function rulesOf(config: ExclusiveKeysState): PruneRules | undefined {
    const managedIds = knownStrings(config.managed_ids);
    if (!managedIds) return undefined;
    return {
      managedIds,
      declaredNames: knownStrings(config.declared_names) ?? new Set(),
      ignore: knownStrings(config.ignore) ?? new Set(),
      minAgeMs: parseDuration(typeof config.min_age === 'string' ? config.min_age : DEFAULT_MIN_AGE) ?? 0,
    };
  }

  return {
    typeName: 'apikeys_exclusive_keys',
    schema: schemaFor(names),
    describe: (state) => `the pruning of ${typeof state.family === 'string' && listings.has(state.family) ? where(state as ExclusiveKeysState) : 'undeclared keys'}`,

    validateConfig(config, diagnostics) {
      const family = typeof config.family === 'string' ? listings.get(config.family)?.listing : undefined;
      for (const argument of family?.scope ?? []) {
        if (config[argument] === null) diagnostics.error(`Missing ${argument}`, `The ${config.family} family is listed per ${argument.replace('_id', '')}: set ${argument}.`, [argument]);
      }
    },

    async read({ provider, current, privateState }) {
      const at = Date.now();
      const keys = await listKeys(provider, familyOf(current), scopeOf(current), current.connection_name);
      privateState[LISTING] = { at, keys: keys.map(({ id, name, created_at, credential }) => ({ id, name, created_at, credential })) };
      return current;
    },

    async modifyPlan({ diagnostics, prior, planned, config, privateState }): Promise<PlannedChange<ExclusiveKeysState>> {
      if (!prior) {
        diagnostics.warning(`Pruning of ${where(planned)} starts with the next plan`, 'This apply only records the pruning; the next plan lists the organization and names each undeclared key it will revoke.');
        return { planned: { ...planned, pruned: [] }, requiresReplace: [] };
      }
      const unchanged = { planned: { ...planned, pruned: prior.pruned }, requiresReplace: [] };
      const listing = storedListing(privateState);
      const rules = rulesOf(config);
      if (!listing || !rules) {
        diagnostics.warning(`Nothing pruned in ${where(prior)} by this plan`, listing
          ? 'The ids of the declared keys are not known until apply; pruning waits for the next plan, which knows them.'
          : 'The plan did not refresh this resource (for example -refresh=false), so it has no listing to prune from.');
        return unchanged;
      }
      const candidates = pruneCandidates(listing.keys, listing.at, rules);
      if (candidates.length === 0) return unchanged;
      const limit = typeof config.limit === 'number' ? config.limit : DEFAULT_LIMIT;
      const pruned: PrunedKey[] = candidates.map(({ id, name, created_at }) => ({ id, name, created_at }));
      if (pruned.length > limit) {
        throw Object.assign(new ApiKeysError(
          `${where(prior)} has ${pruned.length} undeclared keys to revoke, more than the limit of ${limit} per apply: ${pruned.map(describeKey).join(', ')}`,
          { hint: `If they are all to go, raise limit to ${pruned.length} (undeclaredKeys' pruneLimit in a manifest); otherwise declare or ignore the ones to keep. Nothing was revoked.` },
        ), { attributePath: ['limit'] });
      }
      diagnostics.warning(
        `Revoking ${pruned.length} undeclared key${pruned.length === 1 ? '' : 's'} of ${where(prior)}`,
        `This apply revokes ${pruned.map(describeKey).join(', ')}: no resource declares ${pruned.length === 1 ? 'it' : 'them'}. Declare or ignore a key to keep it.`,
      );
      return { planned: { ...planned, pruned }, requiresReplace: [] };
    },

    async create({ planned }) {
      return { ...planned, id: [planned.family, planned.connection_name ?? '', planned.organization_id ?? planned.project_id ?? ''].join('/'), pruned: [] };
    },

    async update({ provider, prior, planned, config }) {
      const previous = new Set((prior.pruned ?? []).map((key) => key.id));
      const toRevoke = (planned.pruned ?? []).filter((key) => !previous.has(key.id));
      if (toRevoke.length === 0) return planned;
      const found = familyOf(planned);
      const scope = scopeOf(planned);
      const { clients } = connectionTo(provider, found.vendor, planned.connection_name);
      // Checked again now that the declared ids are known: a key the plan named but that is declared now is kept.
      const declared = knownStrings(config.managed_ids) ?? new Set<string>();
      const revoked: PrunedKey[] = [];
      for (const key of toRevoke) {
        const rest = () => toRevoke.slice(toRevoke.indexOf(key)).map(describeKey).join(', ');
        const stopped = (problem: string, hint: string, cause?: unknown) => new IncompleteApplyError({ ...planned, pruned: revoked }, new ApiKeysError(
          `${problem}. Revoked before it: ${revoked.length ? revoked.map(describeKey).join(', ') : 'none'}; not revoked: ${rest()}.`, { hint, cause },
        ));
        if (key.id === null || declared.has(key.id)) {
          throw stopped(`the plan named ${describeKey(key)} for pruning, but a resource declares it now, so it was kept`, 'Plan again: the next plan knows it is declared.');
        }
        try {
          await found.listing.revoke(clients, scope, key.id!);
        } catch (error) {
          throw stopped(`revoking ${describeKey(key)} failed: ${error instanceof Error ? error.message : String(error)}`, 'The next plan names the keys left; apply it when the vendor answers.', error);
        }
        revoked.push(key);
      }
      return planned;
    },

    async delete() {
      // Ending the pruning revokes nothing.
    },

    importState() {
      throw new ConfigurationError('apikeys_exclusive_keys cannot be imported', 'id', 'Declare it; its first apply only records, and pruning starts with the next plan.');
    },
  };
}
