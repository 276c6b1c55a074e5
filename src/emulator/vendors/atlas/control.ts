import { ATLAS } from '../../../core/facts/atlas';
import { controlBody, controlError, ControlInputError, isoTimeField, stringField } from '../../control';
import { json, type ControlRoute, type EmulatorRequest, type EmulatorResponse } from '../../http';
import { entryName, presentEntry, type AccessListEntry } from './access-list';
import { DEFAULT_ATLAS_SETTINGS, objectIdTime, redactAtlasKey, type AtlasEmulator, type AtlasEmulatorSettings, type EmulatedAtlasOrganization, type StoredAtlasKey } from './emulator';

/**
 * Out-of-band changes, as if someone used the Atlas console, and the
 * switches for what the documentation leaves open; under /_emulator/atlas,
 * no auth. An Atlas key has no creation time but its ObjectId, so a key is
 * dated when it is added (`created`), never afterwards; its last use lives
 * on its access-list entries.
 */
export function atlasControlRoutes(atlas: AtlasEmulator): ControlRoute[] {
  const base = '/_emulator/atlas';
  const keys = `${base}/orgs/:orgId/apiKeys`;
  const accessList = `${keys}/:keyId/accessList`;
  const inOrganization = (handler: (org: EmulatedAtlasOrganization, request: EmulatorRequest) => EmulatorResponse) => (request: EmulatorRequest) => {
    const org = atlas.organization(request.params.orgId);
    return org ? handler(org, request) : controlError(404, 'no such organization');
  };
  const withKey = (handler: (key: StoredAtlasKey, org: EmulatedAtlasOrganization, request: EmulatorRequest) => EmulatorResponse) =>
    inOrganization((org, request) => {
      const key = org.keys.get(request.params.keyId);
      return key ? handler(key, org, request) : controlError(404, 'no such key');
    });
  const withEntry = (handler: (entry: AccessListEntry, key: StoredAtlasKey, org: EmulatedAtlasOrganization, request: EmulatorRequest) => EmulatorResponse) =>
    withKey((key, org, request) => {
      const entry = key.accessList.find((candidate) => entryName(candidate) === request.params.entry);
      return entry ? handler(entry, key, org, request) : controlError(404, 'no such access-list entry');
    });
  const entries = (org: EmulatedAtlasOrganization, key: StoredAtlasKey) => key.accessList.map((entry) => presentEntry(entry, accessListPath(org, key)));

  return [
    { method: 'GET', pattern: `${base}/settings`, summary: 'Atlas settings: the switches for what the documentation leaves open', handler: () => json(200, atlas.settings) },
    {
      method: 'PATCH', pattern: `${base}/settings`, summary: 'change Atlas settings (unknown names are ignored)',
      handler: (request) => {
        const { rateLimit, ...rest } = controlBody(request) as Partial<AtlasEmulatorSettings>;
        Object.assign(atlas.settings, pick(rest, Object.keys(DEFAULT_ATLAS_SETTINGS)));
        if (rateLimit) Object.assign(atlas.settings.rateLimit, pick(rateLimit, Object.keys(DEFAULT_ATLAS_SETTINGS.rateLimit)));
        return json(200, atlas.settings);
      },
    },
    {
      method: 'GET', pattern: `${base}/orgs`, summary: 'every Atlas organization with its keys (private keys masked)',
      handler: () => json(200, atlas.organizations.map((org) => ({ id: org.id, name: org.name, apiKeys: org.keys.all().map((key) => presentStored(org, key)) }))),
    },
    {
      method: 'POST', pattern: `${base}/orgs`, summary: 'add an Atlas organization; answers its id, digest key pair and service account',
      handler: (request) => {
        const body = controlBody(request);
        const id = stringField(body, 'id');
        if (id !== undefined && (!ATLAS.patterns.id.test(id) || atlas.organization(id))) throw new ControlInputError('id must be an unused 24-hex organization id');
        const org = atlas.addOrganization(stringField(body, 'name') ?? `Emulated organization ${atlas.organizations.length}`, id);
        return json(201, {
          id: org.id, name: org.name, publicKey: org.bootstrapKey.publicKey, privateKey: org.bootstrapKey.privateKey,
          clientId: org.serviceAccount.clientId, clientSecret: org.serviceAccount.clientSecret,
        });
      },
    },
    {
      method: 'GET', pattern: keys, summary: 'one organization\'s keys, with creation times and access lists (private keys masked)',
      handler: inOrganization((org) => json(200, org.keys.all().map((key) => presentStored(org, key)))),
    },
    {
      method: 'POST', pattern: keys, summary: 'add a key out of band, optionally dated (`created` goes into its ObjectId); answers its private key',
      handler: inOrganization((org, request) => {
        const body = controlBody(request);
        const created = isoTimeField(body, 'created') ?? undefined;
        const key = atlas.addKey(org.id, {
          desc: stringField(body, 'desc') ?? 'out-of-band key', roles: rolesField(body) ?? ['ORG_MEMBER'], projectRoles: projectRolesField(body), created,
        });
        return json(200, { ...presentStored(org, key), privateKey: key.privateKey });
      }),
    },
    {
      method: 'PATCH', pattern: `${keys}/:keyId`, summary: 'change a key\'s description, organization roles or project roles out of band',
      handler: withKey((key, org, request) => {
        const body = controlBody(request);
        atlas.updateKey(org.id, key.id, { desc: stringField(body, 'desc'), roles: rolesField(body), projectRoles: projectRolesField(body) });
        return json(200, presentStored(org, key));
      }),
    },
    {
      method: 'DELETE', pattern: `${keys}/:keyId`, summary: 'revoke a key out of band',
      handler: withKey((key, org) => (atlas.revokeKey(org.id, key.id), json(200, { deleted: true }))),
    },
    { method: 'GET', pattern: accessList, summary: 'a key\'s access list, as the API shows it', handler: withKey((key, org) => json(200, entries(org, key))) },
    {
      method: 'POST', pattern: accessList, summary: 'add an access-list entry ({ipAddress} or {cidrBlock}) to a key out of band',
      handler: withKey((key, org, request) => {
        const body = controlBody(request);
        try {
          atlas.addAccessListEntry(org.id, key.id, body as { ipAddress: string });
        } catch (error) {
          throw new ControlInputError((error as Error).message);
        }
        return json(200, entries(org, key));
      }),
    },
    {
      method: 'PATCH', pattern: `${accessList}/:entry`, summary: 'set an entry\'s last use (`lastUsed`, `lastUsedAddress`, `count`), or clear it with lastUsed null',
      handler: withEntry((entry, key, org, request) => {
        const body = controlBody(request);
        const lastUsed = isoTimeField(body, 'lastUsed');
        if (lastUsed === undefined) throw new ControlInputError('lastUsed is required: an ISO-8601 time, or null for never used');
        const count = body.count;
        if (count !== undefined && (!Number.isSafeInteger(count) || (count as number) < 1)) throw new ControlInputError('count must be a whole number of at least 1');
        atlas.setAccessListEntryUse(org.id, key.id, entryName(entry), { lastUsed, lastUsedAddress: stringField(body, 'lastUsedAddress'), count: count as number | undefined });
        return json(200, presentEntry(entry, accessListPath(org, key)));
      }),
    },
    {
      method: 'DELETE', pattern: `${accessList}/:entry`, summary: 'remove an access-list entry out of band',
      handler: withEntry((entry, key) => (key.accessList.splice(key.accessList.indexOf(entry), 1), json(200, { deleted: true }))),
    },
    { method: 'POST', pattern: `${base}/nonces/expire`, summary: 'expire every digest nonce handed out so far (the next request draws stale=true)', handler: () => (atlas.expireNonces(), { status: 204 }) },
    { method: 'POST', pattern: `${base}/tokens/expire`, summary: 'expire every service-account token issued so far', handler: () => (atlas.expireTokens(), { status: 204 }) },
  ];
}

/** A key as the control API shows it: private key masked, creation time read from its ObjectId, and its access list. */
function presentStored(org: EmulatedAtlasOrganization, key: StoredAtlasKey): Record<string, unknown> {
  return {
    id: key.id, desc: key.desc, publicKey: key.publicKey, privateKey: redactAtlasKey(key.privateKey), created: objectIdTime(key.id).toISOString(),
    roles: [...key.orgRoles.map((roleName) => ({ orgId: org.id, roleName })), ...key.projectRoles],
    accessList: key.accessList.map((entry) => presentEntry(entry, accessListPath(org, key))),
  };
}

const accessListPath = (org: EmulatedAtlasOrganization, key: StoredAtlasKey): string => `/_emulator/atlas/orgs/${org.id}/apiKeys/${key.id}/accessList`;

function rolesField(body: Record<string, unknown>): string[] | undefined {
  const roles = body.roles;
  if (roles === undefined) return undefined;
  const known: readonly string[] = ATLAS.orgRoles;
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((role) => !known.includes(role))) {
    throw new ControlInputError(`roles must be a non-empty list of organization roles: ${known.join(', ')}`);
  }
  return roles as string[];
}

function projectRolesField(body: Record<string, unknown>): StoredAtlasKey['projectRoles'] | undefined {
  const roles = body.projectRoles;
  if (roles === undefined) return undefined;
  const valid = Array.isArray(roles) && roles.every((role) => typeof role?.groupId === 'string' && typeof role?.roleName === 'string');
  if (!valid) throw new ControlInputError('projectRoles must be a list of {groupId, roleName}');
  return roles as StoredAtlasKey['projectRoles'];
}

function pick(source: object, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source ?? {}).filter(([name]) => names.includes(name)));
}
