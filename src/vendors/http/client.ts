import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import {
  ApiKeysError, OperationStoppedError, VendorAuthenticationError, VendorInvalidResponseError, VendorNotFoundError,
  VendorPermissionError, VendorRateLimitError, VendorResponseError, VendorServerError, VendorTimeoutError,
  VendorUnreachableError, VendorValidationError, type VendorErrorDetails,
} from '../../core/errors';
import { redact, registerSecret } from '../../core/security/redaction';
import {
  DEFAULT_RETRY_POLICY, backoffDelay, isRejectedBeforeProcessing, isTransientStatus, parseRetryAfter,
  type RetryPolicy,
} from './retry';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type Headers = Record<string, string>;

export interface OutgoingRequest {
  readonly method: HttpMethod;
  /** Path and query as sent, e.g. /v1/organization/admin_api_keys?limit=100 (digest auth signs it). */
  readonly pathAndQuery: string;
}

export interface IncomingResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  readonly text: string;
}

/** How a vendor authenticates: static headers, a digest challenge, an OAuth token... */
export interface Authenticator {
  authorize(request: OutgoingRequest): Promise<Headers> | Headers;
  /**
   * Called on a 401. Returns true when the authenticator learned something
   * (a digest nonce, an expired token) and the request should be sent once
   * more. A challenged request was not processed, so this is safe for creates.
   */
  onUnauthorized?(response: IncomingResponse, request: OutgoingRequest): Promise<boolean> | boolean;
}

/** The vendor-specific parts of the wire format. */
export interface VendorDialect {
  /** Display name used in messages, e.g. "OpenAI". */
  readonly vendor: string;
  /** Extracts message and codes from an error body. */
  parseError(body: unknown, text: string): VendorErrorDetails;
  /** Some vendors answer 200 with an error body (Edge Impulse's success:false). */
  errorInSuccessBody?(body: unknown): VendorErrorDetails | undefined;
  /** What to tell the user on 401/403: which setting holds the credential. */
  readonly authenticationHint: string;
  /** The header the vendor uses for request ids, if any. */
  readonly requestIdHeader?: string;
}

export interface RequestSpec {
  /** Human name of the call for messages and logs, e.g. "create admin key". */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Path below the base URL; callers encode path segments. */
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly headers?: Headers;
  /**
   * Whether sending the request twice has the same effect as once. Default:
   * true for GET and DELETE, false otherwise. Non-idempotent requests are
   * resent only after a 429 or an auth challenge, never after a lost answer.
   */
  readonly idempotent?: boolean;
  /** Statuses that are an answer rather than an error (e.g. 404 on a delete). */
  readonly acceptStatuses?: readonly number[];
}

export interface HttpLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface VendorHttpClientOptions {
  readonly baseUrl: string;
  readonly dialect: VendorDialect;
  readonly authenticator: Authenticator;
  /** Credentials this client sends; registered for redaction. */
  readonly secrets?: readonly (string | undefined)[];
  /** Whole-request deadline, per attempt. Default 30 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly defaultHeaders?: Headers;
  /** Aborted when Terraform stops the provider: waits end, no new attempts start. */
  readonly stopSignal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  readonly logger?: HttpLogger;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_AUTH_CHALLENGES = 2;

/** Errors from undici that mean the connection never carried the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH']);

/**
 * One vendor's HTTP client on undici: JSON in and out, per-attempt timeout,
 * retries that honour Retry-After on idempotent calls, vendor error bodies
 * turned into typed errors without secrets.
 */
export class VendorHttpClient {
  private readonly baseUrl: URL;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: VendorHttpClientOptions) {
    this.baseUrl = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (const secret of options.secrets ?? []) registerSecret(secret);
  }

  get vendor(): string {
    return this.options.dialect.vendor;
  }

  /** Sends the request and returns the parsed body of a successful answer. */
  async send<T>(spec: RequestSpec): Promise<T> {
    return (await this.exchange(spec)).body as T;
  }

  /** Like send, but also returns the status and headers. */
  async exchange(spec: RequestSpec): Promise<IncomingResponse> {
    const idempotent = spec.idempotent ?? (spec.method === 'GET' || spec.method === 'DELETE');
    const url = this.resolve(spec);
    const outgoing: OutgoingRequest = { method: spec.method, pathAndQuery: url.pathname + url.search };
    let retries = 0;
    let challenges = 0;
    for (;;) {
      this.throwIfStopped(spec);
      const started = Date.now();
      let response: IncomingResponse;
      try {
        response = await this.attempt(spec, url, outgoing, idempotent);
      } catch (error) {
        // The authenticator's own typed failures (a refused token request) happen before this request is sent.
        if (error instanceof ApiKeysError) throw error;
        const failure = this.unreachable(spec, error);
        if (!failure.outcomeUnknown || idempotent) {
          if (retries < this.retry.maxRetries) {
            retries++;
            await this.wait(spec, backoffDelay(this.retry, retries), `${failure.code}`);
            continue;
          }
        }
        throw failure;
      }
      this.options.logger?.debug('vendor request', {
        vendor: this.vendor, operation: spec.operation, method: spec.method, path: url.pathname,
        status: response.status, ms: Date.now() - started, attempt: retries + challenges + 1,
      });

      if (response.status === 401 && challenges < MAX_AUTH_CHALLENGES && this.options.authenticator.onUnauthorized) {
        if (await this.options.authenticator.onUnauthorized(response, outgoing)) {
          challenges++;
          continue;
        }
      }
      const accepted = (response.status >= 200 && response.status < 300) || spec.acceptStatuses?.includes(response.status);
      if (accepted) {
        const bodyError = response.status < 300 ? this.options.dialect.errorInSuccessBody?.(response.body) : undefined;
        if (!bodyError) return response;
        throw this.responseError(spec, response, bodyError);
      }

      const retryable = isTransientStatus(response.status) && (idempotent || isRejectedBeforeProcessing(response.status));
      if (retryable && retries < this.retry.maxRetries) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        if (retryAfter === undefined || retryAfter <= this.retry.maxRetryAfterMs) {
          retries++;
          await this.wait(spec, retryAfter ?? backoffDelay(this.retry, retries), `HTTP ${response.status}`);
          continue;
        }
      }
      throw this.responseError(spec, response, this.options.dialect.parseError(response.body, response.text));
    }
  }

  private resolve(spec: RequestSpec): URL {
    const url = new URL(spec.path.replace(/^\//, ''), this.baseUrl);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  private async attempt(spec: RequestSpec, url: URL, outgoing: OutgoingRequest, idempotent: boolean): Promise<IncomingResponse> {
    const { request } = await import('undici'); // loaded on first vendor call: it costs ~100 ms of start-up
    const headers: Headers = { accept: 'application/json', ...this.options.defaultHeaders, ...spec.headers };
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(spec.form).toString();
    }
    Object.assign(headers, await this.options.authenticator.authorize(outgoing));
    const signals = [AbortSignal.timeout(this.timeoutMs)];
    // Ctrl-C must not cut a create short: its key would exist with its secret lost. It finishes (within the timeout) and is delivered.
    if (this.options.stopSignal && idempotent) signals.push(this.options.stopSignal);
    const answer = await request(url, {
      method: spec.method,
      headers,
      body,
      signal: AbortSignal.any(signals),
      dispatcher: this.options.dispatcher,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await answer.body.text();
    return { status: answer.statusCode, headers: answer.headers, text, body: parseBody(text) };
  }

  private unreachable(spec: RequestSpec, error: unknown): VendorUnreachableError {
    const name = (error as { name?: string })?.name;
    if (this.options.stopSignal?.aborted && name === 'AbortError') {
      return new VendorUnreachableError(this.vendor, spec.operation, 'the provider was stopped while the request was in flight', true, error);
    }
    const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
    const target = `${this.baseUrl.origin}`;
    if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new VendorTimeoutError(this.vendor, spec.operation, `no answer from ${target} within ${this.timeoutMs} ms`, true, error);
    }
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const reason = redact(code ?? (error instanceof Error ? error.message : String(error)));
    return new VendorUnreachableError(
      this.vendor, spec.operation,
      notSent ? `could not connect to ${target} (${reason})` : `the connection to ${target} failed before an answer arrived (${reason})`,
      !notSent, error,
    );
  }

  private responseError(spec: RequestSpec, response: IncomingResponse, details: VendorErrorDetails): VendorResponseError {
    const clean: VendorErrorDetails = {
      message: details.message === undefined ? undefined : redact(details.message),
      vendorCode: details.vendorCode === undefined ? undefined : redact(details.vendorCode),
      vendorType: details.vendorType,
      param: details.param,
    };
    const header = this.options.dialect.requestIdHeader;
    const requestIdValue = header ? response.headers[header] : undefined;
    const requestId = Array.isArray(requestIdValue) ? requestIdValue[0] : requestIdValue;
    return Object.assign(this.classify(spec, response.status, clean, requestId), { method: spec.method });
  }

  private classify(spec: RequestSpec, status: number, details: VendorErrorDetails, requestId: string | undefined): VendorResponseError {
    const args = [this.vendor, spec.operation, status, details, requestId] as const;
    if (status === 401) return new VendorAuthenticationError(...args, this.options.dialect.authenticationHint);
    if (status === 403) return new VendorPermissionError(...args, this.options.dialect.authenticationHint);
    if (status === 404) return new VendorNotFoundError(...args);
    if (status === 429) return new VendorRateLimitError(...args, 'The vendor is rate limiting this organization; run again later or lower -parallelism.');
    if (status >= 500) return new VendorServerError(...args, 'The vendor had a problem; run again later.');
    if (status === 400 || status === 409 || status === 422 || status < 300) return new VendorValidationError(...args);
    return new VendorResponseError(...args);
  }

  private async wait(spec: RequestSpec, ms: number, reason: string): Promise<void> {
    this.options.logger?.debug('vendor request retry', { vendor: this.vendor, operation: spec.operation, reason, waitMs: ms });
    try {
      await sleep(ms, undefined, { signal: this.options.stopSignal });
    } catch {
      this.throwIfStopped(spec);
    }
  }

  private throwIfStopped(spec: RequestSpec): void {
    if (this.options.stopSignal?.aborted) {
      throw new OperationStoppedError(`${this.vendor} "${spec.operation}" was not sent: Terraform is stopping the provider`);
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Turns a 2xx body that is not what the adapter expects into an error. */
export function invalidResponse(vendor: string, operation: string, problem: string): VendorInvalidResponseError {
  return new VendorInvalidResponseError(vendor, operation, `${vendor} answered "${operation}" with an unexpected body: ${problem}`);
}
