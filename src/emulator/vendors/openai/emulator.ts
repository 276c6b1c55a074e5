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
 * route goes through the same admin-key auth and rate limiter.
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
      controlRoutes: () => this.controlRoutes(),
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
    return routes.map((route) => ({ method: route.method, pattern: route.pattern, handler: this.guarded(route.handler) }));
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

  /** Out-of-band changes, as if someone used the dashboard (admin keys and projects of the default organization). */
  controlRoutes(): Route[] {
    const base = '/_emulator/openai/admin_api_keys';
    return [
      { method: 'GET', pattern: '/_emulator/openai/options', handler: () => json(200, this.settings()) },
      { method: 'GET', pattern: '/_emulator/openai/organizations', handler: () => json(200, [...this.organizations.values()].map((found) => found.describe())) },
      {
        method: 'POST', pattern: '/_emulator/openai/organizations',
        handler: (request) => {
          const { name, adminKey } = (request.json ?? {}) as { name?: unknown; adminKey?: unknown };
          if (adminKey !== undefined && (typeof adminKey !== 'string' || !adminKey.startsWith(OPENAI.keyPrefixes.admin) || this.organizationOf(adminKey))) {
            return json(400, { error: `adminKey must be an unused admin key starting with ${OPENAI.keyPrefixes.admin}` });
          }
          return json(201, this.addOrganization({ name: typeof name === 'string' ? name : undefined, adminKey }).describe());
        },
      },
      { method: 'PATCH', pattern: '/_emulator/openai/options', handler: (request) => json(200, this.configure((request.json ?? {}) as Parameters<OpenAiEmulator['configure']>[0])) },
      ...this.projects.controlRoutes('/_emulator/openai'),
      { method: 'GET', pattern: base, handler: () => json(200, this.adminKeys.all().map((key) => this.present(key))) },
      {
        method: 'POST', pattern: base,
        handler: (request) => json(200, this.present(this.addAdminKey(String((request.json as { name?: string })?.name ?? 'out-of-band key')))),
      },
      {
        method: 'PATCH', pattern: `${base}/:id`,
        handler: (request) => {
          const key = this.adminKeys.get(request.params.id);
          if (!key) return json(404, { error: 'no such key' });
          Object.assign(key, pick(request.json, ['name', 'expires_at', 'last_used_at']));
          return json(200, this.present(key));
        },
      },
      {
        method: 'DELETE', pattern: `${base}/:id`,
        handler: (request) => (this.adminKeys.delete(request.params.id) ? json(200, { deleted: true }) : json(404, { error: 'no such key' })),
      },
    ];
  }

  private authenticate(request: EmulatorRequest): { key: StoredAdminKey; organization: EmulatedOpenAiOrganization } | { denied: EmulatorResponse } {
    const header = request.headers.authorization;
    if (!header) {
      return { denied: openAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).") };
    }
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const organization = token === '' ? undefined : this.organizationOf(token);
    const key = organization?.adminKeyByValue(token);
    const expired = key?.expires_at != null && key.expires_at <= nowSeconds();
    if (!organization || !key || expired) {
      const masked = token.length > 11 ? `${token.slice(0, 8)}${'*'.repeat(8)}${token.slice(-3)}` : '***';
      return { denied: openAiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key') };
    }
    key.last_used_at = nowSeconds();
    return { key, organization };
  }
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
