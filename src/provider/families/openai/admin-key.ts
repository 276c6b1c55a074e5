import { OPENAI } from '../../../core/facts/openai';
import type { AdminApiKey, AdminApiKeyCreated } from '../../../vendors/openai/types';
import { keyResource } from '../../keys/key-resource';
import type { Schema, StateOf } from '../../framework/schema';
import { toTimestamp, unixDates, type KeyListing } from '../family';
import { openAiConnection, type OpenAiClients } from './connection';

/**
 * apikeys_openai_admin_key: an OpenAI organization admin API key.
 *
 * OpenAI has no update for admin keys, so a change to name or expiry
 * replaces the key. Reads come from one shared listing of the organization
 * per provider process; the secret is known only from the create answer.
 */
const schema = {
  version: 0,
  description:
    'An OpenAI organization admin API key. The secret is available only when Terraform creates the key; ' +
    'an imported key has a null `secret`. OpenAI cannot rename or re-date a key, so changing `name` or ' +
    '`expires_in_seconds` replaces it (the old key is revoked).',
  attributes: {
    id: { type: 'string', computed: true, description: 'The key id (`key_...`). Also the import id.' },
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

export const openAiAdminKeyResource = keyResource<OpenAiAdminKeyState, OpenAiClients, AdminApiKey>(openAiConnection, {
  typeName: 'apikeys_openai_admin_key',
  schema,

  describe: (state) => `OpenAI admin key${typeof state.name === 'string' ? ` "${state.name}"` : ''}${typeof state.id === 'string' ? ` (${state.id})` : ''}`,
  where: () => 'the organization',
  dates: (state) => unixDates(state),
  vendorExpiry: true,

  keys: ({ adminKeyInventory }, { name }) => (typeof name !== 'string' ? undefined : {
    label: `OpenAI admin key "${name}"`,
    scope: '',
    name,
    inventory: adminKeyInventory,
    itemId: (key) => key.id,
    sameName: (key) => key.name === name,
    createdAtMs: (key) => (typeof key.created_at === 'number' ? key.created_at * 1000 : undefined),
    describe: (key) => `${key.id} ("${key.name}", created ${new Date(key.created_at * 1000).toISOString()})`,
    importId: (key) => key.id,
  }),

  async create({ clients: { adminKeys, adminKeyInventory }, planned, createKey, vendorExpirySeconds }) {
    const expiresInSeconds = planned.expires_in_seconds ?? (vendorExpirySeconds && Math.min(vendorExpirySeconds, OPENAI.limits.adminKeyMaxExpirySeconds));
    const created = await createKey<AdminApiKeyCreated>({
      send: () => adminKeys.create({ name: planned.name!, expiresInSeconds: expiresInSeconds ?? undefined }),
      createdId: (key) => key.id,
      revoke: (key) => adminKeys.delete(key.id).then(() => undefined),
      revokeCreated: (key) => adminKeys.delete(key.id).then(() => undefined),
    });
    adminKeyInventory.recordCreated(created);
    return { ...fromVendor(created, planned), expires_in_seconds: planned.expires_in_seconds, secret: created.value };
  },

  async read({ clients, current }) {
    const key = await clients.adminKeyInventory.find(current.id!);
    return key ? fromVendor(key, current) : null;
  },

  async delete({ clients: { adminKeys, adminKeyInventory }, prior }) {
    await adminKeys.delete(prior.id!); // already gone counts as deleted
    adminKeyInventory.recordDeleted(prior.id!);
  },

  importId: {
    parse: (id) => (OPENAI.patterns.keyId.test(id) ? { id } : undefined),
    usage: 'an OpenAI admin key id. Use the key\'s id, e.g. terraform import apikeys_openai_admin_key.ci key_abc123 (ids are listed by the apikeys_organization_keys data source or GET /v1/organization/admin_api_keys).',
  },
});

/** The data source's `openai_admin_key` family: the organization's admin keys. */
export const openAiAdminKeyListing: KeyListing<OpenAiClients> = {
  scope: [],
  label: () => 'OpenAI organization (admin keys)',
  where: () => 'the organization',
  importId: (_scope, id) => id,
  async list({ adminKeyInventory }) {
    const keys = await adminKeyInventory.all();
    return [...keys.values()].map((key) => ({
      id: key.id,
      name: key.name ?? null,
      redacted_value: key.redacted_value ?? null,
      created_at: toTimestamp(key.created_at),
      last_used_at: toTimestamp(key.last_used_at),
      expires_at: toTimestamp(key.expires_at),
      owner: key.owner ? [key.owner.type, key.owner.name ?? key.owner.id].filter(Boolean).join(': ') : null,
      roles: key.owner?.role ? [key.owner.role] : [],
      public_key: null,
    }));
  },
  async revoke({ adminKeys, adminKeyInventory }, _scope, id) {
    await adminKeys.delete(id);
    adminKeyInventory.recordDeleted(id);
  },
};
