import { OPENAI } from '../../../core/facts/openai';
import { controlBody, controlError, ControlInputError, stringField, unixSecondsField } from '../../control';
import { json, type ControlRoute, type EmulatorRequest, type EmulatorResponse } from '../../http';
import type { KeyTimes } from '../../key-times';
import type { OpenAiProjectsEmulator, ProjectUser, StoredProject } from './projects';
import { pick } from './wire';

/**
 * Out-of-band changes to one organization's projects, as if someone used
 * the OpenAI dashboard: add projects and user-owned keys, rename or delete
 * service accounts, archive projects, age keys (created_at, last_used_at).
 * Mounted under `base` (an organization's control path); no auth, no rate limit.
 */
export function projectControlRoutes(base: string, projectsOf: (request: EmulatorRequest) => OpenAiProjectsEmulator | undefined): ControlRoute[] {
  const collection = `${base}/projects`;
  const project = `${collection}/:project_id`;
  const notFound = (what: string) => controlError(404, `no such ${what}`);
  const withProjects = (handler: (request: EmulatorRequest, projects: OpenAiProjectsEmulator) => EmulatorResponse) => (request: EmulatorRequest) => {
    const projects = projectsOf(request);
    return projects ? handler(request, projects) : notFound('organization');
  };
  const inProject = (handler: (request: EmulatorRequest, project: StoredProject, projects: OpenAiProjectsEmulator) => EmulatorResponse) =>
    withProjects((request, projects) => {
      const found = projects.projects.get(request.params.project_id);
      return found ? handler(request, found, projects) : notFound('project');
    });
  return [
    {
      method: 'GET', pattern: collection, summary: 'every project with its keys and service accounts',
      handler: withProjects((_request, projects) => json(200, projects.projects.all().map((found) => ({
        ...projects.presentProject(found),
        api_keys: projects.keys(found.id).all().map((key) => projects.presentKey(key)),
        service_accounts: projects.serviceAccounts(found.id).all().map((account) => projects.presentServiceAccount(account)),
      })))),
    },
    {
      method: 'POST', pattern: collection, summary: 'add a project, optionally with a chosen id',
      handler: withProjects((request, projects) => {
        const body = controlBody(request);
        const id = stringField(body, 'id');
        if (id !== undefined && (!OPENAI.patterns.projectId.test(id) || projects.projects.get(id))) throw new ControlInputError('id must be an unused project id such as proj_demo');
        return json(200, projects.presentProject(projects.createProject(stringField(body, 'name') ?? 'out-of-band project', id)));
      }),
    },
    {
      method: 'PATCH', pattern: project, summary: 'rename a project, or archive and unarchive it',
      handler: inProject((request, found, projects) => {
        const changes = controlBody(request);
        const name = stringField(changes, 'name');
        if (name !== undefined) found.name = name;
        if (changes.archived === true) projects.archiveProject(found.id);
        if (changes.archived === false) found.archived_at = null;
        return json(200, projects.presentProject(found));
      }),
    },
    {
      method: 'POST', pattern: `${project}/api_keys`, summary: 'add a user-owned project key, as someone would in the dashboard',
      handler: inProject((request, found, projects) => {
        const input = controlBody(request);
        const access = input.owner_project_access === 'inactive' ? 'inactive' : 'active';
        const user = pick(input.user, ['name', 'email', 'role']) as Partial<ProjectUser>;
        const key = projects.addUserKey(found.id, { name: stringField(input, 'name') ?? 'dashboard key', ownerProjectAccess: access, user });
        return json(200, projects.presentKey(key));
      }),
    },
    {
      method: 'PATCH', pattern: `${project}/api_keys/:key_id`, summary: 'rename a project key, change its owner_project_access, or age it (created_at, last_used_at, expires_at)',
      handler: inProject((request, found, projects) => {
        const key = projects.keys(found.id).get(request.params.key_id);
        if (!key) return notFound('key');
        const changes = controlBody(request);
        const name = stringField(changes, 'name');
        const access = changes.owner_project_access;
        if (access !== undefined && access !== 'active' && access !== 'inactive') throw new ControlInputError('owner_project_access must be active or inactive');
        projects.setKeyTimes(found.id, key.id, keyTimesOf(changes));
        if (name !== undefined) key.name = name;
        if (access !== undefined) key.owner_project_access = access;
        return json(200, projects.presentKey(key));
      }),
    },
    {
      method: 'DELETE', pattern: `${project}/api_keys/:key_id`, summary: 'revoke a project key out of band (a service account\'s too)',
      handler: inProject((request, found, projects) => (projects.keys(found.id).delete(request.params.key_id) ? json(200, { deleted: true }) : notFound('key'))),
    },
    {
      method: 'POST', pattern: `${project}/service_accounts`, summary: 'add a service account with a key; answers the key id, not its value',
      handler: inProject((request, found, projects) => {
        const { account, key } = projects.createServiceAccount(found.id, stringField(controlBody(request), 'name') ?? 'dashboard service account');
        return json(200, { ...projects.presentServiceAccount(account), api_key_id: key?.id ?? null });
      }),
    },
    {
      method: 'PATCH', pattern: `${project}/service_accounts/:id`, summary: 'rename a service account or change its role',
      handler: inProject((request, found, projects) => {
        const account = projects.serviceAccounts(found.id).get(request.params.id);
        if (!account) return notFound('service account');
        Object.assign(account, pick(request.json, ['name', 'role']));
        return json(200, projects.presentServiceAccount(account));
      }),
    },
    {
      method: 'DELETE', pattern: `${project}/service_accounts/:id`, summary: 'delete a service account (and, with the cascade on, its keys)',
      handler: inProject((request, found, projects) => (projects.deleteServiceAccount(found.id, request.params.id) ? json(200, { deleted: true }) : notFound('service account'))),
    },
  ];
}

/** A key's times as OpenAI writes them in a control body: created_at, last_used_at and expires_at in Unix seconds (null: never). */
export function keyTimesOf(body: Record<string, unknown>): KeyTimes {
  return { created: unixSecondsField(body, 'created_at') ?? undefined, lastUsed: unixSecondsField(body, 'last_used_at'), expires: unixSecondsField(body, 'expires_at') };
}
