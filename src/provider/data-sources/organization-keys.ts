import { ConfigurationError } from '../../errors';
import { atlas } from '../connections/atlas';
import { edgeImpulse } from '../connections/edgeimpulse';
import { openAi } from '../connections/openai';
import type { ProviderContext } from '../context';
import { listOf, mapOf, objectOf, setOf } from '../cty/types';
import type { CtyObject, CtyValue } from '../cty/value';
import type { DataSourceDefinition } from '../framework/resource';
import { oneOf, quoted } from '../framework/validators';
import { findUnmanagedKeys, unmanagedKeyMessages } from './unmanaged-keys';

/**
 * apikeys_organization_keys: every key of one organization (or project), as
 * the vendor lists it, redacted. It serves audits, and with `managed_ids`
 * (the ids resources in state track) it names the keys no state tracks, so a
 * plan can show keys added outside Terraform (see unmanaged-keys.ts). It
 * shares the provider process's one listing per organization with the
 * resources.
 */
export interface KeySummary {
  id: string;
  name: string | null;
  redacted_value: string | null;
  created_at: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  /** Who owns or created the key, as the vendor reports it (user, service account...). */
  owner: string | null;
  roles: string[];
}

type Scope = { organization_id?: string; project_id?: string };

interface KeyFamily {
  /** The scope arguments this family needs, e.g. organization_id. */
  readonly scope: readonly ('organization_id' | 'project_id')[];
  /** How messages name the listing when the configuration gives no label. */
  label(scope: Scope): string;
  /** The id `terraform import` takes for a key of this family (as the resource's importState reads it). */
  importId(scope: Scope, id: string): string;
  list(context: ProviderContext, scope: Scope): Promise<KeySummary[]>;
}

/** Unix seconds or a date string, as RFC 3339, so every family reads the same. */
export function toTimestamp(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace(/\.000Z$/, 'Z');
}

const FAMILIES: Record<string, KeyFamily> = {
  openai_admin_key: {
    scope: [],
    label: () => 'OpenAI organization (admin keys)',
    importId: (_scope, id) => id,
    async list(context) {
      const keys = await openAi(context).adminKeyInventory.all();
      return [...keys.values()].map((key) => ({
        id: key.id,
        name: key.name ?? null,
        redacted_value: key.redacted_value ?? null,
        created_at: toTimestamp(key.created_at),
        last_used_at: toTimestamp(key.last_used_at),
        expires_at: toTimestamp(key.expires_at),
        owner: key.owner ? [key.owner.type, key.owner.name ?? key.owner.id].filter(Boolean).join(': ') : null,
        roles: key.owner?.role ? [key.owner.role] : [],
      }));
    },
  },
  openai_project_key: {
    scope: ['project_id'],
    label: (scope) => `OpenAI project ${scope.project_id}`,
    importId: (scope, id) => `${scope.project_id}/${id}`,
    async list(context, scope) {
      const keys = await openAi(context).projectKeyInventory(scope.project_id!).all();
      return [...keys.values()].map((key) => {
        const account = key.owner?.service_account;
        const user = key.owner?.user;
        return {
          id: key.id,
          // A service account's key is named after its account, as apikeys_openai_project_key names it.
          name: account?.name ?? key.name ?? null,
          redacted_value: key.redacted_value ?? null,
          created_at: toTimestamp(key.created_at),
          last_used_at: toTimestamp(key.last_used_at),
          expires_at: null,
          owner: account ? `service_account: ${account.name ?? account.id}` : user ? `user: ${user.email ?? user.name ?? user.id}` : null,
          roles: [account?.role ?? user?.role].filter((role): role is string => typeof role === 'string'),
        };
      });
    },
  },
  edgeimpulse_organization_key: {
    scope: ['organization_id'],
    label: (scope) => `Edge Impulse organization ${scope.organization_id}`,
    importId: (scope, id) => `${scope.organization_id}/${id}`,
    async list(context, scope) {
      const organizationId = Number(scope.organization_id);
      if (!Number.isInteger(organizationId) || organizationId < 1) {
        throw new ConfigurationError(`${quoted(scope.organization_id)} is not an Edge Impulse organization id`, 'organization_id', 'Use the organization\'s whole-number id, e.g. "4242".');
      }
      const keys = await edgeImpulse(context).organization(organizationId).inventory.all();
      return [...keys.values()].map((key) => ({
        id: String(key.id),
        name: key.name ?? null,
        redacted_value: key.apiKey ?? null,
        created_at: toTimestamp(key.created),
        last_used_at: toTimestamp(key.lastUsed?.date),
        expires_at: toTimestamp(key.expires),
        owner: key.createdByUser ? `user: ${key.createdByUser.username ?? key.createdByUser.name}` : null,
        roles: [key.role],
      }));
    },
  },
  atlas_organization_key: {
    scope: ['organization_id'],
    label: (scope) => `Atlas organization ${scope.organization_id}`,
    importId: (scope, id) => `${scope.organization_id}/${id}`,
    async list(context, scope) {
      const organizationId = scope.organization_id!;
      const keys = await atlas(context).inventory(organizationId).all();
      return [...keys.values()].map((key) => ({
        id: key.id,
        name: key.desc ?? null,
        redacted_value: key.privateKey ?? null,
        // Atlas lists no dates for programmatic keys; an ObjectId starts with its creation time in seconds.
        created_at: /^[0-9a-f]{24}$/.test(key.id) ? toTimestamp(parseInt(key.id.slice(0, 8), 16)) : null,
        last_used_at: null,
        expires_at: null,
        owner: `public key: ${key.publicKey}`,
        // This organization's roles only: project roles of the same key belong to other scopes.
        roles: (key.roles ?? []).filter((role) => role.orgId === organizationId || (!role.orgId && !role.groupId)).map((role) => role.roleName),
      }));
    },
  },
};

export const KEY_FAMILIES = Object.keys(FAMILIES);

const KEY_SUMMARY_TYPE = objectOf({
  id: 'string', name: 'string', redacted_value: 'string', created_at: 'string', last_used_at: 'string',
  expires_at: 'string', owner: 'string', roles: listOf('string'),
});

const UNMANAGED_KEY_TYPE = objectOf({ id: 'string', name: 'string', import_id: 'string', declared_as: listOf('string') });

export interface OrganizationKeysState extends CtyObject {
  family: string | null;
  organization_id: string | null;
  project_id: string | null;
  managed_ids: string[] | null;
  declared_keys: Record<string, string> | null;
  ignore: string[] | null;
  managed_names: string[] | null;
  label: string | null;
  keys: CtyValue;
  unmanaged_ids: string[] | null;
  unmanaged_keys: CtyValue;
  messages: string[] | null;
}

export const organizationKeysDataSource: DataSourceDefinition<OrganizationKeysState, ProviderContext> = {
  typeName: 'apikeys_organization_keys',
  schema: {
    version: 0,
    description: 'Every key of one organization (or OpenAI project), redacted, with creation, last-use and expiry details. ' +
      'With `managed_ids`, it names the keys no state tracks: `unmanaged_ids`, `unmanaged_keys` and ready-made `messages`.',
    attributes: {
      family: {
        type: 'string', required: true, validators: [oneOf(KEY_FAMILIES)],
        description: `Key family: ${KEY_FAMILIES.map((family) => `\`${family}\``).join(', ')}.`,
      },
      organization_id: { type: 'string', optional: true, description: 'The organization, for families scoped by organization (Edge Impulse, Atlas).' },
      project_id: { type: 'string', optional: true, description: 'The project, for `openai_project_key`.' },
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
      label: { type: 'string', optional: true, description: 'How `messages` name this listing, e.g. "Atlas organization acme". Defaults to the family and its scope.' },
      keys: { type: listOf(KEY_SUMMARY_TYPE), computed: true, description: 'Every key, oldest first: `id`, `name`, `redacted_value`, `created_at`, `last_used_at`, `expires_at` (RFC 3339), `owner`, `roles`. Never a secret.' },
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
  },

  validateConfig(config, diagnostics) {
    const family = typeof config.family === 'string' ? FAMILIES[config.family] : undefined;
    for (const argument of family?.scope ?? []) {
      if (config[argument] === null) diagnostics.error(`Missing ${argument}`, `The ${config.family} family is listed per ${argument.replace('_id', '')}: set ${argument}.`, [argument]);
    }
    if (config.declared_keys !== null && config.managed_ids === null) {
      diagnostics.error('Missing managed_ids', 'declared_keys tells possible orphans from tracked keys only with the ids resources track: set managed_ids, e.g. [apikeys_openai_admin_key.ci.id].', ['managed_ids']);
    }
  },

  async read({ provider, config }) {
    const family = FAMILIES[config.family!];
    if (!family) throw new ConfigurationError(`unknown key family ${quoted(config.family)}`, 'family', `Use one of ${KEY_FAMILIES.join(', ')}.`);
    const scope = { organization_id: config.organization_id ?? undefined, project_id: config.project_id ?? undefined };
    const keys = await family.list(provider, scope);
    // Oldest first; keys made in the same second keep the vendor's own order (the sort is stable).
    keys.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
    const judged = config.managed_ids !== null || config.declared_keys !== null || config.ignore !== null || config.managed_names !== null;
    const unmanaged = judged ? findUnmanagedKeys(keys, {
      managedIds: new Set(config.managed_ids ?? []),
      declaredKeys: new Map(Object.entries(config.declared_keys ?? {})),
      ignore: new Set([...(config.ignore ?? []), ...(config.managed_names ?? [])]),
    }, (id) => family.importId(scope, id)) : [];
    return {
      ...config,
      keys: keys as unknown as CtyValue,
      unmanaged_ids: judged ? unmanaged.map((key) => key.id) : null,
      unmanaged_keys: judged ? unmanaged.map((key) => ({ id: key.id, name: key.name, import_id: key.importId, declared_as: [...key.declaredAs] })) : null,
      messages: unmanagedKeyMessages(config.label ?? family.label(scope), unmanaged),
    };
  },
};
