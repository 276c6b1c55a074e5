import { ImportIdError } from '../../errors';
import { createExactlyOnce, deleteKey, warnAboutNamesakes, type NamesakeHooks } from '../../reconcile/exactly-once';
import type { AdminApiKey, AdminApiKeyCreated } from '../../vendors/openai/types';
import { openAi } from '../connections/openai';
import type { ProviderContext } from '../context';
import type { ResourceDefinition } from '../framework/resource';
import { integerBetween, maxLength, notBlank, quoted } from '../framework/validators';
import { OPENAI_ADMIN_KEY_NAME_MAX } from '../../vendors/openai/limits';

/**
 * apikeys_openai_admin_key: an OpenAI organization admin API key.
 *
 * OpenAI has no update for admin keys, so a change to name or expiry
 * replaces the key. Reads come from one listing of the organization per
 * provider process; the secret is known only from the create answer.
 */
export interface OpenAiAdminKeyState {
  [attribute: string]: string | number | null;
  id: string | null;
  name: string | null;
  expires_in_seconds: number | null;
  secret: string | null;
  redacted_value: string | null;
  created_at: number | null;
  expires_at: number | null;
  last_used_at: number | null;
}

export const OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS = 31_536_000;

function fromVendor(key: AdminApiKey, prior: Partial<OpenAiAdminKeyState>): OpenAiAdminKeyState {
  const expiresAt = key.expires_at ?? null;
  return {
    id: key.id,
    name: key.name ?? prior.name ?? null,
    // An imported key has no expires_in_seconds yet: derive it from the vendor's dates so the config can match it.
    expires_in_seconds: prior.created_at == null && expiresAt !== null ? expiresAt - key.created_at : prior.expires_in_seconds ?? null,
    secret: prior.secret ?? null,
    redacted_value: key.redacted_value ?? null,
    created_at: key.created_at ?? null,
    expires_at: expiresAt,
    last_used_at: key.last_used_at ?? null,
  };
}

/** Where keys named `name` are listed, and how one is named in messages. */
function keyScope(provider: ProviderContext, name: string): NamesakeHooks<AdminApiKey> {
  return {
    label: `OpenAI admin key "${name}"`,
    resourceType: 'apikeys_openai_admin_key',
    inventory: openAi(provider).adminKeyInventory,
    itemId: (key) => key.id,
    sameName: (key) => key.name === name,
    describe: (key) => `${key.id} ("${key.name}", created ${new Date(key.created_at * 1000).toISOString()})`,
    importId: (key) => key.id,
  };
}

export const openAiAdminKeyResource: ResourceDefinition<OpenAiAdminKeyState, ProviderContext> = {
  typeName: 'apikeys_openai_admin_key',
  schema: {
    version: 0,
    description:
      'An OpenAI organization admin API key. The secret is available only when Terraform creates the key; ' +
      'an imported key has a null `secret`. OpenAI cannot rename or re-date a key, so changing `name` or ' +
      '`expires_in_seconds` replaces it (the old key is revoked).',
    attributes: {
      id: { type: 'string', computed: true, description: 'The key id (`key_...`). Also the import id.' },
      name: { type: 'string', required: true, requiresReplace: true, validators: [notBlank, maxLength(OPENAI_ADMIN_KEY_NAME_MAX)], description: 'Name of the key as shown in the OpenAI dashboard. Changing it replaces the key.' },
      expires_in_seconds: {
        type: 'number', optional: true, requiresReplace: true,
        validators: [integerBetween(1, OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS, 'seconds')],
        description: `Lifetime of the key from its creation, 1 to ${OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS} seconds (365 days). Unset: the key never expires. Changing it replaces the key.`,
      },
      secret: { type: 'string', computed: true, sensitive: true, description: 'The key value (`sk-admin-...`). Set only when Terraform created the key: OpenAI returns it once. Null for imported keys.' },
      redacted_value: { type: 'string', computed: true, description: 'The masked value OpenAI shows, e.g. `sk-admin...xyz`.' },
      created_at: { type: 'number', computed: true, description: 'Creation time, Unix seconds.' },
      expires_at: { type: 'number', computed: true, description: 'Expiry time, Unix seconds; null when the key never expires.' },
      last_used_at: { type: 'number', computed: true, description: 'Last use, Unix seconds; null if never used.' },
    },
  },

  describe: (state) => `OpenAI admin key${typeof state.name === 'string' ? ` "${state.name}"` : ''}${typeof state.id === 'string' ? ` (${state.id})` : ''}`,

  async checkPlan({ provider, planned, prior, diagnostics }) {
    openAi(provider); // fails the plan, before any vendor call, when no admin key is configured
    if (!prior && typeof planned.name === 'string') await warnAboutNamesakes(keyScope(provider, planned.name), provider.trackedIds, diagnostics);
  },

  async create({ provider, planned, receipt, diagnostics }) {
    const { adminKeys, adminKeyInventory } = openAi(provider);
    const name = planned.name!;
    const created = await createExactlyOnce<AdminApiKey, AdminApiKeyCreated>({
      ...keyScope(provider, name),
      send: () => adminKeys.create({ name, expiresInSeconds: planned.expires_in_seconds ?? undefined }),
      createdId: (key) => key.id,
      createdAtMs: (key) => (typeof key.created_at === 'number' ? key.created_at * 1000 : undefined),
      revoke: (key) => adminKeys.delete(key.id).then(() => undefined),
      revokeCreated: (key) => adminKeys.delete(key.id).then(() => undefined),
    }, { settings: provider.exactlyOnce, receipt, warnings: diagnostics, journal: provider.journal });
    adminKeyInventory.recordCreated(created);
    return { ...fromVendor(created, planned), expires_in_seconds: planned.expires_in_seconds, secret: created.value };
  },

  async read({ provider, current }) {
    provider.trackedIds.add(current.id!);
    provider.journal?.forget(current.id!);
    const key = await openAi(provider).adminKeyInventory.find(current.id!);
    return key ? fromVendor(key, current) : null;
  },

  async delete({ provider, prior }) {
    const { adminKeys, adminKeyInventory } = openAi(provider);
    await deleteKey(adminKeyInventory, prior.id!, () => adminKeys.delete(prior.id!), provider.journal); // already gone counts as deleted
  },

  importState({ id }) {
    const trimmed = id.trim();
    if (!/^key_[A-Za-z0-9]+$/.test(trimmed)) {
      throw new ImportIdError(`${quoted(id)} is not an OpenAI admin key id. Use the key's id, e.g. terraform import apikeys_openai_admin_key.ci key_abc123 (ids are listed by the apikeys_organization_keys data source or GET /v1/organization/admin_api_keys).`);
    }
    return { id: trimmed };
  },
};
