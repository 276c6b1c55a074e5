import { VendorUnreachableError } from '../../core/errors';
import { VendorHttpClient, invalidResponse, type Authenticator, type Headers, type IncomingResponse, type OutgoingRequest, type VendorHttpClientOptions } from './client';
import { registerSecret } from '../../core/security/redaction';

/**
 * OAuth 2.0 client credentials grant (RFC 6749 section 4.4) as an
 * Authenticator: a bearer token fetched with the client id and secret (HTTP
 * Basic), cached, and shared by every request of the process.
 *
 * - Concurrent requests that find no valid token share one token request.
 * - The token is renewed a little before it expires (a tenth of its
 *   lifetime, at most a minute), so a request never leaves with a token that
 *   dies on the way.
 * - A 401 drops the token the request carried and sends the request once
 *   more with a fresh one (the vendor may have revoked it early).
 *
 * The token and the client secret are registered for redaction and never
 * logged; errors of the token request name the operation, never a value.
 */
export interface ClientCredentialsOptions extends Omit<VendorHttpClientOptions, 'authenticator' | 'secrets' | 'baseUrl'> {
  /** Origin (and path prefix) the token and revoke paths are relative to. */
  readonly baseUrl: string;
  readonly tokenPath: string;
  /** RFC 7009 revocation endpoint, if the vendor has one. */
  readonly revokePath?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Clock, for tests. */
  readonly now?: () => number;
}

interface TokenAnswer {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
}

interface CachedToken {
  readonly value: string;
  /** When to stop using it and fetch a new one (ms since epoch). */
  readonly renewAt: number;
}

const MAX_RENEWAL_MARGIN_MS = 60_000;
/** When the vendor does not say, assume a short life rather than a long one. */
const DEFAULT_LIFETIME_SECONDS = 300;

/** RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
export const basicCredentials = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${formEncode(user)}:${formEncode(password)}`, 'utf8').toString('base64')}`;

export class OAuthClientCredentials implements Authenticator {
  private readonly tokenClient: VendorHttpClient;
  private readonly now: () => number;
  private cached?: CachedToken;
  private pending?: Promise<string>;
  /** The token each request carried; a request is resent at most once. */
  private readonly carried = new WeakMap<OutgoingRequest, string>();
  private readonly resent = new WeakSet<OutgoingRequest>();
  private fetches = 0;

  constructor(private readonly options: ClientCredentialsOptions) {
    const basic = basicCredentials(options.clientId, options.clientSecret);
    this.tokenClient = new VendorHttpClient({
      ...options,
      authenticator: { authorize: () => ({ authorization: basic }) },
      secrets: [options.clientSecret, basic.slice('Basic '.length)],
    });
    this.now = options.now ?? Date.now;
  }

  /** How many token requests this authenticator has made (for tests). */
  get tokenRequests(): number {
    return this.fetches;
  }

  async authorize(request: OutgoingRequest): Promise<Headers> {
    const token = await this.token();
    this.carried.set(request, token);
    return { authorization: `Bearer ${token}` };
  }

  onUnauthorized(_response: IncomingResponse, request: OutgoingRequest): boolean {
    const carried = this.carried.get(request);
    if (carried === undefined || this.resent.has(request)) return false;
    this.resent.add(request);
    if (this.cached?.value === carried) this.cached = undefined; // another request may already have renewed it
    return true;
  }

  /** A valid access token, fetched when there is none (one fetch for all concurrent callers). */
  token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return Promise.resolve(this.cached.value);
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Revokes the current token at the vendor (RFC 7009) and forgets it. */
  async revoke(): Promise<void> {
    const token = this.cached?.value;
    this.cached = undefined;
    if (!token || !this.options.revokePath) return;
    await this.tokenClient.send({
      operation: 'revoke access token', method: 'POST', path: this.options.revokePath, idempotent: true,
      form: { token, token_type_hint: 'access_token' },
    });
  }

  private async fetch(): Promise<string> {
    const operation = 'get access token';
    this.fetches++;
    const requestedAt = this.now();
    let answer: TokenAnswer | undefined;
    try {
      // Minting a token twice does no harm, so lost answers and 5xx are retried.
      answer = await this.tokenClient.send<TokenAnswer>({
        operation, method: 'POST', path: this.options.tokenPath, idempotent: true, form: { grant_type: 'client_credentials' },
      });
    } catch (error) {
      // Whatever happened to the token request, the request that needed the token was never sent.
      if (error instanceof VendorUnreachableError && error.outcomeUnknown) {
        throw new VendorUnreachableError(error.vendor, error.operation, error.message, false, error);
      }
      throw error;
    }
    const token = answer?.access_token;
    if (typeof token !== 'string' || token === '') throw invalidResponse(this.tokenClient.vendor, operation, 'no access_token');
    registerSecret(token);
    if (typeof answer?.token_type !== 'string' || answer.token_type.toLowerCase() !== 'bearer') {
      throw invalidResponse(this.tokenClient.vendor, operation, `token_type is ${JSON.stringify(answer?.token_type)}, expected "Bearer"`);
    }
    const lifetimeMs = (typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_LIFETIME_SECONDS) * 1000;
    const margin = Math.min(MAX_RENEWAL_MARGIN_MS, lifetimeMs / 10);
    this.cached = { value: token, renewAt: requestedAt + lifetimeMs - margin };
    return token;
  }
}
