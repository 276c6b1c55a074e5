import { json, type EmulatorRequest, type EmulatorResponse, type Handler, type Route } from '../http';
import { CursorStore } from '../cursor-store';
import { nowSeconds, randomAlphanumeric } from '../ids';
import type { EmulatedVendor } from '../vendor';
import { randomUUID } from 'node:crypto';
import { OpenAiProjectsEmulator, type OpenAiProjectsOptions, type OpenAiProjectsSettings } from './openai-projects';
import { OpenAiRateLimiter, type OpenAiRateLimitSettings } from './openai-rate-limit';
import { cursorListResponse, invalidLimit, jsonBody, openAiError, parseLimit, pick, redactOpenAiKey } from './openai-wire';

export { cursorListResponse, openAiError, parseLimit, redactOpenAiKey } from './openai-wire';

/**
 * OpenAI's organization admin API, as the seeds document it:
 * - Bearer auth with an admin key; 401 in OpenAI's error shape otherwise;
 * - cursor pagination (limit 1..100, default 20; after; order asc|desc;
 *   first_id, last_id, has_more);
 * - `value` only in the create answer, `redacted_value` everywhere;
 * - delete answers {id, object, deleted}.
 * Projects, project keys and service accounts live in ./openai-projects;
 * every route goes through the same admin-key auth and rate limiter.
 */
export interface StoredAdminKey {
  id: string;
  name: string | null;
  value: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

const ADMIN_KEY_MAX_EXPIRY_SECONDS = 31_536_000;
const OWNER = {
  type: 'user', object: 'organization.user', id: 'user_emulator0owner', name: 'Emulator Owner', created_at: 1_700_000_000, role: 'owner',
};

export interface OpenAiEmulatorOptions {
  /** The admin key the emulator accepts; generated when omitted. */
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

export class OpenAiEmulator {
  static readonly prefix = '/openai/v1';
  readonly adminKeys = new CursorStore<StoredAdminKey>();
  readonly bootstrapAdminKey: string;
  readonly projects: OpenAiProjectsEmulator;
  readonly rateLimiter: OpenAiRateLimiter;

  constructor(options: OpenAiEmulatorOptions = {}) {
    this.projects = new OpenAiProjectsEmulator(options.projects);
    this.rateLimiter = new OpenAiRateLimiter(options.rateLimit);
    this.bootstrapAdminKey = options.bootstrapAdminKey ?? `sk-admin-${randomAlphanumeric(48)}`;
    // The key the pipeline authenticates with is itself an admin key of the organization, and is listed.
    this.adminKeys.add({
      id: `key_${randomAlphanumeric(16)}`, name: 'emulator bootstrap admin key', value: this.bootstrapAdminKey,
      created_at: nowSeconds(), expires_at: null, last_used_at: null,
    });
  }

  asVendor(): EmulatedVendor {
    return {
      name: 'openai',
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
    const routes: Route[] = [
      { method: 'GET', pattern: `${base}/organization/admin_api_keys`, handler: (request) => this.listAdminKeys(request) },
      { method: 'POST', pattern: `${base}/organization/admin_api_keys`, handler: (request) => this.createAdminKey(request) },
      { method: 'GET', pattern: `${base}/organization/admin_api_keys/:id`, handler: (request) => this.getAdminKey(request.params.id) },
      { method: 'DELETE', pattern: `${base}/organization/admin_api_keys/:id`, handler: (request) => this.deleteAdminKey(request.params.id) },
      ...this.projects.routes(base),
    ];
    return routes.map((route) => ({ ...route, handler: this.guarded(route.handler) }));
  }

  /** Changes the rate limit and the uncertain project behaviour at run time. */
  configure(changes: { rateLimit?: Partial<OpenAiRateLimitSettings>; projects?: Partial<OpenAiProjectsSettings> }): OpenAiEmulatorSettings {
    if (changes.rateLimit) this.rateLimiter.configure(changes.rateLimit);
    if (changes.projects) this.projects.configure(changes.projects);
    return this.settings();
  }

  settings(): OpenAiEmulatorSettings {
    return { rateLimit: { ...this.rateLimiter.settings }, projects: { ...this.projects.settings } };
  }

  /** Admin-key auth first (a 401 costs no token), then the caller's rate limit. */
  private guarded(handler: Handler): Handler {
    return (request) => {
      const caller = this.authenticate(request);
      if ('denied' in caller) return caller.denied;
      return this.rateLimiter.admit(caller.key.id, () => handler(request));
    };
  }

  /** Out-of-band changes, as if someone used the dashboard. */
  controlRoutes(): Route[] {
    const base = '/_emulator/openai/admin_api_keys';
    return [
      { method: 'GET', pattern: '/_emulator/openai/options', handler: () => json(200, this.settings()) },
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

  addAdminKey(name: string | null, expiresInSeconds?: number): StoredAdminKey {
    const created = nowSeconds();
    return this.adminKeys.add({
      id: `key_${randomAlphanumeric(16)}`, name, value: `sk-admin-${randomAlphanumeric(48)}`, created_at: created,
      expires_at: expiresInSeconds === undefined ? null : created + expiresInSeconds, last_used_at: null,
    });
  }

  /** The key as the API shows it anywhere but the create answer: never its value. */
  present(key: StoredAdminKey): Record<string, unknown> {
    return {
      object: 'organization.admin_api_key', id: key.id, name: key.name, redacted_value: redactOpenAiKey(key.value),
      created_at: key.created_at, expires_at: key.expires_at, last_used_at: key.last_used_at, owner: OWNER,
    };
  }

  private authenticate(request: EmulatorRequest): { key: StoredAdminKey } | { denied: EmulatorResponse } {
    const header = request.headers.authorization;
    if (!header) {
      return { denied: openAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).") };
    }
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const key = this.adminKeys.all().find((candidate) => candidate.value === token);
    const expired = key?.expires_at != null && key.expires_at <= nowSeconds();
    if (!key || expired) {
      const masked = token.length > 11 ? `${token.slice(0, 8)}${'*'.repeat(8)}${token.slice(-3)}` : '***';
      return { denied: openAiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key') };
    }
    key.last_used_at = nowSeconds();
    return { key };
  }

  private listAdminKeys(request: EmulatorRequest): EmulatorResponse {
    const limit = parseLimit(request.query.get('limit'));
    if (limit === undefined) return invalidLimit();
    const order = request.query.get('order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') return openAiError(400, "Invalid order: expected 'asc' or 'desc'.", 'invalid_request_error', 'invalid_value', 'order');
    return cursorListResponse(this.adminKeys.page({ after: request.query.get('after') ?? undefined, limit, order }), (key) => this.present(key));
  }

  private createAdminKey(request: EmulatorRequest): EmulatorResponse {
    const parsed = jsonBody<{ name?: unknown; expires_in_seconds?: unknown }>(request);
    if ('error' in parsed) return parsed.error;
    const { body } = parsed;
    if (typeof body.name !== 'string' || body.name === '') {
      return openAiError(400, "Missing required parameter: 'name'.", 'invalid_request_error', 'missing_required_parameter', 'name');
    }
    const expires = body.expires_in_seconds;
    if (expires !== undefined && expires !== null &&
        (!Number.isInteger(expires) || (expires as number) < 1 || (expires as number) > ADMIN_KEY_MAX_EXPIRY_SECONDS)) {
      return openAiError(400, `Invalid 'expires_in_seconds': must be an integer between 1 and ${ADMIN_KEY_MAX_EXPIRY_SECONDS}.`, 'invalid_request_error', 'invalid_value', 'expires_in_seconds');
    }
    const key = this.addAdminKey(body.name, (expires as number | null | undefined) ?? undefined);
    return json(200, { ...this.present(key), value: key.value });
  }

  private getAdminKey(id: string): EmulatorResponse {
    const key = this.adminKeys.get(id);
    return key ? json(200, this.present(key)) : openAiError(404, `No admin API key found with id '${id}'.`, 'invalid_request_error', 'not_found');
  }

  private deleteAdminKey(id: string): EmulatorResponse {
    if (!this.adminKeys.delete(id)) return openAiError(404, `No admin API key found with id '${id}'.`, 'invalid_request_error', 'not_found');
    return json(200, { id, object: 'organization.admin_api_key.deleted', deleted: true });
  }
}
