import { OPENAI } from '../../../core/facts/openai';
import { controlBody, controlError, ControlInputError, stringField } from '../../control';
import { json, type ControlRoute, type EmulatorRequest, type EmulatorResponse } from '../../http';
import type { OpenAiEmulator } from './emulator';
import type { EmulatedOpenAiOrganization } from './organization';
import { keyTimesOf, projectControlRoutes } from './projects-control';

/**
 * OpenAI's control routes: the switches for what the documentation leaves
 * open, the organizations, and out-of-band changes to any organization's
 * admin keys and projects (under /_emulator/openai/organizations/<id>), as if
 * someone used the dashboard. The same changes to the default organization
 * also have the shorter paths of earlier versions (/_emulator/openai/admin_api_keys, ...).
 */
export function openAiControlRoutes(openai: OpenAiEmulator): ControlRoute[] {
  const byId = (request: EmulatorRequest) => openai.organizations.get(request.params.organization_id);
  const byDefault = () => openai.defaultOrganization;
  const ofOrganization = (base: string, find: (request: EmulatorRequest) => EmulatedOpenAiOrganization | undefined) => [
    ...adminKeyControlRoutes(base, find),
    ...projectControlRoutes(base, (request) => find(request)?.projects),
  ];
  return [
    { method: 'GET', pattern: '/_emulator/openai/options', summary: 'OpenAI settings: rate limit, and the switches for what the documentation leaves open', handler: () => json(200, openai.settings()) },
    {
      method: 'PATCH', pattern: '/_emulator/openai/options', summary: 'change OpenAI settings (unknown names are ignored)',
      handler: (request) => json(200, openai.configure(controlBody(request) as Parameters<OpenAiEmulator['configure']>[0])),
    },
    {
      method: 'GET', pattern: '/_emulator/openai/organizations', summary: 'every OpenAI organization: id, name, admin key, default project',
      handler: () => json(200, [...openai.organizations.values()].map((found) => found.describe())),
    },
    {
      method: 'POST', pattern: '/_emulator/openai/organizations', summary: 'add an OpenAI organization; answers its id and admin key',
      handler: (request) => {
        const body = controlBody(request);
        const adminKey = body.adminKey;
        if (adminKey !== undefined && (typeof adminKey !== 'string' || !adminKey.startsWith(OPENAI.keyPrefixes.admin) || openai.organizationOf(adminKey))) {
          throw new ControlInputError(`adminKey must be an unused admin key starting with ${OPENAI.keyPrefixes.admin}`);
        }
        return json(201, openai.addOrganization({ name: stringField(body, 'name'), adminKey }).describe());
      },
    },
    ...ofOrganization('/_emulator/openai/organizations/:organization_id', byId),
    ...ofOrganization('/_emulator/openai', byDefault).map((route) => ({ ...route, summary: `${route.summary} (default organization)` })),
  ];
}

/** Out-of-band changes to one organization's admin keys, mounted under `base`. */
function adminKeyControlRoutes(base: string, organizationOf: (request: EmulatorRequest) => EmulatedOpenAiOrganization | undefined): ControlRoute[] {
  const keys = `${base}/admin_api_keys`;
  const inOrganization = (handler: (request: EmulatorRequest, organization: EmulatedOpenAiOrganization) => EmulatorResponse) => (request: EmulatorRequest) => {
    const organization = organizationOf(request);
    return organization ? handler(request, organization) : controlError(404, 'no such organization');
  };
  return [
    {
      method: 'GET', pattern: keys, summary: 'an organization\'s admin keys, as the API lists them',
      handler: inOrganization((_request, organization) => json(200, organization.adminKeys.all().map((key) => organization.present(key)))),
    },
    {
      method: 'POST', pattern: keys, summary: 'add an admin key out of band (its value is not answered)',
      handler: inOrganization((request, organization) => json(200, organization.present(organization.addAdminKey(stringField(controlBody(request), 'name') ?? 'out-of-band key')))),
    },
    {
      method: 'PATCH', pattern: `${keys}/:key_id`, summary: 'rename an admin key, or age it (created_at, last_used_at, expires_at: Unix seconds or null)',
      handler: inOrganization((request, organization) => {
        const key = organization.adminKeys.get(request.params.key_id);
        if (!key) return controlError(404, 'no such key');
        const changes = controlBody(request);
        const name = stringField(changes, 'name');
        organization.setAdminKeyTimes(key.id, keyTimesOf(changes));
        if (name !== undefined) key.name = name;
        return json(200, organization.present(key));
      }),
    },
    {
      method: 'DELETE', pattern: `${keys}/:key_id`, summary: 'revoke an admin key out of band',
      handler: inOrganization((request, organization) => (organization.adminKeys.delete(request.params.key_id) ? json(200, { deleted: true }) : controlError(404, 'no such key'))),
    },
  ];
}
