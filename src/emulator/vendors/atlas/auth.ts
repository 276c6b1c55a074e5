import { randomBytes } from 'node:crypto';
import { json, type EmulatorRequest, type EmulatorResponse } from '../../http';
import { digestMatches, expectedDigestResponse, parseDigestAuthorization } from './digest';

/**
 * How the emulated Atlas authenticates callers:
 * - HTTP Digest (realm "MMS Public API", MD5, qop auth) with a programmatic
 *   key's public key as user name and its private key as password. Nonces
 *   expire (a right digest on an expired or unknown nonce draws stale=true),
 *   and each nonce count is accepted once (a replay draws a plain challenge);
 * - service accounts: POST /api/oauth/token (client credentials, HTTP Basic)
 *   for a Bearer token of configurable lifetime; POST /api/oauth/revoke.
 */
const REALM = 'MMS Public API';

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 406: 'Not Acceptable', 415: 'Unsupported Media Type', 429: 'Too Many Requests',
};

/** An Atlas `ApiError` answer. */
export function atlasError(
  status: number, errorCode: string, detail: string, options: { parameters?: unknown[]; fields?: { field: string; description: string }[]; headers?: Record<string, string> } = {},
): EmulatorResponse {
  return json(status, {
    detail, error: status, errorCode, parameters: options.parameters ?? [], reason: REASONS[status] ?? 'Error',
    ...(options.fields ? { badRequestDetail: { fields: options.fields } } : {}),
  }, options.headers);
}

/** Who is calling: the organization a credential belongs to, and its organization roles there. */
export interface Principal {
  organizationId: string;
  roles: readonly string[];
  /** The programmatic key's id when the caller signed in with one (digest), for its access list. */
  programmaticKeyId?: string;
}

/** Where the authenticator looks credentials up (the emulator's organizations). */
export interface AtlasCredentialDirectory {
  programmaticKey(publicKey: string): (Required<Principal> & { privateKey: string }) | undefined;
  serviceAccount(clientId: string, clientSecret: string): Principal | undefined;
}

export interface AtlasAuthSettings {
  /** How long a digest nonce lives; a right digest on an older nonce draws stale=true. */
  nonceLifetimeMs: number;
  /** expires_in of service-account tokens, seconds. Atlas: 3600. */
  tokenLifetimeSeconds: number;
  /** [U] "qop", or "op" as MongoDB's documentation prints the challenge. */
  challengeQopName: 'qop' | 'op';
}

interface IssuedToken {
  clientId: string;
  principal: Principal;
  expiresAt: number;
}

const formDecode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));

export class AtlasAuthEmulator {
  private readonly nonces = new Map<string, { issuedAt: number; counts: Set<number> }>();
  private readonly tokens = new Map<string, IssuedToken>();

  /** `settings` is read on every request, so changes to it apply at once. */
  constructor(private readonly directory: AtlasCredentialDirectory, private readonly settings: AtlasAuthSettings) {}

  /** 401 with a fresh nonce, the challenge exactly as MongoDB documents it. */
  challenge(stale: boolean, detail = 'You are not authorized for this resource.'): EmulatorResponse {
    const nonce = randomBytes(24).toString('base64');
    this.nonces.set(nonce, { issuedAt: Date.now(), counts: new Set() });
    return atlasError(401, 'USER_UNAUTHORIZED', detail, {
      headers: {
        'www-authenticate': `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, ${this.settings.challengeQopName}="auth", stale=${stale}`,
        'content-type': 'application/json;charset=ISO-8859-1',
      },
    });
  }

  /** The caller, or the 401 to answer. */
  authenticate(request: EmulatorRequest): Principal | EmulatorResponse {
    const header = String(request.headers.authorization ?? '');
    if (/^Bearer\s/i.test(header)) {
      const token = this.tokens.get(header.replace(/^Bearer\s+/i, '').trim());
      if (!token || token.expiresAt <= Date.now()) {
        return atlasError(401, 'USER_UNAUTHORIZED', 'The access token is invalid or has expired.', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
      }
      return token.principal;
    }
    if (!/^Digest\s/i.test(header)) return this.challenge(false);

    const params = parseDigestAuthorization(header) ?? new Map<string, string>();
    const [username, nonceText, uri, nc, cnonce, response] = ['username', 'nonce', 'uri', 'nc', 'cnonce', 'response'].map((name) => params.get(name) ?? '');
    const key = this.directory.programmaticKey(username);
    const count = /^[0-9a-f]{8}$/i.test(nc) ? Number.parseInt(nc, 16) : undefined;
    const wellFormed = params.get('realm') === REALM && uri === request.url && params.get('qop') === 'auth' && count !== undefined &&
      cnonce !== '' && (params.get('algorithm') ?? 'MD5').toUpperCase() === 'MD5';
    if (!key || !wellFormed) return this.challenge(false);
    const expected = expectedDigestResponse({ username, password: key.privateKey, realm: REALM, method: request.method, uri, nonce: nonceText, nc, cnonce });
    if (!digestMatches(expected, response)) return this.challenge(false);
    // The digest is right; only the nonce can be at fault now.
    const nonce = this.nonces.get(nonceText);
    if (!nonce || Date.now() - nonce.issuedAt > this.settings.nonceLifetimeMs) return this.challenge(true);
    if (nonce.counts.has(count!)) return this.challenge(false, 'Replayed nonce count.');
    nonce.counts.add(count!);
    return { organizationId: key.organizationId, roles: key.roles, programmaticKeyId: key.programmaticKeyId };
  }

  issueToken(request: EmulatorRequest): EmulatorResponse {
    const caller = this.basicCaller(request);
    if (!caller) return json(401, { error: 'invalid_client', error_description: 'Invalid client credentials.' }, { 'www-authenticate': 'Basic realm="Atlas"' });
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(400, { error: 'invalid_request', error_description: 'Expected an application/x-www-form-urlencoded body.' });
    }
    const grant = new URLSearchParams(request.rawBody).get('grant_type');
    if (grant !== 'client_credentials') return json(400, { error: 'unsupported_grant_type', error_description: `Unsupported grant_type ${grant ?? '(none)'}.` });
    const token = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${randomBytes(48).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const lifetime = this.settings.tokenLifetimeSeconds;
    this.tokens.set(token, { clientId: caller.clientId, principal: caller.principal, expiresAt: Date.now() + lifetime * 1000 });
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: lifetime }, { 'cache-control': 'no-store' });
  }

  /** RFC 7009: 200 whether or not the token was valid; a client revokes only its own tokens. */
  revokeToken(request: EmulatorRequest): EmulatorResponse {
    const caller = this.basicCaller(request);
    if (!caller) return json(401, { error: 'invalid_client', error_description: 'Invalid client credentials.' });
    const token = new URLSearchParams(request.rawBody).get('token') ?? '';
    if (this.tokens.get(token)?.clientId === caller.clientId) this.tokens.delete(token);
    return { status: 200 };
  }

  /** Every nonce handed out so far is now expired. */
  expireNonces(): void {
    for (const nonce of this.nonces.values()) nonce.issuedAt = 0;
  }

  /** Every token issued so far is now expired. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  /** Tokens issued and not revoked. */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** The service account named by an HTTP Basic header (id and secret form-encoded, RFC 6749 section 2.3.1). */
  private basicCaller(request: EmulatorRequest): { clientId: string; principal: Principal } | undefined {
    const header = String(request.headers.authorization ?? '');
    if (!/^Basic\s/i.test(header)) return undefined;
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) return undefined;
    const clientId = formDecode(decoded.slice(0, separator));
    const principal = this.directory.serviceAccount(clientId, formDecode(decoded.slice(separator + 1)));
    return principal ? { clientId, principal } : undefined;
  }
}
