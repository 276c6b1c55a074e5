import { ConfigurationError } from '../../../core/errors';
import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import { firstProblem } from '../../../core/rules';
import { redact, registerSecret } from '../../../core/security/redaction';
import { customKeyProblem, generateCustomKey, partialKeyMatches } from '../../../vendors/edgeimpulse/custom-key';
import type { CreatedOrganizationKey } from '../../../vendors/edgeimpulse/organization-keys';
import type { OrganizationApiKey, OrganizationApiKeyRole } from '../../../vendors/edgeimpulse/types';
import { keyResource } from '../../keys/key-resource';
import type { Diagnostics } from '../../framework/diagnostics';
import type { Schema, StateOf, Validator } from '../../framework/schema';
import { quoted } from '../../framework/validators';
import { isoDates, parseScopedId, toTimestamp, type KeyListing } from '../family';
import { edgeImpulseConnection, type EdgeImpulseClients } from './connection';

/**
 * apikeys_edgeimpulse_organization_key: an Edge Impulse organization API key.
 *
 * Edge Impulse can add, list and revoke organization keys, nothing else, so
 * every argument change replaces the key. The add answer holds only the id
 * and the full key; the other details come from a listing made after the
 * create. Reads come from one listing per organization per provider process.
 */
const customKey: Validator = (value) => (typeof value === 'string' ? customKeyProblem(value) : undefined);

const schema = {
  version: 0,
  description:
    'An Edge Impulse organization API key. Edge Impulse returns the full key once, when it creates it; an imported key ' +
    'has a null `secret`, and so does a key created from a caller-supplied `api_key_wo` (the caller already has it). ' +
    'Edge Impulse cannot change a key, so changing any argument replaces it (the old key is revoked).',
  attributes: {
    id: { type: 'string', computed: true, description: 'The key id, a number in string form. Import with `<organization_id>/<id>`.' },
    organization_id: {
      type: 'number', required: true, requiresReplace: true, validators: EDGE_IMPULSE.rules.organizationId,
      description: 'The Edge Impulse organization id (a whole number). Changing it replaces the key.',
    },
    name: {
      type: 'string', required: true, requiresReplace: true, validators: EDGE_IMPULSE.rules.keyName,
      description: 'Name of the key ("description" in Edge Impulse). Changing it replaces the key.',
    },
    role: {
      type: 'string', required: true, requiresReplace: true, validators: EDGE_IMPULSE.rules.role,
      description: `Role of the key in the organization: ${EDGE_IMPULSE.roles.map((role) => `\`${role}\``).join(' or ')}. Changing it replaces the key.`,
    },
    ttl_seconds: {
      type: 'number', optional: true, requiresReplace: true, validators: EDGE_IMPULSE.rules.ttlSeconds,
      description: 'Time to live from creation, in seconds. Unset: the key does not expire. Changing it replaces the key.',
    },
    api_key_wo: {
      type: 'string', optional: true, writeOnly: true, sensitive: true, validators: [customKey],
      description:
        'A key value of your own instead of a generated one: must start with `ei_` and be at least 32 characters. ' +
        'Write-only (Terraform 1.11+): sent to Edge Impulse on create, never stored in plan or state, and not copied into `secret`. ' +
        'Terraform cannot see changes to it: change `api_key_wo_version` to replace the key with a new value.',
    },
    api_key_wo_version: {
      type: 'number', optional: true, requiresReplace: true,
      description: 'Any number; changing it replaces the key, sending the current `api_key_wo`. Leave unset when importing.',
    },
    secret: {
      type: 'string', computed: true, sensitive: true,
      description: 'The full key (`ei_...`) that Edge Impulse generated. Set only when Terraform created the key without `api_key_wo`; null for imported keys.',
    },
    redacted_value: { type: 'string', computed: true, description: 'The part of the key Edge Impulse shows in its listing.' },
    created_at: { type: 'string', computed: true, description: 'Creation time (RFC 3339; Edge Impulse `created`).' },
    expires_at: { type: 'string', computed: true, description: 'Expiry time (RFC 3339; Edge Impulse `expires`); null when the key has no ttl.' },
    last_used_at: { type: 'string', computed: true, description: 'Last use (RFC 3339; Edge Impulse `lastUsed.date`); null if never used.' },
    last_used_country: { type: 'string', computed: true, description: 'Country of the last use, when Edge Impulse knows it.' },
    last_used_ip: { type: 'string', computed: true, description: 'IP address of the last use, when Edge Impulse knows it.' },
  },
} as const satisfies Schema;

export type EdgeImpulseOrganizationKeyState = StateOf<typeof schema>;

/** The vendor's view of a key; what only Terraform knows (secret, ttl, version) comes from `prior`. */
function fromVendor(key: OrganizationApiKey, prior: Partial<EdgeImpulseOrganizationKeyState>): EdgeImpulseOrganizationKeyState {
  const expires = key.expires ?? null;
  // An imported key (no creation date in state yet) has no ttl_seconds: derive it from the vendor's dates so the configuration
  // can match it. A key Terraform made keeps its configured value (null when a rotation gave it a backstop expiry).
  const imported = prior.created_at === null || prior.created_at === undefined;
  const derivedTtl = expires === null || !imported ? null : Math.round((Date.parse(expires) - Date.parse(key.created)) / 1000);
  return {
    id: String(key.id),
    organization_id: prior.organization_id ?? null,
    name: key.name,
    role: key.role,
    ttl_seconds: prior.ttl_seconds ?? (Number.isFinite(derivedTtl) ? derivedTtl : null),
    api_key_wo: null,
    api_key_wo_version: prior.api_key_wo_version ?? null,
    secret: prior.secret ?? null,
    redacted_value: key.apiKey ?? null,
    created_at: key.created ?? null,
    expires_at: expires,
    last_used_at: key.lastUsed?.date ?? null,
    last_used_country: key.lastUsed?.country ?? null,
    last_used_ip: key.lastUsed?.ipAddress ?? null,
  };
}

/** Names one key in messages; values may be unknown during plan. */
function describeKey(state: Partial<EdgeImpulseOrganizationKeyState>): string {
  const where = [
    typeof state.organization_id === 'number' ? `organization ${state.organization_id}` : undefined,
    typeof state.id === 'string' ? `key ${state.id}` : undefined,
  ].filter(Boolean);
  return `Edge Impulse organization key${typeof state.name === 'string' ? ` "${state.name}"` : ''}${where.length ? ` (${where.join(', ')})` : ''}`;
}

/**
 * The secret to keep from the add answer. A caller-supplied key is never
 * copied into state (that is what write-only is for); only if Edge Impulse
 * answered with a different key than the one sent is that key kept, since
 * nobody else knows it.
 */
function secretToStore(answered: string | undefined, supplied: string | undefined, diagnostics: Diagnostics): string | null {
  if (supplied === undefined) return answered ?? null;
  if (answered === undefined || answered === supplied) return null;
  diagnostics.warning(
    'Edge Impulse generated a different key than the one supplied in api_key_wo',
    'The key Edge Impulse created is stored in `secret`; the value of api_key_wo does not work for it. Use `secret`, or revoke the key.',
    ['api_key_wo'],
  );
  return answered;
}

const isWholeNumber = (part: string): boolean => firstProblem(EDGE_IMPULSE.rules.keyId, part) === undefined;

export const edgeImpulseOrganizationKeyResource = keyResource<EdgeImpulseOrganizationKeyState, EdgeImpulseClients, OrganizationApiKey>(edgeImpulseConnection, {
  typeName: 'apikeys_edgeimpulse_organization_key',
  schema,

  describe: describeKey,
  where: (state) => (typeof state.organization_id === 'number' ? `organization ${state.organization_id}` : 'the organization'),
  dates: (state) => isoDates(state),
  vendorExpiry: true,

  validateConfig(config, diagnostics) {
    const supplied = config.api_key_wo !== null && config.api_key_wo !== undefined;
    if (supplied && (config.api_key_wo_version === null || config.api_key_wo_version === undefined)) {
      diagnostics.warning(
        'api_key_wo without api_key_wo_version',
        'Terraform does not store write-only values, so it cannot notice when api_key_wo changes. Set api_key_wo_version, and change it whenever api_key_wo changes, to replace the key.',
        ['api_key_wo_version'],
      );
    }
  },

  keys: (clients, { organization_id: organizationId, name }) => (typeof organizationId !== 'number' || typeof name !== 'string' ? undefined : {
    label: `Edge Impulse organization key "${name}" in organization ${organizationId}`,
    scope: String(organizationId),
    name,
    inventory: clients.organization(organizationId).inventory,
    itemId: (key) => String(key.id),
    sameName: (key) => key.name === name,
    createdAtMs: (key) => {
      const at = Date.parse(key.created);
      return Number.isFinite(at) ? at : undefined;
    },
    describe: (key) => `${key.id} ("${key.name}", created ${key.created})`,
    importId: (key) => `${organizationId}/${key.id}`,
  }),

  async create({ clients: { keys, organization }, planned, config, diagnostics, createKey, vendorExpirySeconds }) {
    const organizationId = planned.organization_id!;
    const name = planned.name!;
    const supplied = typeof config.api_key_wo === 'string' ? config.api_key_wo : undefined;
    const problem = supplied === undefined ? undefined : customKeyProblem(supplied);
    if (problem) throw new ConfigurationError(`api_key_wo is not a valid Edge Impulse key: ${problem}`, 'api_key_wo', 'Nothing was sent to Edge Impulse.');

    // The provider chooses the key value itself, so that a lost answer does not lose it: the key that appears is adopted.
    const secret = supplied ?? generateCustomKey();
    registerSecret(secret);
    const created = await createKey<CreatedOrganizationKey>({
      send: () => keys.create(organizationId, {
        name, role: planned.role as OrganizationApiKeyRole, ttlSeconds: planned.ttl_seconds ?? vendorExpirySeconds, apiKey: secret,
      }),
      createdId: (key) => String(key.id),
      revoke: (key) => keys.delete(organizationId, key.id).then(() => undefined),
      revokeCreated: (key) => keys.delete(organizationId, key.id).then(() => undefined),
      adopt: (key) => (key.name === name && partialKeyMatches(key.apiKey, secret) ? { id: key.id, apiKey: secret } : undefined),
    });

    const known: EdgeImpulseOrganizationKeyState = {
      id: String(created.id), organization_id: organizationId, name, role: planned.role, ttl_seconds: planned.ttl_seconds,
      api_key_wo: null, api_key_wo_version: planned.api_key_wo_version, secret: secretToStore(created.apiKey ?? secret, supplied, diagnostics),
      redacted_value: null, created_at: null, expires_at: null, last_used_at: null, last_used_country: null, last_used_ip: null,
    };
    // The add answer has no dates or partial key: list again. The key exists either way, so a failure here only warns.
    let listed: OrganizationApiKey | undefined;
    let listingProblem: string | undefined;
    try {
      listed = (await organization(organizationId).relist.next()).get(known.id!);
      if (!listed) listingProblem = `a listing right after the create does not show key ${known.id} yet`;
    } catch (error) {
      listingProblem = `listing the organization after the create failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (listed) return fromVendor(listed, known);
    diagnostics.warning(
      `Created ${describeKey(known)}; its details are not known yet`,
      redact(`The key is saved in state (with its secret, when Edge Impulse generated it), but ${listingProblem}. created_at, expires_at, redacted_value and last_used_* stay null until the next plan or refresh reads them.`),
    );
    return known;
  },

  async read({ clients, current }) {
    const key = await clients.organization(current.organization_id!).inventory.find(current.id!);
    return key ? fromVendor(key, current) : null;
  },

  async delete({ clients: { keys, organization }, prior }) {
    await keys.delete(prior.organization_id!, Number(prior.id)); // already gone counts as revoked
    organization(prior.organization_id!).inventory.recordDeleted(prior.id!);
  },

  importId: {
    parse: (id) => {
      const parsed = parseScopedId(id, isWholeNumber, isWholeNumber);
      return parsed && { organization_id: Number(parsed.scope), id: parsed.id };
    },
    usage: 'an Edge Impulse organization key import id. Use <organization_id>/<key_id>, e.g. terraform import apikeys_edgeimpulse_organization_key.ci 12345/678 ' +
      '(key ids are listed by GET /v1/api/organizations/{organizationId}/apikeys).',
  },
});

/** The data source's `edgeimpulse_organization_key` family: one organization's keys. */
export const edgeImpulseOrganizationKeyListing: KeyListing<EdgeImpulseClients> = {
  scope: ['organization_id'],
  label: (scope) => `Edge Impulse organization ${scope.organization_id}`,
  where: (scope) => `organization ${scope.organization_id}`,
  importId: (scope, id) => `${scope.organization_id}/${id}`,
  async list(clients, scope) {
    const organizationId = Number(scope.organization_id);
    const problem = firstProblem(EDGE_IMPULSE.rules.organizationId, organizationId);
    if (problem || scope.organization_id?.trim() === '') {
      throw new ConfigurationError(`${quoted(scope.organization_id)} is not an Edge Impulse organization id`, 'organization_id', 'Use the organization\'s whole-number id, e.g. "4242".');
    }
    const keys = await clients.organization(organizationId).inventory.all();
    return [...keys.values()].map((key) => ({
      id: String(key.id),
      name: key.name ?? null,
      redacted_value: key.apiKey ?? null,
      created_at: toTimestamp(key.created),
      last_used_at: toTimestamp(key.lastUsed?.date),
      expires_at: toTimestamp(key.expires),
      owner: key.createdByUser ? `user: ${key.createdByUser.username ?? key.createdByUser.name}` : null,
      roles: [key.role],
      public_key: null,
    }));
  },
  async revoke({ keys, organization }, scope, id) {
    const organizationId = Number(scope.organization_id);
    await keys.delete(organizationId, Number(id));
    organization(organizationId).inventory.recordDeleted(id);
  },
};
