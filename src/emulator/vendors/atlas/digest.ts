import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The server's side of HTTP Digest (RFC 7616) as Atlas documents it:
 * algorithm MD5, qop "auth". Written apart from the adapter's client
 * (src/vendors/http/digest-auth.ts) on purpose: a mistake both shared would
 * pass every test.
 */

/** What an `Authorization: Digest ...` header says, by lower-case parameter name. */
export type DigestParameters = ReadonlyMap<string, string>;

/** One `name=value` or `name="quoted value"` (RFC 9110 auth-param), then a comma or the end. */
const PARAMETER = /[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]+))[ \t]*(?:,|$)/y;

/**
 * The parameters of a Digest Authorization header, or undefined when the
 * header is not Digest or is malformed (a parameter twice, an unterminated
 * quoted string, text that is not `name=value`).
 */
export function parseDigestAuthorization(header: string): DigestParameters | undefined {
  const scheme = /^Digest[ \t]+/i.exec(header);
  if (!scheme) return undefined;
  const parameters = new Map<string, string>();
  PARAMETER.lastIndex = scheme[0].length;
  while (PARAMETER.lastIndex < header.length) {
    const found = PARAMETER.exec(header);
    if (!found) return undefined;
    const name = found[1].toLowerCase();
    if (parameters.has(name)) return undefined;
    parameters.set(name, found[2] === undefined ? found[3] : found[2].replace(/\\(.)/g, '$1'));
  }
  return parameters;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

export interface DigestProof {
  readonly username: string;
  /** The private key, which only the server and the caller know. */
  readonly password: string;
  readonly realm: string;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  readonly nc: string;
  readonly cnonce: string;
}

/** RFC 7616 section 3.4.1 with MD5 and qop "auth": KD(H(A1), nonce:nc:cnonce:qop:H(A2)). */
export function expectedDigestResponse(proof: DigestProof): string {
  const secret = md5(`${proof.username}:${proof.realm}:${proof.password}`);
  const request = md5(`${proof.method}:${proof.uri}`);
  return md5(`${secret}:${proof.nonce}:${proof.nc}:${proof.cnonce}:auth:${request}`);
}

/** Compares the caller's response with the expected one in constant time. */
export function digestMatches(expected: string, presented: string): boolean {
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(presented.toLowerCase(), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
