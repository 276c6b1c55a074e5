import { randomUUID } from 'node:crypto';
import { OPENAI } from '../../../core/facts/openai';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../../http';
import { nowSeconds } from '../../ids';
import type { EmulatedVendor } from '../../vendor';
import { EmulatedOpenAiOrganization, type NewEmulatedOpenAiOrganization, type StoredAdminKey } from './organization';
import { DEFAULT_PROJECTS_SETTINGS, OpenAiProjectsEmulator, type OpenAiProjectsOptions, type OpenAiProjectsSettings } from './projects';
import { OpenAiRateLimiter, type OpenAiRateLimitSettings } from './rate-limit';
import { cursorListResponse, invalidLimit, jsonBody, openAiError, parseLimit, pick, type ScopedRoute } from './wire';

export { cursorListResponse, openAiError, parseLimit, redactOpenAiKey } from './wire';
export type { StoredAdminKey } from './organization';

/**
 * OpenAI's organization admin API, as the seeds document them:
 * - Bearer auth with an admin key; 401 in OpenAI's error shape otherwise;
 * - cursor pagination (limit 1..100, default 20; after; order asc|desc;
 *   first_id, last_id, has_more);
 * - `value` only in the create answer, `redacted_value` everywhere;
 * - delete answers {id, object, deleted}.
 * Projects, project keys and service accounts live in ./projects; every
 * route goes through the same admin-key auth and rate limiter. Project and
 * service-account keys authenticate on `GET /models`, a model endpoint of
 * OpenAI's shape that needs no admin key; every request a key authenticates
 * sets its `last_used_at`, and expired keys are refused.
 *
 * Many organizations: the admin key a request carries names its
 * organization (./organization), and the request sees only that
 * organization's keys and projects. `addOrganization()` (or POST
 * /_emulator/openai/organizations) makes one and returns its admin key;
 * the default organization is the one `adminKeys`, `projects` and the
 * description line speak of.
 */
export interface OpenAiEmulatorOptions {
  /** The default organization's admin key; generated when omitted. */
  bootstrapAdminKey?: string;
  /** Token bucket per admin key (off by default) and x-ratelimit-* headers (on by default). */
  rateLimit?: Partial<OpenAiRateLimitSettings>;
  /** The default project's id and the switches for uncertain project behaviour. */
  projects?: OpenAiProjectsOptions;
}

/** What GET/PATCH /_emulator/openai/options read and change. */
export interface OpenAiEmulatorSettings {
  rateLimit: OpenAiRateLimitSettings;
  projects: OpenAiProjectsSettings;
}

type AdminKeyHandler = ScopedRoute<EmulatedOpenAiOrganization>['handler'];

export class OpenAiEmulator {
  static readonly prefix = '/openai/v1';
  /** Every organization by id, the default one first. */
  readonly organizations = new Map<string, EmulatedOpenAiOrganization>();
  readonly defaultOrganization: EmulatedOpenAiOrganization;
  /** The default organization's admin keys, projects and admin key. */
  readonly adminKeys: EmulatedOpenAiOrganization['adminKeys'];
  readonly projects: OpenAiProjectsEmulator;
  readonly bootstrapAdminKey: string;
  readonly rateLimiter: OpenAiRateLimiter;
  /** Shared by every organization's projects. */
  private readonly projectSettings: OpenAiProjectsSettings;

  constructor(options: OpenAiEmulatorOptions = {}) {
    const { defaultProjectId, ...projectSettings } = options.projects ?? {};
    this.projectSettings = { ...DEFAULT_PROJECTS_SETTINGS, ...pick(projectSettings, Object.keys(DEFAULT_PROJECTS_SETTINGS)) };
    this.rateLimiter = new OpenAiRateLimiter(options.rateLimit);
    this.defaultOrganization = this.addOrganization({ name: 'Emulated organization', adminKey: options.bootstrapAdminKey, defaultProjectId });
    ({ adminKeys: this.adminKeys, projects: this.projects, bootstrapAdminKey: this.bootstrapAdminKey } = this.defaultOrganization);
  }

  /** A new organization, reached with its own admin key (`bootstrapAdminKey` of the answer). */
  addOrganization(options: NewEmulatedOpenAiOrganization = {}): EmulatedOpenAiOrganization {
    if (options.id !== undefined && this.organizations.has(options.id)) throw new Error(`organization ${options.id} already exists`);
    if (options.adminKey !== undefined && this.organizationOf(options.adminKey)) throw new Error('that admin key already belongs to an organization');
    const organization = new EmulatedOpenAiOrganization(options, this.projectSettings);
    this.organizations.set(organization.id, organization);
    return organization;
  }

  /** The organization an admin key belongs to (expired or not). */
  organizationOf(adminKey: string): EmulatedOpenAiOrganization | undefined {
    for (const organization of this.organizations.values()) if (organization.adminKeyByValue(adminKey)) return organization;
    return undefined;
  }

  asVendor(): EmulatedVendor {
    return {
      name: OPENAI.vendor,
      prefix: OpenAiEmulator.prefix,
      routes: () => this.routes(),
      notFound: (request) => openAiError(404, `Invalid URL (${request.method} ${request.path.slice('/openai'.length)})`),
      decorate: (response) => {
        response.headers = { 'x-request-id': `req_${randomUUID().replace(/-/g, '')}`, ...response.headers };
      },
      credentials: () => ({ adminKey: this.bootstrapAdminKey, projectId: this.projects.defaultProjectId }),
    };
  }

  routes(): Route[] {
    const base = OpenAiEmulator.prefix;
    const keys = `${base}/organization/admin_api_keys`;
    const routes: ScopedRoute<EmulatedOpenAiOrganization>[] = [
      { method: 'GET', pattern: keys, handler: (request, organization) => listAdminKeys(request, organization) },
      { method: 'POST', pattern: keys, handler: (request, organization) => createAdminKey(request, organization) },
      { method: 'GET', pattern: `${keys}/:id`, handler: (request, organization) => getAdminKey(organization, request.params.id) },
      { method: 'DELETE', pattern: `${keys}/:id`, handler: (request, organization) => deleteAdminKey(organization, request.params.id) },
      ...OpenAiProjectsEmulator.routes(base).map((route) => ({ ...route, handler: (request: EmulatorRequest, organization: EmulatedOpenAiOrganization) => route.handler(request, organization.projects) })),
    ];
    return [
      ...routes.map((route) => ({ method: route.method, pattern: route.pattern, handler: this.guarded(route.handler) })),
      { method: 'GET', pattern: `${base}/models`, handler: (request) => this.listModels(request) },
    ];
  }

  /** Changes the rate limit and the uncertain project behaviour (of every organization) at run time. */
  configure(changes: { rateLimit?: Partial<OpenAiRateLimitSettings>; projects?: Partial<OpenAiProjectsSettings> }): OpenAiEmulatorSettings {
    if (changes.rateLimit) this.rateLimiter.configure(changes.rateLimit);
    if (changes.projects) Object.assign(this.projectSettings, pick(changes.projects, Object.keys(DEFAULT_PROJECTS_SETTINGS)));
    return this.settings();
  }

  settings(): OpenAiEmulatorSettings {
    return { rateLimit: { ...this.rateLimiter.settings }, projects: { ...this.projectSettings } };
  }

  addAdminKey(name: string | null, expiresInSeconds?: number): StoredAdminKey {
    return this.defaultOrganization.addAdminKey(name, expiresInSeconds);
  }

  present(key: StoredAdminKey): Record<string, unknown> {
    return this.defaultOrganization.present(key);
  }

  /** Admin-key auth first (a 401 costs no token), then the caller's rate limit. */
  private guarded(handler: AdminKeyHandler): Route['handler'] {
    return (request) => {
      const caller = this.authenticate(request);
      if ('denied' in caller) return caller.denied;
      return this.rateLimiter.admit(caller.key.id, () => handler(request, caller.organization));
    };
  }

  /** A model endpoint: what project and service-account keys are for. Records the key's use. */
  private listModels(request: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> {
    const token = bearerToken(request);
    if (token === undefined) return missingKey();
    if (this.organizationOf(token)) {
      // [U] OpenAI documents admin keys for the administration endpoints only.
      return openAiError(401, 'Admin API keys cannot be used for this endpoint; use a project API key.', 'invalid_request_error', 'invalid_api_key');
    }
    const found = this.projectKeyByValue(token);
    const now = nowSeconds();
    // [U] A key of an archived project, or whose owner lost access to it, is refused like an unknown one.
    if (!found || (found.key.expires_at !== null && found.key.expires_at <= now) || found.project.archived_at !== null || found.key.owner_project_access !== 'active') {
      return incorrectKey(token);
    }
    found.key.last_used_at = now;
    return this.rateLimiter.admit(found.key.id, () => json(200, { object: 'list', data: MODELS }));
  }

  /** A project or service-account key, in any organization. */
  private projectKeyByValue(value: string): ReturnType<OpenAiProjectsEmulator['keyByValue']> {
    for (const organization of this.organizations.values()) {
      const found = organization.projects.keyByValue(value);
      if (found) return found;
    }
    return undefined;
  }

  private authenticate(request: EmulatorRequest): { key: StoredAdminKey; organization: EmulatedOpenAiOrganization } | { denied: EmulatorResponse } {
    const token = bearerToken(request);
    if (token === undefined) return { denied: missingKey() };
    const organization = token === '' ? undefined : this.organizationOf(token);
    const key = organization?.adminKeyByValue(token);
    const expired = key?.expires_at != null && key.expires_at <= nowSeconds();
    if (!organization || !key || expired) return { denied: incorrectKey(token) };
    key.last_used_at = nowSeconds();
    return { key, organization };
  }
}

/** What the model list shows: one model is enough to prove the key works. */
const MODELS = [{ id: 'gpt-4o-mini', object: 'model', created: 1_721_172_741, owned_by: 'system' }];

/** The Bearer token; undefined when there is no Authorization header. */
function bearerToken(request: EmulatorRequest): string | undefined {
  const header = request.headers.authorization;
  return header ? /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '' : undefined;
}

const missingKey = (): EmulatorResponse =>
  openAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");

function incorrectKey(token: string): EmulatorResponse {
  const masked = token.length > 11 ? `${token.slice(0, 8)}${'*'.repeat(8)}${token.slice(-3)}` : '***';
  return openAiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
}

function listAdminKeys(request: EmulatorRequest, organization: EmulatedOpenAiOrganization): EmulatorResponse {
  const limit = parseLimit(request.query.get('limit'));
  if (limit === undefined) return invalidLimit();
  const order = request.query.get('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') return openAiError(400, "Invalid order: expected 'asc' or 'desc'.", 'invalid_request_error', 'invalid_value', 'order');
  return cursorListResponse(organization.adminKeys.page({ after: request.query.get('after') ?? undefined, limit, order }), (key) => organization.present(key));
}

const MAX_EXPIRY = OPENAI.limits.adminKeyMaxExpirySeconds;

function createAdminKey(request: EmulatorRequest, organization: EmulatedOpenAiOrganization): EmulatorResponse {
  const parsed = jsonBody<{ name?: unknown; expires_in_seconds?: unknown }>(request);
  if ('error' in parsed) return parsed.error;
  const { body } = parsed;
  if (typeof body.name !== 'string' || body.name === '') {
    return openAiError(400, "Missing required parameter: 'name'.", 'invalid_request_error', 'missing_required_parameter', 'name');
  }
  const expires = body.expires_in_seconds;
  if (expires !== undefined && expires !== null && (!Number.isInteger(expires) || (expires as number) < 1 || (expires as number) > MAX_EXPIRY)) {
    return openAiError(400, `Invalid 'expires_in_seconds': must be an integer between 1 and ${MAX_EXPIRY}.`, 'invalid_request_error', 'invalid_value', 'expires_in_seconds');
  }
  const key = organization.addAdminKey(body.name, (expires as number | null | undefined) ?? undefined);
  return json(200, { ...organization.present(key), value: key.value });
}

function getAdminKey(organization: EmulatedOpenAiOrganization, id: string): EmulatorResponse {
  const key = organization.adminKeys.get(id);
  return key ? json(200, organization.present(key)) : openAiError(404, `No admin API key found with id '${id}'.`, 'invalid_request_error', 'not_found');
}

function deleteAdminKey(organization: EmulatedOpenAiOrganization, id: string): EmulatorResponse {
  if (!organization.adminKeys.delete(id)) return openAiError(404, `No admin API key found with id '${id}'.`, 'invalid_request_error', 'not_found');
  return json(200, { id, object: 'organization.admin_api_key.deleted', deleted: true });
}
