import {
  DigestAuthenticator, digestResponse, formatNonceCount, isSupportedChallenge, parseAuthParams, parseDigestChallenge,
} from '../../../src/vendors/http/digest-auth';
import type { IncomingResponse, OutgoingRequest } from '../../../src/vendors/http/client';

/** RFC 7616 section 3.9.1. */
const RFC = {
  username: 'Mufasa', password: 'Circle of Life', realm: 'http-auth@example.org', method: 'GET', uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', qop: 'auth',
};

const challenge401 = (header: string): IncomingResponse => ({ status: 401, headers: { 'www-authenticate': header }, body: undefined, text: '' });
const request = (pathAndQuery = '/api/atlas/v2/orgs/x/apiKeys', method: OutgoingRequest['method'] = 'GET'): OutgoingRequest => ({ method, pathAndQuery });

/** The auth-params of an Authorization: Digest header. */
const paramsOf = (header: string) => parseAuthParams(header, 'Digest')!;

describe('digestResponse', () => {
  test('matches the RFC 7616 MD5 example', () => {
    expect(digestResponse({ ...RFC, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  test('matches the RFC 7616 SHA-256 example', () => {
    expect(digestResponse({ ...RFC, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  test('a different nonce count, method or uri gives a different response', () => {
    const base = digestResponse({ ...RFC, algorithm: 'MD5' });
    expect(digestResponse({ ...RFC, algorithm: 'MD5', nc: '00000002' })).not.toBe(base);
    expect(digestResponse({ ...RFC, algorithm: 'MD5', method: 'POST' })).not.toBe(base);
    expect(digestResponse({ ...RFC, algorithm: 'MD5', uri: '/dir/index.html?x=1' })).not.toBe(base);
  });

  test('an unknown algorithm is refused', () => {
    expect(() => digestResponse({ ...RFC, algorithm: 'SHA-1' })).toThrow('unsupported digest algorithm SHA-1');
  });
});

describe('parseDigestChallenge', () => {
  test('reads the challenge as MongoDB documents it, op="auth" typo included', () => {
    const challenge = parseDigestChallenge('Digest realm="MMS Public API", domain="", nonce="abc/def+==", algorithm=MD5, op="auth", stale=false');
    expect(challenge).toEqual({ realm: 'MMS Public API', nonce: 'abc/def+==', algorithm: 'MD5', qop: ['auth'], opaque: undefined, stale: false });
    expect(isSupportedChallenge(challenge!)).toBe(true);
  });

  test('reads qop lists, stale=TRUE, escaped quotes, and a Digest challenge after another scheme', () => {
    const challenge = parseDigestChallenge(['Bearer realm="api", error="invalid_token"', 'Basic realm="x", Digest realm="r", nonce="n\\"1", qop="auth-int, auth", opaque="o", stale=TRUE']);
    expect(challenge).toMatchObject({ realm: 'r', nonce: 'n"1', qop: ['auth-int', 'auth'], opaque: 'o', stale: true });
  });

  test('no Digest scheme, or no nonce, is no challenge', () => {
    expect(parseDigestChallenge(undefined)).toBeUndefined();
    expect(parseDigestChallenge('Bearer realm="x"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x"')).toBeUndefined();
  });

  test('auth-int only, or an unknown algorithm, is not supported', () => {
    expect(isSupportedChallenge(parseDigestChallenge('Digest realm="r", nonce="n", qop="auth-int"')!)).toBe(false);
    expect(isSupportedChallenge(parseDigestChallenge('Digest realm="r", nonce="n", qop="auth", algorithm=SHA-1')!)).toBe(false);
    expect(isSupportedChallenge(parseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-256-sess, qop=auth')!)).toBe(true);
  });
});

describe('DigestAuthenticator', () => {
  const challenge = 'Digest realm="MMS Public API", domain="", nonce="nonce-1", algorithm=MD5, qop="auth", stale=false';

  test('reproduces the RFC example header for the RFC inputs', () => {
    const authenticator = new DigestAuthenticator({ username: RFC.username, password: RFC.password }, () => RFC.cnonce);
    const first = request(RFC.uri);
    expect(authenticator.authorize(first)).toEqual({});
    expect(authenticator.onUnauthorized(challenge401(`Digest realm="${RFC.realm}", nonce="${RFC.nonce}", qop="auth", algorithm=MD5, opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`), first)).toBe(true);
    const header = authenticator.authorize(first).authorization;
    expect(header).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", ' +
      'algorithm=MD5, qop=auth, nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", response="8ca523f5e9506fed4657c9700eebdbec", ' +
      'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
  });

  test('sends nothing until challenged, then reuses the nonce with nc 1, 2, 3 across requests', () => {
    const authenticator = new DigestAuthenticator({ username: 'pub', password: 'priv' });
    const first = request();
    expect(authenticator.authorize(first)).toEqual({});
    expect(authenticator.onUnauthorized(challenge401(challenge), first)).toBe(true);
    const headers = [first, request('/a'), request('/b', 'POST')].map((outgoing) => paramsOf(authenticator.authorize(outgoing).authorization));
    expect(headers.map((params) => params.nc)).toEqual(['00000001', '00000002', '00000003']);
    expect(new Set(headers.map((params) => params.nonce))).toEqual(new Set(['nonce-1']));
    expect(new Set(headers.map((params) => params.cnonce)).size).toBe(3);
    expect(headers[2]).toMatchObject({ username: 'pub', realm: 'MMS Public API', uri: '/b', qop: 'auth', algorithm: 'MD5' });
    expect(headers[2].response).toBe(digestResponse({
      algorithm: 'MD5', username: 'pub', password: 'priv', realm: 'MMS Public API', method: 'POST', uri: '/b',
      nonce: 'nonce-1', nc: '00000003', cnonce: headers[2].cnonce, qop: 'auth',
    }));
  });

  test('a stale nonce is replaced and nc starts again at 1; the request is resent', () => {
    const authenticator = new DigestAuthenticator({ username: 'pub', password: 'priv' });
    const first = request();
    authenticator.authorize(first);
    authenticator.onUnauthorized(challenge401(challenge), first);
    authenticator.authorize(first);
    const second = request('/second');
    expect(paramsOf(authenticator.authorize(second).authorization).nc).toBe('00000002');
    expect(authenticator.onUnauthorized(challenge401(challenge.replace('nonce-1', 'nonce-2').replace('stale=false', 'stale=true')), second)).toBe(true);
    const resent = paramsOf(authenticator.authorize(second).authorization);
    expect(resent).toMatchObject({ nonce: 'nonce-2', nc: '00000001' });
  });

  test('a challenge without stale after credentials were sent means wrong credentials: no resend', () => {
    const authenticator = new DigestAuthenticator({ username: 'pub', password: 'wrong' });
    const first = request();
    authenticator.authorize(first);
    expect(authenticator.onUnauthorized(challenge401(challenge), first)).toBe(true);
    authenticator.authorize(first);
    expect(authenticator.onUnauthorized(challenge401(challenge.replace('nonce-1', 'nonce-2')), first)).toBe(false);
  });

  test('a 401 without a usable Digest challenge is not retried', () => {
    const authenticator = new DigestAuthenticator({ username: 'pub', password: 'priv' });
    const first = request();
    authenticator.authorize(first);
    expect(authenticator.onUnauthorized({ status: 401, headers: {}, body: undefined, text: '' }, first)).toBe(false);
    expect(authenticator.onUnauthorized(challenge401('Digest realm="r", nonce="n", qop="auth-int"'), first)).toBe(false);
  });

  test('an RFC 2069 challenge (no qop) is answered without nc and cnonce', () => {
    const authenticator = new DigestAuthenticator({ username: 'pub', password: 'priv' });
    const first = request('/x');
    authenticator.authorize(first);
    authenticator.onUnauthorized(challenge401('Digest realm="r", nonce="n"'), first);
    const params = paramsOf(authenticator.authorize(first).authorization);
    expect(params).not.toHaveProperty('nc');
    expect(params).not.toHaveProperty('qop');
    expect(params.response).toBe(digestResponse({ algorithm: 'MD5', username: 'pub', password: 'priv', realm: 'r', method: 'GET', uri: '/x', nonce: 'n', nc: '', cnonce: '' }));
  });

  test('formatNonceCount is 8 hex digits', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(255)).toBe('000000ff');
  });
});
