import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../http';
import { CursorStore } from '../cursor-store';
import { nowSeconds, randomAlphanumeric } from '../ids';
import type { EmulatedVendor } from '../vendor';
import { randomUUID } from 'node:crypto';

/**
 * OpenAI's organization admin API, as the seeds document it:
 * - Bearer auth with an admin key; 401 in OpenAI's error shape otherwise;
 * - cursor pagination (limit 1..100, default 20; after; order asc|desc;
 *   first_id, last_id, has_more);
 * - `value` only in the create answer, `redacted_value` everywhere;
 * - delete answers {id, object, deleted}.
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

type ErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'server_error';

export const openAiError = (
  status: number, message: string, type: ErrorType = 'invalid_request_error', code: string | null = null, param: string | null = null,
): EmulatorResponse => json(status, { error: { message, type, param, code } });

/** "sk-admin...xyz": the first 8 characters, three dots, the last 3. */
export const redactOpenAiKey = (value: string): string => `${value.slice(0, 8)}...${value.slice(-3)}`;

export interface OpenAiEmulatorOptions {
  /** The admin key the emulator accepts; generated when omitted. */
  bootstrapAdminKey?: string;
}

export class OpenAiEmulator {
  static readonly prefix = '/openai/v1';
  readonly adminKeys = new CursorStore<StoredAdminKey>();
  readonly bootstrapAdminKey: string;

  constructor(options: OpenAiEmulatorOptions = {}) {
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
      credentials: () => ({ adminKey: this.bootstrapAdminKey }),
    };
  }

  routes(): Route[] {
    const base = OpenAiEmulator.prefix;
    const guarded = (handler: (request: EmulatorRequest) => EmulatorResponse) => (request: EmulatorRequest) =>
      this.authenticate(request) ?? handler(request);
    return [
      { method: 'GET', pattern: `${base}/organization/admin_api_keys`, handler: guarded((request) => this.listAdminKeys(request)) },
      { method: 'POST', pattern: `${base}/organization/admin_api_keys`, handler: guarded((request) => this.createAdminKey(request)) },
      { method: 'GET', pattern: `${base}/organization/admin_api_keys/:id`, handler: guarded((request) => this.getAdminKey(request.params.id)) },
      { method: 'DELETE', pattern: `${base}/organization/admin_api_keys/:id`, handler: guarded((request) => this.deleteAdminKey(request.params.id)) },
    ];
  }

  /** Out-of-band changes, as if someone used the dashboard. */
  controlRoutes(): Route[] {
    const base = '/_emulator/openai/admin_api_keys';
    return [
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

  private authenticate(request: EmulatorRequest): EmulatorResponse | undefined {
    const header = request.headers.authorization;
    if (!header) {
      return openAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const key = this.adminKeys.all().find((candidate) => candidate.value === token);
    const expired = key?.expires_at != null && key.expires_at <= nowSeconds();
    if (!key || expired) {
      const masked = token.length > 11 ? `${token.slice(0, 8)}${'*'.repeat(8)}${token.slice(-3)}` : '***';
      return openAiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
    }
    key.last_used_at = nowSeconds();
    return undefined;
  }

  private listAdminKeys(request: EmulatorRequest): EmulatorResponse {
    const limit = parseLimit(request.query.get('limit'));
    if (limit === undefined) return openAiError(400, 'Invalid limit: must be an integer between 1 and 100.', 'invalid_request_error', 'invalid_value', 'limit');
    const order = request.query.get('order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') return openAiError(400, "Invalid order: expected 'asc' or 'desc'.", 'invalid_request_error', 'invalid_value', 'order');
    return cursorListResponse(this.adminKeys.page({ after: request.query.get('after') ?? undefined, limit, order }), (key) => this.present(key));
  }

  private createAdminKey(request: EmulatorRequest): EmulatorResponse {
    if (!String(request.headers['content-type'] ?? '').includes('application/json') || typeof request.json !== 'object' || request.json === null) {
      return openAiError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    const body = request.json as { name?: unknown; expires_in_seconds?: unknown };
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

/** OpenAI's `limit`: default 20, 1..100. Undefined when out of range. */
export function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return 20;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : undefined;
}

export function cursorListResponse<T extends { id: string }>(
  page: { items: T[]; hasMore: boolean } | undefined, present: (item: T) => unknown,
): EmulatorResponse {
  if (!page) return openAiError(400, "Invalid 'after': no object with this id.", 'invalid_request_error', 'invalid_value', 'after');
  return json(200, {
    object: 'list',
    data: page.items.map(present),
    first_id: page.items[0]?.id ?? null,
    last_id: page.items[page.items.length - 1]?.id ?? null,
    has_more: page.hasMore,
  });
}

function pick(source: unknown, names: string[]): Record<string, unknown> {
  const record = (source ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.filter((name) => name in record).map((name) => [name, record[name]]));
}
