import type { VendorErrorDetails } from '../../core/errors';
import { EDGE_IMPULSE } from '../../core/facts/edgeimpulse';
import { VendorHttpClient, type HttpLogger, type VendorDialect } from '../http/client';
import type { RetryPolicy } from '../http/retry';

export interface EdgeImpulseClientOptions {
  /** An organization API key (admin role to create or revoke keys), sent as x-api-key. */
  readonly apiKey: string;
  readonly baseUrl: string;
  /** Tells the user where the API key came from, for 401/403 hints. */
  readonly apiKeySource: string;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly stopSignal?: AbortSignal;
  readonly logger?: HttpLogger;
}

const MAX_RAW_MESSAGE = 300;

/** A non-2xx answer: the message is `body.error` when there is one, else the raw text (as EI's own client does). */
export function parseEdgeImpulseError(body: unknown, text: string): VendorErrorDetails {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string' && error !== '') return { message: error };
  return { message: text.slice(0, MAX_RAW_MESSAGE) || undefined };
}

/** A 2xx answer with `success: false` is an error too: which failures EI answers with HTTP 200 is undocumented. */
export function edgeImpulseErrorInSuccessBody(body: unknown): VendorErrorDetails | undefined {
  if (!body || typeof body !== 'object' || (body as { success?: unknown }).success !== false) return undefined;
  const error = (body as { error?: unknown }).error;
  return { message: typeof error === 'string' && error !== '' ? error : 'the answer said success: false without an error message' };
}

export function createEdgeImpulseHttpClient(connection: EdgeImpulseClientOptions): VendorHttpClient {
  const dialect: VendorDialect = {
    vendor: EDGE_IMPULSE.label,
    parseError: parseEdgeImpulseError,
    errorInSuccessBody: edgeImpulseErrorInSuccessBody,
    authenticationHint:
      `Bad or missing API key: set an Edge Impulse organization API key with the admin role, for this organization, in ${connection.apiKeySource}. ` +
      'Project keys and member-role keys cannot manage organization keys. Nothing was changed.',
  };
  return new VendorHttpClient({
    baseUrl: connection.baseUrl,
    dialect,
    authenticator: { authorize: () => ({ 'x-api-key': connection.apiKey }) },
    secrets: [connection.apiKey],
    timeoutMs: connection.timeoutMs,
    retry: connection.retry,
    stopSignal: connection.stopSignal,
    logger: connection.logger,
  });
}
