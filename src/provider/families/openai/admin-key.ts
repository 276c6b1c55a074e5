import { ImportIdError } from '../../../core/errors';
import { OPENAI } from '../../../core/facts/openai';
import { createExactlyOnce, deleteKey, warnAboutNamesakes, type NamesakeHooks } from '../../../reconcile/exactly-once';
import type { AdminApiKey, AdminApiKeyCreated } from '../../../vendors/openai/types';
import { connectionAttribute, connectionLabels, IMPORT_ID_CONNECTION_HINT, importIdOf, splitImportId } from '../../connections/connection';
import type { ProviderContext } from '../../context';
import { isUnknown } from '../../cty/value';
import type { ResourceDefinition } from '../../framework/resource';
import type { Schema, StateOf } from '../../framework/schema';
import { quoted } from '../../framework/validators';
import { toTimestamp, type KeyListing } from '../family';
import { openAi } from './connection';

/**
 * apikeys_openai_admin_key: an OpenAI organization admin API key.
 *
 * OpenAI has no update for admin keys, so a change to name or expiry
 * replaces the key. Reads come from one listing of the organization per
 * provider process and connection; the secret is known only from the create
 * answer.
 */
const schema = {
  version: 0,
  description:
    'An OpenAI organization admin API key. The secret is available only when Terraform creates the key; ' +
    'an imported key has a null `secret`. OpenAI cannot rename or re-date a key, so changing `name` or ' +
    '`expires_in_seconds` replaces it (the old key is revoked).',
  attributes: {
    id: { type: 'string', computed: true, description: 'The key id (`key_...`). Also the import id.' },
    connection_name: connectionAttribute(OPENAI),
    name: { type: 'string', required: true, requiresReplace: true, validators: OPENAI.rules.adminKeyName, description: 'Name of the key as shown in the OpenAI dashboard. Changing it replaces the key.' },
    expires_in_seconds: {
      type: 'number', optional: true, requiresReplace: true, validators: OPENAI.rules.expiresInSeconds,
      description: `Lifetime of the key from its creation, 1 to ${OPENAI.limits.adminKeyMaxExpirySeconds} seconds (365 days). Unset: the key never expires. Changing it replaces the key.`,
    },
    secret: { type: 'string', computed: true, sensitive: true, description: 'The key value (`sk-admin-...`). Set only when Terraform created the key: OpenAI returns it once. Null for imported keys.' },
    redacted_value: { type: 'string', computed: true, description: 'The masked value OpenAI shows, e.g. `sk-admin...xyz`.' },
    created_at: { type: 'number', computed: true, description: 'Creation time, Unix seconds.' },
    expires_at: { type: 'number', computed: true, description: 'Expiry time, Unix seconds; null when the key never expires.' },
    last_used_at: { type: 'number', computed: true, description: 'Last use, Unix seconds; null if never used.' },
  },
} as const satisfies Schema;

export type OpenAiAdminKeyState = StateOf<typeof schema>;

function fromVendor(key: AdminApiKey, prior: Partial<OpenAiAdminKeyState>): OpenAiAdminKeyState {
  const expiresAt = key.expires_at ?? null;
  return {
    id: key.id,
    connection_name: prior.connection_name ?? null,
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
function keyScope(provider: ProviderContext, connection: string | null, name: string): NamesakeHooks<AdminApiKey> {
  return {
    label: `OpenAI admin key "${name}"${connection === null ? '' : ` (connection "${connection}")`}`,
    resourceType: 'apikeys_openai_admin_key',
    inventory: openAi(provider, connection).adminKeyInventory,
    itemId: (key) => key.id,
    sameName: (key) => key.name === name,
    describe: (key) => `${key.id} ("${key.name}", created ${new Date(key.created_at * 1000).toISOString()})`,
    importId: (key) => importIdOf(connection, key.id),
  };
}

export const openAiAdminKeyResource: ResourceDefinition<OpenAiAdminKeyState, ProviderContext> = {
  typeName: 'apikeys_openai_admin_key',
  schema,

  describe: (state) => `OpenAI admin key${typeof state.name === 'string' ? ` "${state.name}"` : ''}${typeof state.id === 'string' ? ` (${state.id})` : ''}`,

  async checkPlan({ provider, planned, prior, diagnostics }) {
    if (isUnknown(planned.connection_name)) return; // known at apply
    openAi(provider, planned.connection_name); // fails the plan, before any vendor call, when the connection is unknown or has no admin key
    if (!prior && typeof planned.name === 'string') await warnAboutNamesakes(keyScope(provider, planned.connection_name, planned.name), provider.trackedIds, diagnostics);
  },

  async create({ provider, planned, receipt, diagnostics }) {
    const { adminKeys, adminKeyInventory } = openAi(provider, planned.connection_name);
    const name = planned.name!;
    const created = await createExactlyOnce<AdminApiKey, AdminApiKeyCreated>({
      ...keyScope(provider, planned.connection_name, name),
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
    const key = await openAi(provider, current.connection_name).adminKeyInventory.find(current.id!);
    return key ? fromVendor(key, current) : null;
  },

  async delete({ provider, prior }) {
    const { adminKeys, adminKeyInventory } = openAi(provider, prior.connection_name);
    await deleteKey(adminKeyInventory, prior.id!, () => adminKeys.delete(prior.id!), provider.journal); // already gone counts as deleted
  },

  otherLocations: (provider) => connectionLabels(OPENAI, provider.config),

  importState({ id }) {
    const { connection, id: trimmed } = splitImportId(id);
    if (!OPENAI.patterns.keyId.test(trimmed)) {
      throw new ImportIdError(`${quoted(id)} is not an OpenAI admin key id. Use the key's id, e.g. terraform import apikeys_openai_admin_key.ci key_abc123 (ids are listed by the apikeys_organization_keys data source or GET /v1/organization/admin_api_keys).`, { hint: IMPORT_ID_CONNECTION_HINT });
    }
    return { connection_name: connection, id: trimmed };
  },
};

/** The data source's `openai_admin_key` family: the organization's admin keys. */
export const openAiAdminKeyListing: KeyListing = {
  scope: [],
  label: () => 'OpenAI organization (admin keys)',
  importId: (_scope, id) => id,
  async list(context, _scope, connection) {
    const keys = await openAi(context, connection).adminKeyInventory.all();
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
};
