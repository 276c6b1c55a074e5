import { ConfigurationError } from '../../core/errors';
import { connectionLabel } from '../../core/rules';
import type { ProviderContext } from '../context';
import { listOf, mapOf, objectOf, setOf } from '../cty/types';
import type { DataSourceDefinition } from '../framework/resource';
import type { Schema, StateOf } from '../framework/schema';
import { oneOf, quoted } from '../framework/validators';
import { importIdOf } from '../connections/connection';
import { AlreadyReportedError } from '../connections/refusals';
import type { KeyListing, ProviderFamily, Scope, ScopeArgument } from '../families/family';
import { familyListings, listKeys, type FamilyListing, type ListedKey } from '../families/listings';
import { findUnmanagedKeys, unmanagedKeyMessages } from './unmanaged-keys';

/**
 * apikeys_organization_keys: every key of one organization (or project), as
 * the vendor lists it, redacted. It serves audits, and with `managed_ids`
 * (the ids resources in state track) it names the keys no state tracks, so a
 * plan can show keys added outside Terraform (see unmanaged-keys.ts). It
 * shares the provider process's one listing per connection and organization
 * with the resources. Each family supplies its listing (families/<vendor>/).
 */
const KEY_SUMMARY_TYPE = objectOf({
  id: 'string', name: 'string', redacted_value: 'string', created_at: 'string', last_used_at: 'string',
  expires_at: 'string', owner: 'string', roles: listOf('string'), public_key: 'string', credential: 'bool',
});

const UNMANAGED_KEY_TYPE = objectOf({ id: 'string', name: 'string', import_id: 'string', declared_as: listOf('string') });

/** The key families whose listing takes a scope argument, for descriptions. */
const scopedBy = (listings: ReadonlyMap<string, FamilyListing>, argument: ScopeArgument): string =>
  [...listings].filter(([, { listing }]) => listing.scope.includes(argument)).map(([name]) => `\`${name}\``).join(', ');

const schemaFor = (names: readonly string[], listings: ReadonlyMap<string, FamilyListing>) => ({
  version: 0,
  description: 'Every key of one organization (or project), redacted, with creation, last-use and expiry details. ' +
    'With `managed_ids`, it names the keys no state tracks: `unmanaged_ids`, `unmanaged_keys` and ready-made `messages`.',
  attributes: {
    family: {
      type: 'string', required: true, validators: [oneOf(names)],
      description: `Key family: ${names.map((family) => `\`${family}\``).join(', ')}.`,
    },
    connection_name: {
      type: 'string', optional: true, validators: [connectionLabel],
      description: 'Label of the provider\'s `<vendor>_connection` block to list with (the vendor of `family`), e.g. `"acme"`. ' +
        'Unset: the vendor\'s default connection, the provider\'s flat `<vendor>_*` attributes.',
    },
    organization_id: { type: 'string', optional: true, description: `The organization, for ${scopedBy(listings, 'organization_id')}.` },
    project_id: { type: 'string', optional: true, description: `The project, for ${scopedBy(listings, 'project_id')}.` },
    managed_ids: {
      type: setOf('string'), optional: true,
      description: 'Ids of the keys that resources of this configuration track (`apikeys_<type>.<name>.id`). A key with one of these ids is ' +
        'never reported, whatever its name. While a declared key awaits creation its id is unknown, so Terraform reads the listing during apply, after the key exists. ' +
        'Pass them through a local value: a direct reference also defers the read whenever a referenced key has any change pending.',
    },
    declared_keys: {
      type: mapOf('string'), optional: true,
      description: 'Address of each declared key resource → the key\'s name at the vendor. An untracked key with one of these names is reported ' +
        'as a possible orphan of an earlier failed apply, with the `terraform import` command for that address. Needs `managed_ids`.',
    },
    ignore: { type: setOf('string'), optional: true, description: 'Ids or names of keys expected to exist unmanaged, such as the key the pipeline authenticates with. Never reported.' },
    managed_names: { type: setOf('string'), optional: true, description: 'Deprecated: use `ignore`, which takes ids or names. Keys with these names are never reported.' },
    label: { type: 'string', optional: true, description: 'How `messages` name this listing, e.g. "Organization acme". Defaults to the family and its scope.' },
    keys: {
      type: listOf(KEY_SUMMARY_TYPE), computed: true,
      description: 'Every key, oldest first: `id`, `name`, `redacted_value`, `created_at`, `last_used_at`, `expires_at` (RFC 3339), `owner`, `roles`, ' +
        '`public_key` (Atlas), and `credential`: true when the key could be the one this connection authenticates with (its redacted form or ' +
        'public key matches). Never a secret.',
    },
    unmanaged_ids: {
      type: listOf('string'), computed: true,
      description: 'Ids of listed keys that no id in `managed_ids` tracks and `ignore` does not list; null when none of `managed_ids`, `declared_keys`, `ignore`, `managed_names` is set.',
    },
    unmanaged_keys: {
      type: listOf(UNMANAGED_KEY_TYPE), computed: true,
      description: 'The keys of `unmanaged_ids`: `id`, `name`, `import_id` (what `terraform import` takes) and `declared_as` (addresses of declared keys with the same name; empty when none).',
    },
    messages: {
      type: listOf('string'), computed: true,
      description: 'What to tell the user about `unmanaged_keys`, naming each key by id and name: one sentence for the keys not declared in this stack, one per possible orphan. Empty when all is well.',
    },
  },
} as const satisfies Schema);

export type OrganizationKeysState = StateOf<ReturnType<typeof schemaFor>>;

/** The data source over every family's listings (the registry, ../provider.ts, passes the families). */
export function organizationKeysDataSource(families: readonly ProviderFamily[]): DataSourceDefinition<OrganizationKeysState, ProviderContext> {
  const listings = familyListings(families);
  const names = [...listings.keys()];
  return {
    typeName: 'apikeys_organization_keys',
    schema: schemaFor(names, listings),

    validateConfig(config, diagnostics) {
      const family = typeof config.family === 'string' ? listings.get(config.family)?.listing : undefined;
      for (const argument of family?.scope ?? []) {
        if (config[argument] === null) diagnostics.error(`Missing ${argument}`, `The ${config.family} family is listed per ${argument.replace('_id', '')}: set ${argument}.`, [argument]);
      }
      if (config.declared_keys !== null && config.managed_ids === null) {
        diagnostics.error('Missing managed_ids', 'declared_keys tells possible orphans from tracked keys only with the ids resources track: set managed_ids, e.g. [apikeys_openai_admin_key.ci.id].', ['managed_ids']);
      }
    },

    async read({ provider, config, diagnostics }) {
      const found = listings.get(config.family!);
      if (!found) throw new ConfigurationError(`unknown key family ${quoted(config.family)}`, 'family', `Use one of ${names.join(', ')}.`);
      const family = found.listing;
      const scope = { organization_id: config.organization_id ?? undefined, project_id: config.project_id ?? undefined };
      let keys: ListedKey[];
      try {
        keys = await listKeys(provider, found, scope, config.connection_name);
      } catch (error) {
        const reported = provider.reportedCauses.once(error, { vendor: found.vendor.facts.vendor, connection: config.connection_name, where: family.where(scope) });
        // Reported in full by an earlier call: this plan fails on that one, and this listing says nothing more.
        if (reported instanceof AlreadyReportedError) return { ...config, keys: [], unmanaged_ids: null, unmanaged_keys: null, messages: [] };
        throw reported;
      }
      const judged = config.managed_ids !== null || config.declared_keys !== null || config.ignore !== null || config.managed_names !== null;
      // The key the connection authenticates with is expected to exist: never reported.
      const unmanaged = judged ? findUnmanagedKeys(keys.filter((key) => !key.credential), {
        managedIds: new Set(config.managed_ids ?? []),
        declaredKeys: new Map(Object.entries(config.declared_keys ?? {})),
        ignore: new Set([...(config.ignore ?? []), ...(config.managed_names ?? [])]),
      }, (id) => importIdOf(config.connection_name, family.importId(scope, id))) : [];
      const label = config.label ?? defaultLabel(family, scope, config.connection_name);
      for (const entry of unmatchedIgnores(keys, config.ignore ?? [])) {
        diagnostics.warning('Ignored key not found', `ignore lists ${quoted(entry)}, which is the id or name of no key of ${label}: a typo, or a key revoked since? ` +
          'Remove it from ignore (ignoreUndeclared in a manifest).', ['ignore']);
      }
      return {
        ...config,
        keys,
        unmanaged_ids: judged ? unmanaged.map((key) => key.id) : null,
        unmanaged_keys: judged ? unmanaged.map((key) => ({ id: key.id, name: key.name, import_id: key.importId, declared_as: [...key.declaredAs] })) : null,
        messages: unmanagedKeyMessages(label, unmanaged),
      };
    },
  };
}

/** How messages name the listing: the family's label, and the connection when one is named. */
const defaultLabel = (family: KeyListing<unknown>, scope: Scope, connection: string | null): string =>
  `${family.label(scope)}${connection === null ? '' : ` (connection "${connection}")`}`;

/** Entries of `ignore` that are the id or the name of no listed key. */
export const unmatchedIgnores = (keys: readonly ListedKey[], ignore: readonly string[]): string[] =>
  ignore.filter((entry) => !keys.some((key) => key.id === entry || key.name === entry));
