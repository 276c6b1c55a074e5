import { EDGE_IMPULSE, type EdgeImpulseRole } from '../../../core/facts/edgeimpulse';
import { controlBody, controlError, ControlInputError, isoTimeField, stringField } from '../../control';
import { json, type ControlRoute, type EmulatorRequest, type EmulatorResponse } from '../../http';
import type { EdgeImpulseEmulator, EdgeImpulseEmulatorSettings, EmulatedOrganization } from './emulator';

/** Out-of-band changes and settings, as if someone used Studio; under /_emulator/edgeimpulse, no auth. */
export function edgeImpulseControlRoutes(edgeImpulse: EdgeImpulseEmulator): ControlRoute[] {
  const base = '/_emulator/edgeimpulse';
  const orgKeys = `${base}/organizations/:organizationId/apikeys`;
  const inOrganization = (handler: (organization: EmulatedOrganization, request: EmulatorRequest) => EmulatorResponse) => (request: EmulatorRequest) => {
    const organization = edgeImpulse.organizations.get(Number(request.params.organizationId));
    return organization ? handler(organization, request) : controlError(404, 'no such organization');
  };
  /** The in-process methods throw on bad values; over HTTP they are the caller's 400. */
  const checked = <T>(action: () => T): T => {
    try {
      return action();
    } catch (error) {
      throw new ControlInputError((error as Error).message);
    }
  };
  return [
    { method: 'GET', pattern: `${base}/settings`, summary: 'Edge Impulse settings: error styles, the key mask, member rights', handler: () => json(200, edgeImpulse.settings) },
    {
      method: 'PUT', pattern: `${base}/settings`, summary: 'change Edge Impulse settings',
      handler: (request) => json(200, checked(() => edgeImpulse.configure(controlBody(request) as Partial<EdgeImpulseEmulatorSettings>))),
    },
    {
      method: 'GET', pattern: `${base}/organizations`, summary: 'every Edge Impulse organization: id, name, admin API key',
      handler: () => json(200, [...edgeImpulse.organizations.values()].map(describeOrganization)),
    },
    {
      method: 'POST', pattern: `${base}/organizations`, summary: 'add an Edge Impulse organization; answers its id and admin API key',
      handler: (request) => {
        const body = controlBody(request);
        const id = body.id;
        if (id !== undefined && !Number.isSafeInteger(id)) throw new ControlInputError('id must be a whole number');
        return json(201, describeOrganization(checked(() => edgeImpulse.addOrganization({ id: id as number | undefined, name: stringField(body, 'name'), bootstrapApiKey: stringField(body, 'apiKey') }))));
      },
    },
    {
      method: 'GET', pattern: orgKeys, summary: 'an organization\'s keys, as the API lists them',
      handler: inOrganization((organization) => json(200, edgeImpulse.keys(organization.id).map((key) => edgeImpulse.present(key)))),
    },
    {
      method: 'POST', pattern: orgKeys, summary: 'add a key out of band (name, role, ttl, isTransformationJobKey, created); answers it masked',
      handler: inOrganization((organization, request) => {
        const body = controlBody(request);
        const ttl = body.ttl;
        if (ttl !== undefined && (!Number.isSafeInteger(ttl) || (ttl as number) < 1)) throw new ControlInputError('ttl must be a whole number of seconds, at least 1');
        const key = edgeImpulse.addKey(organization.id, {
          name: stringField(body, 'name') ?? 'out-of-band key', role: roleField(body), ttlSeconds: ttl as number | undefined, isTransformationJobKey: body.isTransformationJobKey === true,
        });
        const created = isoTimeField(body, 'created');
        if (created) edgeImpulse.setKeyTimes(organization.id, key.id, { created });
        return json(200, edgeImpulse.present(key));
      }),
    },
    {
      method: 'PATCH', pattern: `${orgKeys}/:apiKeyId`, summary: 'change a key\'s name, role or expires, or age it (created; lastUsed {date, country?, ipAddress?} or null)',
      handler: inOrganization((organization, request) => {
        const key = organization.keys.get(Number(request.params.apiKeyId));
        if (!key) return controlError(404, 'no such key');
        const body = controlBody(request);
        const name = stringField(body, 'name');
        const role = roleField(body);
        const lastUsed = lastUsedField(body);
        edgeImpulse.setKeyTimes(organization.id, key.id, { created: isoTimeField(body, 'created') ?? undefined, expires: isoTimeField(body, 'expires') });
        if (name !== undefined) key.name = name;
        if (role !== undefined) key.role = role;
        if (lastUsed !== undefined) key.lastUsed = lastUsed;
        return json(200, edgeImpulse.present(key));
      }),
    },
    {
      method: 'DELETE', pattern: `${orgKeys}/:apiKeyId`, summary: 'revoke a key out of band',
      handler: inOrganization((organization, request) =>
        (edgeImpulse.revokeKey(organization.id, Number(request.params.apiKeyId)) ? json(200, { deleted: true }) : controlError(404, 'no such key'))),
    },
  ];
}

const describeOrganization = (organization: EmulatedOrganization) => ({ id: organization.id, name: organization.name, apiKey: organization.bootstrapApiKey });

function roleField(body: Record<string, unknown>): EdgeImpulseRole | undefined {
  const roles: readonly string[] = EDGE_IMPULSE.roles;
  if (body.role !== undefined && !roles.includes(body.role as string)) throw new ControlInputError(`role must be one of ${roles.join(', ')}`);
  return body.role as EdgeImpulseRole | undefined;
}

/** `lastUsed` as the listing shows it ({date, country?, ipAddress?}), date defaulting to now; null: never used. */
function lastUsedField(body: Record<string, unknown>): { date: number; country?: string; ipAddress?: string } | null | undefined {
  const value = body.lastUsed;
  if (value === undefined || value === null) return value;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ControlInputError('lastUsed must be {date, country?, ipAddress?} or null');
  const fields = value as Record<string, unknown>;
  const date = isoTimeField(fields, 'date');
  const country = stringField(fields, 'country');
  const ipAddress = stringField(fields, 'ipAddress');
  return { date: (date ?? new Date()).getTime(), ...(country === undefined ? {} : { country }), ...(ipAddress === undefined ? {} : { ipAddress }) };
}
