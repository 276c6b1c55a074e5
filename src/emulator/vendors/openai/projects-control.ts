import { OPENAI } from '../../../core/facts/openai';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../../http';
import type { OpenAiProjectsEmulator, ProjectUser, StoredProject } from './projects';
import { pick } from './wire';

/**
 * Out-of-band changes to projects, as if someone used the OpenAI dashboard:
 * add projects and user-owned keys, rename or delete service accounts,
 * archive projects, touch a key's last use. Mounted under
 * /_emulator/openai/projects; no auth, no rate limit.
 */
export function projectControlRoutes(projects: OpenAiProjectsEmulator, base: string): Route[] {
  const collection = `${base}/projects`;
  const project = `${collection}/:project_id`;
  const notFound = (what: string) => json(404, { error: `no such ${what}` });
  const inProject = (handler: (request: EmulatorRequest, project: StoredProject) => EmulatorResponse) => (request: EmulatorRequest) => {
    const found = projects.projects.get(request.params.project_id);
    return found ? handler(request, found) : notFound('project');
  };
  const body = (request: EmulatorRequest) => (request.json ?? {}) as Record<string, unknown>;
  return [
    {
      method: 'GET', pattern: collection,
      handler: () => json(200, projects.projects.all().map((found) => ({
        ...projects.presentProject(found),
        api_keys: projects.keys(found.id).all().map((key) => projects.presentKey(key)),
        service_accounts: projects.serviceAccounts(found.id).all().map((account) => projects.presentServiceAccount(account)),
      }))),
    },
    {
      method: 'POST', pattern: collection,
      handler: (request) => {
        const { name, id } = body(request);
        if (id !== undefined && (typeof id !== 'string' || !OPENAI.patterns.projectId.test(id) || projects.projects.get(id))) {
          return json(400, { error: 'id must be an unused project id such as proj_demo' });
        }
        return json(200, projects.presentProject(projects.createProject(String(name ?? 'out-of-band project'), id)));
      },
    },
    {
      method: 'PATCH', pattern: project,
      handler: inProject((request, found) => {
        const changes = body(request);
        if (typeof changes.name === 'string') found.name = changes.name;
        if (changes.archived === true) projects.archiveProject(found.id);
        if (changes.archived === false) found.archived_at = null;
        return json(200, projects.presentProject(found));
      }),
    },
    {
      method: 'POST', pattern: `${project}/api_keys`,
      handler: inProject((request, found) => {
        const input = body(request);
        const access = input.owner_project_access === 'inactive' ? 'inactive' : 'active';
        const key = projects.addUserKey(found.id, { name: String(input.name ?? 'dashboard key'), ownerProjectAccess: access, user: pick(input.user, ['name', 'email', 'role']) as Partial<ProjectUser> });
        return json(200, projects.presentKey(key));
      }),
    },
    {
      method: 'PATCH', pattern: `${project}/api_keys/:key_id`,
      handler: inProject((request, found) => {
        const key = projects.keys(found.id).get(request.params.key_id);
        if (!key) return notFound('key');
        Object.assign(key, pick(request.json, ['name', 'last_used_at', 'owner_project_access']));
        return json(200, projects.presentKey(key));
      }),
    },
    {
      method: 'DELETE', pattern: `${project}/api_keys/:key_id`,
      handler: inProject((request, found) => (projects.keys(found.id).delete(request.params.key_id) ? json(200, { deleted: true }) : notFound('key'))),
    },
    {
      method: 'POST', pattern: `${project}/service_accounts`,
      handler: inProject((request, found) => {
        const { account, key } = projects.createServiceAccount(found.id, String(body(request).name ?? 'dashboard service account'));
        return json(200, { ...projects.presentServiceAccount(account), api_key_id: key?.id ?? null });
      }),
    },
    {
      method: 'PATCH', pattern: `${project}/service_accounts/:id`,
      handler: inProject((request, found) => {
        const account = projects.serviceAccounts(found.id).get(request.params.id);
        if (!account) return notFound('service account');
        Object.assign(account, pick(request.json, ['name', 'role']));
        return json(200, projects.presentServiceAccount(account));
      }),
    },
    {
      method: 'DELETE', pattern: `${project}/service_accounts/:id`,
      handler: inProject((request, found) => (projects.deleteServiceAccount(found.id, request.params.id) ? json(200, { deleted: true }) : notFound('service account'))),
    },
  ];
}
