import type { VendorErrorDetails } from '../../core/errors';
import { OPENAI } from '../../core/facts/openai';
import { VendorHttpClient, type HttpLogger, type VendorDialect } from '../http/client';
import type { RetryPolicy } from '../http/retry';

export interface OpenAiClientOptions {
  readonly adminKey: string;
  readonly baseUrl: string;
  /** Tells the user where the admin key came from, for 401 hints. */
  readonly adminKeySource: string;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly stopSignal?: AbortSignal;
  readonly logger?: HttpLogger;
}

function parseOpenAiError(body: unknown, text: string): VendorErrorDetails {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error === 'object') {
    return {
      message: typeof error.message === 'string' ? error.message : undefined,
      vendorType: typeof error.type === 'string' ? error.type : undefined,
      vendorCode: typeof error.code === 'string' ? error.code : undefined,
      param: typeof error.param === 'string' ? error.param : undefined,
    };
  }
  return { message: text.slice(0, 300) || undefined };
}

export function createOpenAiHttpClient(connection: OpenAiClientOptions): VendorHttpClient {
  const dialect: VendorDialect = {
    vendor: OPENAI.label,
    parseError: parseOpenAiError,
    requestIdHeader: 'x-request-id',
    authenticationHint:
      `Bad or missing admin key: set an ${OPENAI.credentials.admin_key.label} in ${connection.adminKeySource}. ` +
      'Project keys cannot manage organization keys. Nothing was changed.',
  };
  return new VendorHttpClient({
    baseUrl: connection.baseUrl,
    dialect,
    authenticator: { authorize: () => ({ authorization: `Bearer ${connection.adminKey}` }) },
    secrets: [connection.adminKey],
    timeoutMs: connection.timeoutMs,
    retry: connection.retry,
    stopSignal: connection.stopSignal,
    logger: connection.logger,
  });
}
