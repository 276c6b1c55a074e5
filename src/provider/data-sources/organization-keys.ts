import { ConfigurationError } from '../../errors';
import { atlas } from '../connections/atlas';
import { edgeImpulse } from '../connections/edgeimpulse';
import { openAi } from '../connections/openai';
import type { ProviderContext } from '../context';
import { listOf, objectOf, setOf } from '../cty/types';
import type { CtyObject, CtyValue } from '../cty/value';
import type { DataSourceDefinition } from '../framework/resource';
import { oneOf, quoted } from '../framework/validators';

/**
 * apikeys_organization_keys: every key of one organization (or project), as
 * the vendor lists it, redacted. It serves audits, and with `managed_names`
 * (known at plan time, unlike the ids of keys about to be created) it names
 * the keys nobody declared, so a plan can show keys added outside Terraform.
 * It shares the provider process's one listing per organization with the
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

interface KeyFamily {
  /** The scope arguments this family needs, e.g. organization_id. */
  readonly scope: readonly ('organization_id' | 'project_id')[];
  list(context: ProviderContext, scope: { organization_id?: string; project_id?: string }): Promise<KeySummary[]>;
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

export interface OrganizationKeysState extends CtyObject {
  family: string | null;
  organization_id: string | null;
  project_id: string | null;
  managed_ids: string[] | null;
  managed_names: string[] | null;
  keys: CtyValue;
  unmanaged_ids: string[] | null;
}

export const organizationKeysDataSource: DataSourceDefinition<OrganizationKeysState, ProviderContext> = {
  typeName: 'apikeys_organization_keys',
  schema: {
    version: 0,
    description: 'Every key of one organization (or OpenAI project), redacted, with creation, last-use and expiry details. With `managed_names` or `managed_ids`, `unmanaged_ids` names the keys nobody declared.',
    attributes: {
      family: {
        type: 'string', required: true, validators: [oneOf(KEY_FAMILIES)],
        description: `Key family: ${KEY_FAMILIES.map((family) => `\`${family}\``).join(', ')}.`,
      },
      organization_id: { type: 'string', optional: true, description: 'The organization, for families scoped by organization (Edge Impulse, Atlas).' },
      project_id: { type: 'string', optional: true, description: 'The project, for `openai_project_key`.' },
      managed_names: {
        type: setOf('string'), optional: true,
        description: 'Names of the keys this configuration declares, plus names expected to exist unmanaged (such as the key the pipeline authenticates with). Known at plan time, so the listing is read during plan even when declared keys are about to be created.',
      },
      managed_ids: { type: setOf('string'), optional: true, description: 'Ids of keys this configuration manages. Precise, but a key about to be created has no id yet, which defers the read to apply.' },
      keys: { type: listOf(KEY_SUMMARY_TYPE), computed: true, description: 'Every key, oldest first: `id`, `name`, `redacted_value`, `created_at`, `last_used_at`, `expires_at` (RFC 3339), `owner`, `roles`. Never a secret.' },
      unmanaged_ids: { type: listOf('string'), computed: true, description: 'Ids of listed keys matched by neither `managed_names` nor `managed_ids`; null when both are unset.' },
    },
  },

  validateConfig(config, diagnostics) {
    const family = typeof config.family === 'string' ? FAMILIES[config.family] : undefined;
    for (const argument of family?.scope ?? []) {
      if (config[argument] === null) diagnostics.error(`Missing ${argument}`, `The ${config.family} family is listed per ${argument.replace('_id', '')}: set ${argument}.`, [argument]);
    }
  },

  async read({ provider, config }) {
    const family = FAMILIES[config.family!];
    if (!family) throw new ConfigurationError(`unknown key family ${quoted(config.family)}`, 'family', `Use one of ${KEY_FAMILIES.join(', ')}.`);
    const keys = await family.list(provider, { organization_id: config.organization_id ?? undefined, project_id: config.project_id ?? undefined });
    // Oldest first; keys made in the same second keep the vendor's own order (the sort is stable).
    keys.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
    const ids = new Set(config.managed_ids ?? []);
    const names = new Set(config.managed_names ?? []);
    const declared = (key: KeySummary) => ids.has(key.id) || (key.name !== null && names.has(key.name));
    return {
      ...config,
      keys: keys as unknown as CtyValue,
      unmanaged_ids: config.managed_ids || config.managed_names ? keys.filter((key) => !declared(key)).map((key) => key.id) : null,
    };
  },
};
