import { ImportIdError } from '../../errors';
import { createExactlyOnce, deleteKey, warnAboutNamesakes, type NamesakeHooks } from '../../reconcile/exactly-once';
import { ATLAS_ID_PATTERN, ATLAS_KEY_DESCRIPTION_MAX, ATLAS_ORG_ROLES } from '../../vendors/atlas/constants';
import { objectIdSeconds, orgRolesOf, redactAtlasPrivateKey, type AtlasApiKey, type AtlasApiKeyCreated } from '../../vendors/atlas/types';
import type { UpdateOrganizationKeyInput } from '../../vendors/atlas/organization-keys';
import { atlas } from '../connections/atlas';
import type { ProviderContext } from '../context';
import { setOf } from '../cty/types';
import { valuesEqual, type CtyValue } from '../cty/value';
import type { ResourceDefinition } from '../framework/resource';
import type { Validator } from '../framework/schema';
import { eachOneOf, lengthBetween, notEmptyCollection, quoted } from '../framework/validators';

/**
 * apikeys_atlas_organization_key: a MongoDB Atlas organization programmatic
 * API key. Atlas can change a key's description and organization roles in
 * place (PATCH), so only a move to another organization replaces it. Reads
 * come from one listing of the organization per provider process; the
 * private key is known only from the create answer.
 */
export interface AtlasOrganizationKeyState {
  [attribute: string]: CtyValue;
  id: string | null;
  organization_id: string | null;
  description: string | null;
  roles: string[] | null;
  public_key: string | null;
  secret: string | null;
  redacted_private_key: string | null;
}


const atlasId: Validator = (value) =>
  typeof value === 'string' && !ATLAS_ID_PATTERN.test(value)
    ? `must be a 24-character lower-case hexadecimal Atlas organization id such as 5980cfc70b6d97029d82e3f6 (got ${quoted(value)}).`
    : undefined;

function fromVendor(key: AtlasApiKey, organizationId: string, prior: Partial<AtlasOrganizationKeyState>): AtlasOrganizationKeyState {
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
  };
}

const sameRoles = (a: readonly string[], b: readonly string[]): boolean => valuesEqual([...a], [...b], true);

/** Where keys described `description` are listed, and how one is named in messages. */
function keyScope(provider: ProviderContext, organizationId: string, description: string): NamesakeHooks<AtlasApiKey> {
  return {
    label: `Atlas organization key "${description}" in organization ${organizationId}`,
    resourceType: 'apikeys_atlas_organization_key',
    inventory: atlas(provider).inventory(organizationId),
    itemId: (key) => key.id,
    sameName: (key) => key.desc === description,
    describe: (key) => `${key.id} ("${key.desc}", public key ${key.publicKey})`,
    importId: (key) => `${organizationId}/${key.id}`,
  };
}

export const atlasOrganizationKeyResource: ResourceDefinition<AtlasOrganizationKeyState, ProviderContext> = {
  typeName: 'apikeys_atlas_organization_key',
  schema: {
    version: 0,
    description:
      'A MongoDB Atlas organization programmatic API key. The private key (`secret`) is available only when Terraform ' +
      'creates the key; an imported key has a null `secret`. `description` and `roles` are updated in place; ' +
      'changing `organization_id` replaces the key.',
    attributes: {
      id: { type: 'string', computed: true, description: 'The key id (24 hexadecimal digits).' },
      organization_id: {
        type: 'string', required: true, requiresReplace: true, validators: [atlasId],
        description: 'Id of the Atlas organization that owns the key. Changing it replaces the key.',
      },
      description: {
        type: 'string', required: true, validators: [lengthBetween(1, ATLAS_KEY_DESCRIPTION_MAX)],
        description: `Description of the key (Atlas \`desc\`), 1 to ${ATLAS_KEY_DESCRIPTION_MAX} characters. Updated in place.`,
      },
      roles: {
        type: setOf('string'), required: true, validators: [notEmptyCollection, eachOneOf(ATLAS_ORG_ROLES)],
        description: `Organization roles of the key, at least one of ${ATLAS_ORG_ROLES.join(', ')}. Updated in place. Project roles are not managed here.`,
      },
      public_key: { type: 'string', computed: true, description: 'The public key: the user name of HTTP Digest authentication.' },
      secret: {
        type: 'string', computed: true, sensitive: true,
        description: 'The private key: the password of HTTP Digest authentication. Set only when Terraform created the key: Atlas returns it once. Null for imported keys.',
      },
      redacted_private_key: { type: 'string', computed: true, description: 'The masked private key Atlas shows, `********-****-****-` and its last 12 digits.' },
    },
  },

  describe: (state) =>
    `Atlas organization key${typeof state.description === 'string' ? ` "${state.description}"` : ''}${typeof state.id === 'string' ? ` (${state.id})` : ''}`,

  async checkPlan({ provider, planned, prior, diagnostics }) {
    atlas(provider); // fails the plan, before any vendor call, when the credentials are missing or half set
    if (!prior && typeof planned.organization_id === 'string' && typeof planned.description === 'string') {
      await warnAboutNamesakes(keyScope(provider, planned.organization_id, planned.description), provider.trackedIds, diagnostics);
    }
  },

  async create({ provider, planned, receipt, diagnostics }) {
    const { keys, inventory } = atlas(provider);
    const organizationId = planned.organization_id!;
    const description = planned.description!;
    const listing = inventory(organizationId);
    const created = await createExactlyOnce<AtlasApiKey, AtlasApiKeyCreated>({
      ...keyScope(provider, organizationId, description),
      send: () => keys.create(organizationId, { description, roles: planned.roles! }),
      createdId: (key) => key.id,
      // Atlas keys carry no creation date, but their ObjectId starts with one (whole seconds).
      createdAtMs: (key) => {
        const seconds = objectIdSeconds(key.id);
        return seconds === undefined ? undefined : seconds * 1000 + 999;
      },
      revoke: (key) => keys.delete(organizationId, key.id).then(() => undefined),
      revokeCreated: (key) => keys.delete(organizationId, key.id).then(() => undefined),
    }, { settings: provider.exactlyOnce, receipt, warnings: diagnostics, journal: provider.journal });
    listing.recordCreated(created);
    return { ...fromVendor(created, organizationId, planned), secret: created.privateKey };
  },

  async read({ provider, current }) {
    provider.trackedIds.add(current.id!);
    provider.journal?.forget(current.id!);
    const organizationId = current.organization_id!;
    const key = await atlas(provider).inventory(organizationId).find(current.id!);
    return key ? fromVendor(key, organizationId, current) : null;
  },

  async update({ provider, prior, planned, diagnostics }) {
    const { keys, inventory } = atlas(provider);
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
        `Atlas did not set the roles of ${atlasOrganizationKeyResource.describe(prior)} exactly`,
        `Requested ${[...change.roles].sort().join(', ')}; Atlas now reports ${granted.join(', ') || 'none'}. ` +
        'Remove the extra roles in the Atlas console; the next plan shows the difference.',
        ['roles'],
      );
    }
    return fromVendor(updated, organizationId, prior);
  },

  async delete({ provider, prior }) {
    const organizationId = prior.organization_id!;
    const { keys, inventory } = atlas(provider);
    await deleteKey(inventory(organizationId), prior.id!, () => keys.delete(organizationId, prior.id!), provider.journal); // already gone counts as deleted
  },

  importState({ id }) {
    const [organizationId, keyId, ...rest] = id.trim().split('/');
    if (rest.length > 0 || !ATLAS_ID_PATTERN.test(organizationId ?? '') || !ATLAS_ID_PATTERN.test(keyId ?? '')) {
      throw new ImportIdError(
        `${quoted(id)} is not an Atlas organization key import id. Use <organization_id>/<key_id>, both 24 hexadecimal digits, e.g. ` +
        'terraform import apikeys_atlas_organization_key.ci 5980cfc70b6d97029d82e3f6/5c47503320eef5699e1cce8d ' +
        '(key ids are listed by GET /api/atlas/v2/orgs/{orgId}/apiKeys).',
      );
    }
    return { id: keyId, organization_id: organizationId };
  },
};
