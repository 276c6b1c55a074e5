import { createHash, randomBytes } from 'node:crypto';
import type { Authenticator, Headers, IncomingResponse, OutgoingRequest } from './client';

/**
 * HTTP Digest access authentication (RFC 7616), client side, as an
 * Authenticator for VendorHttpClient.
 *
 * The first request goes out without credentials; the 401 challenge it draws
 * gives the nonce, and the request is sent once more (a challenged request
 * was not processed, so this is safe even for a create). Later requests reuse
 * the nonce with an incrementing nonce count (nc), so a run costs one extra
 * round trip, not one per request. A challenge with `stale=true` means the
 * nonce expired but the credentials were right: adopt the new nonce and resend.
 * A challenge without it, after credentials were sent, means they are wrong.
 *
 * Supported: qop "auth" (or none, RFC 2069 style), algorithms MD5, SHA-256,
 * SHA-512-256 and their -sess variants. Not supported: qop "auth-int" (it
 * signs the body) and userhash.
 */

/** Hash functions by RFC 7616 algorithm name (the "-sess" suffix is handled apart). */
const HASHES: Record<string, string> = { 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  /** Upper-case, e.g. MD5 or SHA-256-sess; MD5 when the challenge names none. */
  readonly algorithm: string;
  /** The qop values the server offers; empty for an RFC 2069 challenge. */
  readonly qop: readonly string[];
  readonly opaque?: string;
  readonly stale: boolean;
}

export interface DigestInput {
  readonly algorithm: string;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly method: string;
  /** The request-target exactly as sent: path and query. */
  readonly uri: string;
  readonly nonce: string;
  /** Nonce count, 8 hex digits, e.g. 00000001 (ignored without qop). */
  readonly nc: string;
  readonly cnonce: string;
  /** "auth", or undefined for an RFC 2069 challenge without qop. */
  readonly qop?: string;
}

/**
 * Auth parameters of one scheme in WWW-Authenticate or Authorization values,
 * lower-cased names, unquoted values. Several challenges may share a header
 * (`Bearer realm="x", Digest realm="y", ...`): parsing stops at the next scheme.
 */
export function parseAuthParams(value: string | readonly string[] | undefined, scheme: string): Record<string, string> | undefined {
  const values = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  for (const text of values) {
    const start = new RegExp(`(?:^|[\\s,])${scheme}\\s+`, 'i').exec(text);
    if (!start) continue;
    const params: Record<string, string> = {};
    const param = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;
    param.lastIndex = start.index + start[0].length;
    for (let found = param.exec(text); found; found = param.exec(text)) {
      params[found[1].toLowerCase()] = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : found[3];
      if (param.lastIndex >= text.length) break;
    }
    return params;
  }
  return undefined;
}

/** The Digest challenge of a 401, or undefined when there is none or it lacks realm or nonce. */
export function parseDigestChallenge(header: string | readonly string[] | undefined): DigestChallenge | undefined {
  const params = parseAuthParams(header, 'Digest');
  if (!params || params.realm === undefined || !params.nonce) return undefined;
  // MongoDB's documented challenge says op="auth": a typo for qop that some servers may really send.
  const qop = (params.qop ?? params.op ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  return {
    realm: params.realm,
    nonce: params.nonce,
    algorithm: (params.algorithm ?? 'MD5').toUpperCase(),
    qop,
    opaque: params.opaque,
    stale: (params.stale ?? '').toLowerCase() === 'true',
  };
}

/** Whether this client can answer the challenge. */
export function isSupportedChallenge(challenge: DigestChallenge): boolean {
  const qopUsable = challenge.qop.length === 0 || challenge.qop.includes('auth');
  return qopUsable && HASHES[challenge.algorithm.replace(/-SESS$/, '')] !== undefined;
}

/** The `response` value of RFC 7616 section 3.4.1. */
export function digestResponse(input: DigestInput): string {
  const base = input.algorithm.toUpperCase().replace(/-SESS$/, '');
  const hashName = HASHES[base];
  if (!hashName) throw new Error(`unsupported digest algorithm ${input.algorithm}`);
  const hash = (text: string): string => createHash(hashName).update(text, 'utf8').digest('hex');
  let ha1 = hash(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.toUpperCase().endsWith('-SESS')) ha1 = hash(`${ha1}:${input.nonce}:${input.cnonce}`);
  const ha2 = hash(`${input.method}:${input.uri}`);
  return input.qop
    ? hash(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
    : hash(`${ha1}:${input.nonce}:${ha2}`);
}

export const formatNonceCount = (count: number): string => count.toString(16).padStart(8, '0');

const quote = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1')}"`;

export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

export class DigestAuthenticator implements Authenticator {
  private challenge?: DigestChallenge;
  private nonceCount = 0;
  /** The challenge each request was signed with (undefined: sent without credentials). */
  private readonly signedWith = new WeakMap<OutgoingRequest, DigestChallenge | undefined>();

  constructor(
    private readonly credentials: DigestCredentials,
    private readonly newCnonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  authorize(request: OutgoingRequest): Headers {
    const challenge = this.challenge;
    this.signedWith.set(request, challenge);
    if (!challenge) return {};
    this.nonceCount += 1;
    return { authorization: this.header(request, challenge, formatNonceCount(this.nonceCount), this.newCnonce()) };
  }

  onUnauthorized(response: IncomingResponse, request: OutgoingRequest): boolean {
    const challenge = parseDigestChallenge(response.headers['www-authenticate']);
    if (!challenge || !isSupportedChallenge(challenge)) return false;
    const signed = this.signedWith.get(request);
    // Credentials already sent and the nonce was fine: they are wrong, and sending them again would not help.
    if (signed && !challenge.stale) return false;
    this.challenge = challenge;
    this.nonceCount = 0;
    return true;
  }

  /** The Authorization header value; public for tests and for servers that verify it. */
  header(request: OutgoingRequest, challenge: DigestChallenge, nc: string, cnonce: string): string {
    const qop = challenge.qop.includes('auth') ? 'auth' : undefined;
    const response = digestResponse({
      algorithm: challenge.algorithm, username: this.credentials.username, password: this.credentials.password,
      realm: challenge.realm, method: request.method, uri: request.pathAndQuery, nonce: challenge.nonce, nc, cnonce, qop,
    });
    const parts = [
      `username=${quote(this.credentials.username)}`, `realm=${quote(challenge.realm)}`, `nonce=${quote(challenge.nonce)}`,
      `uri=${quote(request.pathAndQuery)}`, `algorithm=${challenge.algorithm}`,
    ];
    if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    parts.push(`response=${quote(response)}`);
    if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
    return `Digest ${parts.join(', ')}`;
  }
}
