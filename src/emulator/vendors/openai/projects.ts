import { OPENAI } from '../../../core/facts/openai';
import { json, type EmulatorRequest, type EmulatorResponse } from '../../http';
import { CursorStore } from '../../cursor-store';
import { nowSeconds, randomAlphanumeric } from '../../ids';
import { unixSeconds, unixSecondsOrNull, type KeyTimes } from '../../key-times';
import { cursorListResponse, invalidLimit, jsonBody, openAiError, parseLimit, redactOpenAiKey, type ScopedRoute } from './wire';

/**
 * OpenAI's projects, project API keys and project service accounts, as the
 * seed and the 2026 spec document them:
 * - keys cannot be created through the API; a service account's create
 *   answer carries a new key's one-time value; keys users own are added out
 *   of band (the dashboard);
 * - deleting a service account's key directly is a 400: the account is
 *   deleted instead;
 * - service-account create and list answer 400 on an archived project;
 * - `owner_project_access` filters the key list (active|inactive|any);
 * - with `serviceAccountKeyExpiry` on, service-account create takes the
 *   2026 SDKs' `expires_in_seconds` and keys carry `expires_at`.
 * Project and service-account keys authenticate on GET /models (./emulator.ts),
 * which records their `last_used_at`.
 *
 * Each organization has its own projects; the routes are mounted once by
 * OpenAiEmulator, which adds auth and rate limits and runs each call against
 * the caller's organization.
 */
export interface StoredProject {
  id: string;
  name: string;
  created_at: number;
  archived_at: number | null;
}

export interface StoredServiceAccount {
  id: string;
  name: string;
  role: 'owner' | 'member' | 'none';
  created_at: number;
}

export interface ProjectUser {
  id: string;
  name: string;
  email: string;
  role: 'owner' | 'member';
  created_at: number;
}

export type KeyOwner = { type: 'user'; user: ProjectUser } | { type: 'service_account'; account: StoredServiceAccount };

export interface StoredProjectKey {
  id: string;
  name: string;
  value: string;
  created_at: number;
  last_used_at: number | null;
  /** Unix seconds; null: never expires. Only service-account keys made with expires_in_seconds have one. */
  expires_at: number | null;
  owner_project_access: 'active' | 'inactive';
  owner: KeyOwner;
}

/** The items the documentation leaves uncertain [U], as switches. */
export interface OpenAiProjectsSettings {
  /** Deleting a service account also deletes its keys. Implied, not stated. Default true. */
  serviceAccountDeleteCascades: boolean;
  /**
   * How the key list treats the *new-2026* `owner_project_access` parameter:
   * `supported` (default); `rejected`, a 400 as from a server that predates it;
   * `ignored`, the default visibility whatever is asked.
   */
  ownerProjectAccessParameter: 'supported' | 'rejected' | 'ignored';
  /** Keys carry the *new-2026* `owner_project_access` field. Default true. */
  ownerProjectAccessField: boolean;
  /** Order of the key list, which OpenAI does not specify. Default asc (creation order). */
  keyListOrder: 'asc' | 'desc';
  /**
   * Service-account create takes `expires_in_seconds` (1..31536000) and project keys carry `expires_at`, as
   * OpenAI's SDK releases of 2026-09 have it. Default false: the API spec of record has neither, and a server
   * without them refuses the unknown argument with 400, so a client must treat the field as optional.
   */
  serviceAccountKeyExpiry: boolean;
}

export const DEFAULT_PROJECTS_SETTINGS: OpenAiProjectsSettings = {
  serviceAccountDeleteCascades: true,
  ownerProjectAccessParameter: 'supported',
  ownerProjectAccessField: true,
  keyListOrder: 'asc',
  serviceAccountKeyExpiry: false,
};

export interface OpenAiProjectsOptions extends Partial<OpenAiProjectsSettings> {
  /** Id of the project made at start; generated when omitted. */
  defaultProjectId?: string;
}

interface ProjectData {
  readonly keys: CursorStore<StoredProjectKey>;
  readonly serviceAccounts: CursorStore<StoredServiceAccount>;
}

const SERVICE_ACCOUNT_KEY_NAME = 'Secret Key';
/** [U] The 2026 SDKs give service-account keys the admin keys' expiry bounds. */
const MAX_EXPIRY = OPENAI.limits.adminKeyMaxExpirySeconds;
const ROLES_SETTABLE = ['member', 'owner'];

const { project: PROJECT_PREFIX, key: KEY_PREFIX, serviceAccount: SERVICE_ACCOUNT_PREFIX, user: USER_PREFIX } = OPENAI.idPrefixes;

export class OpenAiProjectsEmulator {
  readonly projects = new CursorStore<StoredProject>();
  readonly defaultProjectId: string;
  private readonly data = new Map<string, ProjectData>();

  /** `settings` is the emulator's, shared by every organization and read on every call. */
  constructor(readonly settings: OpenAiProjectsSettings, defaultProjectId?: string) {
    this.defaultProjectId = this.createProject('Default project', defaultProjectId).id;
  }

  createProject(name: string, id = `${PROJECT_PREFIX}${randomAlphanumeric(24)}`): StoredProject {
    this.data.set(id, { keys: new CursorStore(), serviceAccounts: new CursorStore() });
    return this.projects.add({ id, name, created_at: nowSeconds(), archived_at: null });
  }

  archiveProject(projectId: string): StoredProject {
    const project = this.project(projectId);
    project.archived_at ??= nowSeconds();
    return project;
  }

  /** The keys of a project (throws for an unknown project: a test bug). */
  keys(projectId: string = this.defaultProjectId): CursorStore<StoredProjectKey> {
    return this.dataOf(projectId).keys;
  }

  serviceAccounts(projectId: string = this.defaultProjectId): CursorStore<StoredServiceAccount> {
    return this.dataOf(projectId).serviceAccounts;
  }

  /** A key a user made in the dashboard. */
  addUserKey(projectId: string, options: { name: string; ownerProjectAccess?: 'active' | 'inactive'; user?: Partial<ProjectUser> }): StoredProjectKey {
    const user: ProjectUser = {
      id: `${USER_PREFIX}${randomAlphanumeric(16)}`, name: 'Emulator User', email: 'user@example.com', role: 'owner', created_at: 1_700_000_000, ...options.user,
    };
    return this.keys(projectId).add({
      id: `${KEY_PREFIX}${randomAlphanumeric(16)}`, name: options.name, value: `${OPENAI.keyPrefixes.project}${randomAlphanumeric(48)}`, created_at: nowSeconds(),
      last_used_at: null, expires_at: null, owner_project_access: options.ownerProjectAccess ?? 'active', owner: { type: 'user', user },
    });
  }

  /** A service account and (unless `withKey` is false) its key, which expires `expiresInSeconds` after its creation when given. */
  createServiceAccount(projectId: string, name: string, withKey = true, expiresInSeconds?: number): { account: StoredServiceAccount; key: StoredProjectKey | null } {
    const created = nowSeconds();
    const account = this.serviceAccounts(projectId).add({
      id: `${SERVICE_ACCOUNT_PREFIX}${randomAlphanumeric(24)}`, name, role: withKey ? 'member' : 'none', created_at: created,
    });
    const key = withKey
      ? this.keys(projectId).add({
        id: `${KEY_PREFIX}${randomAlphanumeric(16)}`, name: SERVICE_ACCOUNT_KEY_NAME, value: `${OPENAI.keyPrefixes.serviceAccount}${randomAlphanumeric(48)}`, created_at: created,
        last_used_at: null, expires_at: expiresInSeconds === undefined ? null : created + expiresInSeconds, owner_project_access: 'active', owner: { type: 'service_account', account },
      })
      : null;
    return { account, key };
  }

  /** Ages a key: its creation time, its last use (null: never used), its expiry (null: never). */
  setKeyTimes(projectId: string, keyId: string, times: KeyTimes): StoredProjectKey {
    const key = this.keys(projectId).get(keyId);
    if (!key) throw new Error(`project ${projectId} has no key ${keyId}`);
    if (times.created !== undefined) key.created_at = unixSeconds(times.created);
    if (times.lastUsed !== undefined) key.last_used_at = unixSecondsOrNull(times.lastUsed);
    if (times.expires !== undefined) key.expires_at = unixSecondsOrNull(times.expires);
    return key;
  }

  /** The key with this secret, in any project (expired or not). */
  keyByValue(value: string): { project: StoredProject; key: StoredProjectKey } | undefined {
    for (const [projectId, data] of this.data) {
      const key = data.keys.find((candidate) => candidate.value === value);
      if (key) return { project: this.project(projectId), key };
    }
    return undefined;
  }

  /** Deletes the account, and its keys when the cascade setting is on. */
  deleteServiceAccount(projectId: string, id: string): StoredServiceAccount | undefined {
    const account = this.serviceAccounts(projectId).delete(id);
    if (account && this.settings.serviceAccountDeleteCascades) {
      for (const key of this.keys(projectId).all()) {
        if (key.owner.type === 'service_account' && key.owner.account.id === id) this.keys(projectId).delete(key.id);
      }
    }
    return account;
  }

  /** Where a key lives, across projects. */
  findKey(keyId: string): { projectId: string; key: StoredProjectKey } | undefined {
    for (const [projectId, data] of this.data) {
      const key = data.keys.get(keyId);
      if (key) return { projectId, key };
    }
    return undefined;
  }

  presentProject(project: StoredProject): Record<string, unknown> {
    return {
      object: 'organization.project', id: project.id, name: project.name, created_at: project.created_at,
      archived_at: project.archived_at, status: project.archived_at === null ? 'active' : 'archived',
    };
  }

  presentServiceAccount(account: StoredServiceAccount): Record<string, unknown> {
    return { object: 'organization.project.service_account', id: account.id, name: account.name, role: account.role, created_at: account.created_at };
  }

  /** The key as lists and gets show it: never its value. */
  presentKey(key: StoredProjectKey): Record<string, unknown> {
    const { owner } = key;
    return {
      object: 'organization.project.api_key', id: key.id, name: key.name, redacted_value: redactOpenAiKey(key.value),
      created_at: key.created_at, last_used_at: key.last_used_at,
      ...(this.settings.serviceAccountKeyExpiry ? { expires_at: key.expires_at } : {}),
      ...(this.settings.ownerProjectAccessField ? { owner_project_access: key.owner_project_access } : {}),
      owner: owner.type === 'user'
        ? { type: 'user', user: { ...owner.user } }
        : { type: 'service_account', service_account: { id: owner.account.id, name: owner.account.name, created_at: owner.account.created_at, role: owner.account.role } },
    };
  }

  /** The API routes, each run against the projects of the caller's organization. */
  static routes(base: string): ScopedRoute<OpenAiProjectsEmulator>[] {
    const projects = `${base}/organization/projects`;
    const project = `${projects}/:project_id`;
    type InProject = (self: OpenAiProjectsEmulator, request: EmulatorRequest, project: StoredProject) => EmulatorResponse;
    const inProject = (handler: InProject) => (request: EmulatorRequest, self: OpenAiProjectsEmulator) => {
      const found = self.projects.get(request.params.project_id);
      return found ? handler(self, request, found) : openAiError(404, `No project found with id '${request.params.project_id}'.`, 'invalid_request_error', 'not_found');
    };
    return [
      { method: 'GET', pattern: projects, handler: (request, self) => self.listProjects(request) },
      { method: 'POST', pattern: projects, handler: (request, self) => self.createProjectRoute(request) },
      { method: 'GET', pattern: project, handler: inProject((self, _request, found) => json(200, self.presentProject(found))) },
      { method: 'POST', pattern: `${project}/archive`, handler: inProject((self, _request, found) => json(200, self.presentProject(self.archiveProject(found.id)))) },
      { method: 'GET', pattern: `${project}/api_keys`, handler: inProject((self, request, found) => self.listKeys(request, found)) },
      { method: 'GET', pattern: `${project}/api_keys/:key_id`, handler: inProject((self, request, found) => self.getKey(found, request.params.key_id)) },
      { method: 'DELETE', pattern: `${project}/api_keys/:key_id`, handler: inProject((self, request, found) => self.deleteKey(found, request.params.key_id)) },
      { method: 'GET', pattern: `${project}/service_accounts`, handler: inProject((self, request, found) => self.listServiceAccounts(request, found)) },
      { method: 'POST', pattern: `${project}/service_accounts`, handler: inProject((self, request, found) => self.createServiceAccountRoute(request, found)) },
      { method: 'GET', pattern: `${project}/service_accounts/:id`, handler: inProject((self, request, found) => self.getServiceAccount(found, request.params.id)) },
      { method: 'POST', pattern: `${project}/service_accounts/:id`, handler: inProject((self, request, found) => self.updateServiceAccount(request, found, request.params.id)) },
      { method: 'DELETE', pattern: `${project}/service_accounts/:id`, handler: inProject((self, request, found) => self.deleteServiceAccountRoute(found, request.params.id)) },
    ];
  }

  private project(projectId: string): StoredProject {
    const project = this.projects.get(projectId);
    if (!project) throw new Error(`the emulator has no project ${projectId}`);
    return project;
  }

  private dataOf(projectId: string): ProjectData {
    const data = this.data.get(projectId);
    if (!data) throw new Error(`the emulator has no project ${projectId}`);
    return data;
  }

  private listProjects(request: EmulatorRequest): EmulatorResponse {
    const limit = parseLimit(request.query.get('limit'));
    if (limit === undefined) return invalidLimit();
    const includeArchived = request.query.get('include_archived') === 'true';
    const page = this.projects.page({
      after: request.query.get('after') ?? undefined, limit, order: 'asc', filter: (found) => includeArchived || found.archived_at === null,
    });
    return cursorListResponse(page, (found) => this.presentProject(found));
  }

  private createProjectRoute(request: EmulatorRequest): EmulatorResponse {
    const parsed = jsonBody<{ name?: unknown }>(request);
    if ('error' in parsed) return parsed.error;
    if (typeof parsed.body.name !== 'string' || parsed.body.name === '') return missingName();
    return json(200, this.presentProject(this.createProject(parsed.body.name)));
  }

  private listKeys(request: EmulatorRequest, project: StoredProject): EmulatorResponse {
    const limit = parseLimit(request.query.get('limit'));
    if (limit === undefined) return invalidLimit();
    const asked = request.query.get('owner_project_access');
    const mode = this.settings.ownerProjectAccessParameter;
    if (asked !== null && mode === 'rejected') {
      return openAiError(400, 'Unrecognized request argument supplied: owner_project_access', 'invalid_request_error', null, 'owner_project_access');
    }
    // Without the parameter OpenAI applies membership-based visibility: here, keys whose owner lost access are hidden.
    const access = asked === null || mode === 'ignored' ? 'active' : asked;
    if (!['active', 'inactive', 'any'].includes(access)) {
      return openAiError(400, "Invalid 'owner_project_access': expected 'active', 'inactive' or 'any'.", 'invalid_request_error', 'invalid_value', 'owner_project_access');
    }
    const page = this.keys(project.id).page({
      after: request.query.get('after') ?? undefined, limit, order: this.settings.keyListOrder,
      filter: (key) => access === 'any' || key.owner_project_access === access,
    });
    return cursorListResponse(page, (key) => this.presentKey(key));
  }

  private getKey(project: StoredProject, id: string): EmulatorResponse {
    const key = this.keys(project.id).get(id);
    return key ? json(200, this.presentKey(key)) : keyNotFound(id);
  }

  private deleteKey(project: StoredProject, id: string): EmulatorResponse {
    const key = this.keys(project.id).get(id);
    if (!key) return keyNotFound(id);
    if (key.owner.type === 'service_account' && this.serviceAccounts(project.id).get(key.owner.account.id)) {
      return openAiError(400, 'API keys owned by service accounts cannot be deleted directly. Delete the service account instead.', 'invalid_request_error');
    }
    this.keys(project.id).delete(id);
    return json(200, { object: 'organization.project.api_key.deleted', id, deleted: true });
  }

  private listServiceAccounts(request: EmulatorRequest, project: StoredProject): EmulatorResponse {
    if (project.archived_at !== null) return archived(project);
    const limit = parseLimit(request.query.get('limit'));
    if (limit === undefined) return invalidLimit();
    const page = this.serviceAccounts(project.id).page({ after: request.query.get('after') ?? undefined, limit, order: 'asc' });
    return cursorListResponse(page, (account) => this.presentServiceAccount(account));
  }

  private createServiceAccountRoute(request: EmulatorRequest, project: StoredProject): EmulatorResponse {
    if (project.archived_at !== null) return archived(project);
    const parsed = jsonBody<{ name?: unknown; create_service_account_only?: unknown; expires_in_seconds?: unknown }>(request);
    if ('error' in parsed) return parsed.error;
    const { name, create_service_account_only: accountOnly, expires_in_seconds: expires } = parsed.body;
    if (typeof name !== 'string' || name === '') return missingName();
    if (accountOnly !== undefined && accountOnly !== null && typeof accountOnly !== 'boolean') {
      return openAiError(400, "Invalid 'create_service_account_only': expected a boolean.", 'invalid_request_error', 'invalid_type', 'create_service_account_only');
    }
    const expiry = this.serviceAccountExpiry(expires);
    if ('error' in expiry) return expiry.error;
    const { account, key } = this.createServiceAccount(project.id, name, accountOnly !== true, expiry.seconds);
    return json(200, {
      ...this.presentServiceAccount(account),
      api_key: key && {
        object: 'organization.project.service_account.api_key', value: key.value, name: key.name, created_at: key.created_at, id: key.id,
        ...(this.settings.serviceAccountKeyExpiry ? { expires_at: key.expires_at } : {}),
      },
    });
  }

  /** `expires_in_seconds` of a service-account create: refused as unknown unless the 2026 switch is on, then 1..31536000 or null. */
  private serviceAccountExpiry(value: unknown): { seconds?: number } | { error: EmulatorResponse } {
    if (value === undefined) return {};
    if (!this.settings.serviceAccountKeyExpiry) {
      return { error: openAiError(400, 'Unrecognized request argument supplied: expires_in_seconds', 'invalid_request_error', null, 'expires_in_seconds') };
    }
    if (value === null) return {};
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_EXPIRY) {
      return { error: openAiError(400, `Invalid 'expires_in_seconds': must be an integer between 1 and ${MAX_EXPIRY}.`, 'invalid_request_error', 'invalid_value', 'expires_in_seconds') };
    }
    return { seconds: value as number };
  }

  private getServiceAccount(project: StoredProject, id: string): EmulatorResponse {
    const account = this.serviceAccounts(project.id).get(id);
    return account ? json(200, this.presentServiceAccount(account)) : accountNotFound(id);
  }

  private updateServiceAccount(request: EmulatorRequest, project: StoredProject, id: string): EmulatorResponse {
    const account = this.serviceAccounts(project.id).get(id);
    if (!account) return accountNotFound(id);
    const parsed = jsonBody<{ name?: unknown; role?: unknown }>(request);
    if ('error' in parsed) return parsed.error;
    const { name, role } = parsed.body;
    if (name !== undefined && (typeof name !== 'string' || name === '')) {
      return openAiError(400, "Invalid 'name': expected a non-empty string.", 'invalid_request_error', 'invalid_value', 'name');
    }
    if (role !== undefined && !ROLES_SETTABLE.includes(role as string)) {
      return openAiError(400, "Invalid 'role': expected 'member' or 'owner'.", 'invalid_request_error', 'invalid_value', 'role');
    }
    if (typeof name === 'string') account.name = name;
    if (typeof role === 'string') account.role = role as StoredServiceAccount['role'];
    return json(200, this.presentServiceAccount(account));
  }

  private deleteServiceAccountRoute(project: StoredProject, id: string): EmulatorResponse {
    if (!this.deleteServiceAccount(project.id, id)) return accountNotFound(id);
    return json(200, { object: 'organization.project.service_account.deleted', id, deleted: true });
  }
}

const missingName = (): EmulatorResponse =>
  openAiError(400, "Missing required parameter: 'name'.", 'invalid_request_error', 'missing_required_parameter', 'name');
const keyNotFound = (id: string): EmulatorResponse =>
  openAiError(404, `No API key found with id '${id}'.`, 'invalid_request_error', 'not_found');
const accountNotFound = (id: string): EmulatorResponse =>
  openAiError(404, `No service account found with id '${id}'.`, 'invalid_request_error', 'not_found');
const archived = (project: StoredProject): EmulatorResponse =>
  openAiError(400, `Project ${project.id} is archived.`, 'invalid_request_error');
