import { ATLAS } from '../../../core/facts/atlas';
import { objectIdSeconds, orgRolesOf, redactAtlasPrivateKey, type AtlasApiKey, type AtlasApiKeyCreated } from '../../../vendors/atlas/types';
import type { UpdateOrganizationKeyInput } from '../../../vendors/atlas/organization-keys';
import { keyResource } from '../../keys/key-resource';
import { setOf } from '../../cty/types';
import { valuesEqual } from '../../cty/value';
import type { Schema, StateOf } from '../../framework/schema';
import { isoDates, parseScopedId, toTimestamp, type KeyListing } from '../family';
import { atlasConnection, type AtlasClients } from './connection';

/**
 * apikeys_atlas_organization_key: a MongoDB Atlas organization programmatic
 * API key. Atlas can change a key's description and organization roles in
 * place (PATCH), so only a move to another organization replaces it. Reads
 * come from one listing of the organization per provider process; the
 * private key is known only from the create answer.
 */
const schema = {
  version: 0,
  description:
    'A MongoDB Atlas organization programmatic API key. The private key (`secret`) is available only when Terraform ' +
    'creates the key; an imported key has a null `secret`. `description` and `roles` are updated in place; ' +
    'changing `organization_id` replaces the key.',
  attributes: {
    id: { type: 'string', computed: true, description: 'The key id (24 hexadecimal digits).' },
    organization_id: {
      type: 'string', required: true, requiresReplace: true, validators: ATLAS.rules.organizationId,
      description: 'Id of the Atlas organization that owns the key. Changing it replaces the key.',
    },
    description: {
      type: 'string', required: true, validators: ATLAS.rules.keyDescription,
      description: `Description of the key (Atlas \`desc\`), 1 to ${ATLAS.limits.keyDescriptionMax} characters. Updated in place.`,
    },
    roles: {
      type: setOf('string'), required: true, validators: ATLAS.rules.roles,
      description: `Organization roles of the key, at least one of ${ATLAS.orgRoles.join(', ')}. Updated in place. Project roles are not managed here.`,
    },
    public_key: { type: 'string', computed: true, description: 'The public key: the user name of HTTP Digest authentication.' },
    secret: {
      type: 'string', computed: true, sensitive: true,
      description: 'The private key: the password of HTTP Digest authentication. Set only when Terraform created the key: Atlas returns it once. Null for imported keys.',
    },
    redacted_private_key: { type: 'string', computed: true, description: 'The masked private key Atlas shows, `********-****-****-` and its last 12 digits.' },
    created_at: { type: 'string', computed: true, description: 'Creation time (RFC 3339): Atlas keys carry none, but their id (an ObjectId) starts with it, to the second.' },
    last_used_at: {
      type: 'string', computed: true,
      description: 'Last use (RFC 3339), from the key\'s IP access list, when the connection sets `last_used = true` (provider `atlas_last_used`); null otherwise, or when no entry records a use.',
    },
  },
} as const satisfies Schema;

export type AtlasOrganizationKeyState = StateOf<typeof schema>;

/** `lastUsedAt`: what a read learned of the key's last use (null: nothing); undefined keeps the prior value. */
function fromVendor(key: AtlasApiKey, organizationId: string, prior: Partial<AtlasOrganizationKeyState>, lastUsedAt?: string | null): AtlasOrganizationKeyState {
  return {
    id: key.id,
    organization_id: organizationId,
    description: key.desc ?? prior.description ?? null,
    // The listing also holds the key's project roles; only this organization's roles are managed here.
    roles: orgRolesOf(key, organizationId),
    public_key: key.publicKey ?? null,
    secret: prior.secret ?? null,
    // Masked again here, so that a whole private key can never land in this unprotected attribute.
    redacted_private_key: typeof key.privateKey === 'string' ? redactAtlasPrivateKey(key.privateKey) : prior.redacted_private_key ?? null,
    created_at: toTimestamp(objectIdSeconds(key.id)),
    last_used_at: lastUsedAt === undefined ? prior.last_used_at ?? null : lastUsedAt,
  };
}

const sameRoles = (a: readonly string[], b: readonly string[]): boolean => valuesEqual([...a], [...b], true);

const describeKey = (state: Partial<AtlasOrganizationKeyState>): string =>
  `Atlas organization key${typeof state.description === 'string' ? ` "${state.description}"` : ''}${typeof state.id === 'string' ? ` (${state.id})` : ''}`;

const isAtlasId = (part: string): boolean => ATLAS.patterns.id.test(part);

export const atlasOrganizationKeyResource = keyResource<AtlasOrganizationKeyState, AtlasClients, AtlasApiKey>(atlasConnection, {
  typeName: 'apikeys_atlas_organization_key',
  schema,

  describe: describeKey,
  where: (state) => (typeof state.organization_id === 'string' ? `organization ${state.organization_id}` : 'the organization'),
  dates: (state) => isoDates(state),

  keys: (clients, { organization_id: organizationId, description }) => (typeof organizationId !== 'string' || typeof description !== 'string' ? undefined : {
    label: `Atlas organization key "${description}" in organization ${organizationId}`,
    scope: organizationId,
    name: description,
    inventory: clients.inventory(organizationId),
    itemId: (key) => key.id,
    sameName: (key) => key.desc === description,
    // Atlas keys carry no creation date, but their ObjectId starts with one (whole seconds).
    createdAtMs: (key) => {
      const seconds = objectIdSeconds(key.id);
      return seconds === undefined ? undefined : seconds * 1000 + 999;
    },
    describe: (key) => `${key.id} ("${key.desc}", public key ${key.publicKey})`,
    importId: (key) => `${organizationId}/${key.id}`,
  }),

  async create({ clients: { keys, inventory }, planned, createKey }) {
    const organizationId = planned.organization_id!;
    const created = await createKey<AtlasApiKeyCreated>({
      send: () => keys.create(organizationId, { description: planned.description!, roles: planned.roles! }),
      createdId: (key) => key.id,
      revoke: (key) => keys.delete(organizationId, key.id).then(() => undefined),
      revokeCreated: (key) => keys.delete(organizationId, key.id).then(() => undefined),
    });
    inventory(organizationId).recordCreated(created);
    return { ...fromVendor(created, organizationId, planned, null), secret: created.privateKey };
  },

  async read({ clients, current }) {
    const organizationId = current.organization_id!;
    const key = await clients.inventory(organizationId).find(current.id!);
    if (!key) return null;
    return fromVendor(key, organizationId, current, clients.lastUsed ? await clients.keys.lastUsed(organizationId, key.id) ?? null : null);
  },

  async update({ clients: { keys, inventory }, prior, planned, diagnostics }) {
    const organizationId = prior.organization_id!;
    const change: UpdateOrganizationKeyInput = {};
    if (planned.description !== prior.description) change.description = planned.description!;
    if (!sameRoles(prior.roles ?? [], planned.roles ?? [])) change.roles = planned.roles!;
    if (change.description === undefined && change.roles === undefined) return { ...prior, ...planned };
    const updated = await keys.update(organizationId, prior.id!, change);
    inventory(organizationId).recordCreated(updated);
    const granted = orgRolesOf(updated, organizationId);
    if (change.roles && !sameRoles(granted, change.roles)) {
      // Atlas's documentation does not say whether PATCH roles replace or add; an adding PATCH cannot remove roles.
      diagnostics.warning(
        `Atlas did not set the roles of ${describeKey(prior)} exactly`,
        `Requested ${[...change.roles].sort().join(', ')}; Atlas now reports ${granted.join(', ') || 'none'}. ` +
        'Remove the extra roles in the Atlas console; the next plan shows the difference.',
        ['roles'],
      );
    }
    return fromVendor(updated, organizationId, prior);
  },

  async delete({ clients: { keys, inventory }, prior }) {
    const organizationId = prior.organization_id!;
    await keys.delete(organizationId, prior.id!); // already gone counts as deleted
    inventory(organizationId).recordDeleted(prior.id!);
  },

  importId: {
    parse: (id) => {
      const parsed = parseScopedId(id, isAtlasId, isAtlasId);
      return parsed && { organization_id: parsed.scope, id: parsed.id };
    },
    usage: 'an Atlas organization key import id. Use <organization_id>/<key_id>, both 24 hexadecimal digits, e.g. ' +
      'terraform import apikeys_atlas_organization_key.ci 5980cfc70b6d97029d82e3f6/5c47503320eef5699e1cce8d ' +
      '(key ids are listed by GET /api/atlas/v2/orgs/{orgId}/apiKeys).',
  },
});

/** The data source's `atlas_organization_key` family: one organization's programmatic keys. */
export const atlasOrganizationKeyListing: KeyListing<AtlasClients> = {
  scope: ['organization_id'],
  label: (scope) => `Atlas organization ${scope.organization_id}`,
  where: (scope) => `organization ${scope.organization_id}`,
  importId: (scope, id) => `${scope.organization_id}/${id}`,
  async list(clients, scope) {
    const organizationId = scope.organization_id!;
    const keys = [...(await clients.inventory(organizationId).all()).values()];
    const lastUsed = clients.lastUsed ? await Promise.all(keys.map((key) => clients.keys.lastUsed(organizationId, key.id))) : [];
    return keys.map((key, index) => ({
      id: key.id,
      name: key.desc ?? null,
      redacted_value: key.privateKey ?? null,
      // Atlas lists no dates for programmatic keys; an ObjectId starts with its creation time in seconds.
      created_at: toTimestamp(objectIdSeconds(key.id)),
      last_used_at: toTimestamp(lastUsed[index]),
      expires_at: null,
      owner: `public key: ${key.publicKey}`,
      // This organization's roles only: project roles of the same key belong to other scopes.
      roles: orgRolesOf(key, organizationId),
      public_key: key.publicKey ?? null,
    }));
  },
  async revoke({ keys, inventory }, scope, id) {
    await keys.delete(scope.organization_id!, id);
    inventory(scope.organization_id!).recordDeleted(id);
  },
};
