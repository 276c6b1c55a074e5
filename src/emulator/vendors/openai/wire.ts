import { OPENAI } from '../../../core/facts/openai';
import { json, type EmulatorRequest, type EmulatorResponse } from '../../http';

/** OpenAI's wire conventions, shared by the admin-key and project emulators. */

/** A route whose handler runs against one part of the caller's organization (its admin keys, its projects). */
export interface ScopedRoute<Scope> {
  readonly method: string;
  readonly pattern: string;
  readonly handler: (request: EmulatorRequest, scope: Scope) => EmulatorResponse | Promise<EmulatorResponse>;
}

const { defaultPageSize: DEFAULT_LIMIT, maxPageSize: MAX_LIMIT } = OPENAI.limits;

type ErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'server_error' | 'requests';

export const openAiError = (
  status: number, message: string, type: ErrorType = 'invalid_request_error', code: string | null = null, param: string | null = null,
): EmulatorResponse => json(status, { error: { message, type, param, code } });

/** "sk-admin...xyz": the first 8 characters, three dots, the last 3. */
export const redactOpenAiKey = (value: string): string => `${value.slice(0, 8)}...${value.slice(-3)}`;

/** OpenAI's `limit`: default 20, 1..100 (the facts' page sizes). Undefined when out of range. */
export function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return DEFAULT_LIMIT;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT ? limit : undefined;
}

export const invalidLimit = (): EmulatorResponse =>
  openAiError(400, `Invalid limit: must be an integer between 1 and ${MAX_LIMIT}.`, 'invalid_request_error', 'invalid_value', 'limit');

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

/** The JSON object body of a write, or OpenAI's 400 when the body is not JSON. */
export function jsonBody<T>(request: EmulatorRequest): { body: T } | { error: EmulatorResponse } {
  if (!String(request.headers['content-type'] ?? '').includes('application/json') || typeof request.json !== 'object' || request.json === null) {
    return { error: openAiError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error') };
  }
  return { body: request.json as T };
}

export function pick(source: unknown, names: string[]): Record<string, unknown> {
  const record = (source ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.filter((name) => name in record).map((name) => [name, record[name]]));
}
