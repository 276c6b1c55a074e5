import type { VendorErrorDetails } from '../../core/errors';
import { VendorHttpClient, type Authenticator, type HttpLogger, type VendorDialect } from '../http/client';
import { DigestAuthenticator } from '../http/digest-auth';
import { OAuthClientCredentials } from '../http/oauth-client-credentials';
import type { RetryPolicy } from '../http/retry';
import { ATLAS, type AtlasApiVersion } from '../../core/facts/atlas';

export type { AtlasApiVersion };

/** Programmatic API key (HTTP Digest) or service account (OAuth 2 client credentials). */
export type AtlasCredentials =
  | { readonly kind: 'api-key'; readonly publicKey: string; readonly privateKey: string; readonly source: string }
  | { readonly kind: 'service-account'; readonly clientId: string; readonly clientSecret: string; readonly source: string };

export interface AtlasClientOptions {
  /** Origin of the Atlas Admin API, e.g. https://cloud.mongodb.com (no /api/atlas suffix). */
  readonly baseUrl: string;
  readonly apiVersion: AtlasApiVersion;
  readonly credentials: AtlasCredentials;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly stopSignal?: AbortSignal;
  readonly logger?: HttpLogger;
}

/** v2 speaks a dated media type in Accept and Content-Type; v1.0 plain JSON. */
export const atlasMediaType = (version: AtlasApiVersion): string => (version === 'v2' ? ATLAS.v2MediaType : 'application/json');

/**
 * Atlas `ApiError` bodies ({detail, error, errorCode, parameters, reason,
 * badRequestDetail}); the token endpoint answers OAuth errors ({error, error_description}).
 */
export function parseAtlasError(body: unknown, text: string): VendorErrorDetails {
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  if (record && (typeof record.errorCode === 'string' || typeof record.detail === 'string')) {
    const fields = (record.badRequestDetail as { fields?: { field?: unknown; description?: unknown }[] } | undefined)?.fields;
    const fieldText = Array.isArray(fields)
      ? fields.filter((field) => typeof field.field === 'string').map((field) => `${field.field}: ${String(field.description ?? 'invalid')}`)
      : [];
    const detail = typeof record.detail === 'string' ? record.detail : undefined;
    return {
      message: [detail, fieldText.length ? `(${fieldText.join('; ')})` : undefined].filter(Boolean).join(' ') || undefined,
      vendorCode: typeof record.errorCode === 'string' ? record.errorCode : undefined,
      param: typeof fields?.[0]?.field === 'string' ? fields[0].field : undefined,
    };
  }
  if (record && typeof record.error === 'string') {
    return { message: typeof record.error_description === 'string' ? record.error_description : undefined, vendorCode: record.error };
  }
  return { message: text.slice(0, 300) || undefined };
}

function authenticationHint(credentials: AtlasCredentials): string {
  const what = credentials.kind === 'api-key'
    ? 'the public and private key of an organization programmatic API key'
    : 'the client id and secret of an organization service account';
  return `Atlas refused the credentials: set ${what} in ${credentials.source}. ` +
    'Managing organization API keys needs the Organization Owner role (listing them, Organization Member), ' +
    "and the caller's IP address must be on the credential's access list. Nothing was changed.";
}

export function atlasDialect(credentials: AtlasCredentials): VendorDialect {
  return { vendor: ATLAS.label, parseError: parseAtlasError, authenticationHint: authenticationHint(credentials) };
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** The client for /api/atlas/<version>/..., authenticated by digest or by service-account token. */
export function createAtlasHttpClient(connection: AtlasClientOptions): VendorHttpClient {
  const dialect = atlasDialect(connection.credentials);
  const transport = { timeoutMs: connection.timeoutMs, retry: connection.retry, stopSignal: connection.stopSignal, logger: connection.logger };
  const { credentials } = connection;
  let authenticator: Authenticator;
  let secrets: string[];
  if (credentials.kind === 'api-key') {
    authenticator = new DigestAuthenticator({ username: credentials.publicKey, password: credentials.privateKey });
    secrets = [credentials.privateKey];
  } else {
    authenticator = new OAuthClientCredentials({
      ...transport, dialect, baseUrl: trimSlash(connection.baseUrl), tokenPath: ATLAS.tokenPath, revokePath: ATLAS.revokePath,
      clientId: credentials.clientId, clientSecret: credentials.clientSecret,
    });
    secrets = [credentials.clientSecret];
  }
  return new VendorHttpClient({
    ...transport,
    baseUrl: `${trimSlash(connection.baseUrl)}/api/atlas/${connection.apiVersion}`,
    dialect,
    authenticator,
    secrets,
    defaultHeaders: { accept: atlasMediaType(connection.apiVersion) },
  });
}
