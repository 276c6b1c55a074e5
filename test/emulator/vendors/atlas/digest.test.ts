import { digestMatches, expectedDigestResponse, parseDigestAuthorization } from '../../../../src/emulator/vendors/atlas/digest';

/** The emulator's own Digest verification, against the RFCs' worked examples rather than the client it checks. */
describe('expectedDigestResponse (MD5, qop auth)', () => {
  test('RFC 2617 section 3.5', () => {
    expect(expectedDigestResponse({
      username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', method: 'GET', uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: '0a4f113b',
    })).toBe('6629fae49393a05397450978507c4ef1');
  });

  test('RFC 7616 section 3.9.1 (the MD5 response)', () => {
    expect(expectedDigestResponse({
      username: 'Mufasa', password: 'Circle of Life', realm: 'http-auth@example.org', method: 'GET', uri: '/dir/index.html',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  test('every input counts: a different method, uri, nc or password changes the response', () => {
    const proof = { username: 'u', password: 'p', realm: 'MMS Public API', method: 'GET', uri: '/a', nonce: 'n', nc: '00000001', cnonce: 'c' };
    const base = expectedDigestResponse(proof);
    for (const change of [{ method: 'POST' }, { uri: '/b' }, { nc: '00000002' }, { password: 'q' }, { cnonce: 'd' }]) {
      expect(expectedDigestResponse({ ...proof, ...change })).not.toBe(base);
    }
  });
});

describe('parseDigestAuthorization', () => {
  test('reads quoted and bare values, unescapes quoted pairs, lower-cases names', () => {
    const parsed = parseDigestAuthorization('Digest username="Mufasa", Realm="a \\"b\\"", nonce="x,y", uri="/dir/index.html?x=1", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1"');
    expect(Object.fromEntries(parsed!)).toEqual({
      username: 'Mufasa', realm: 'a "b"', nonce: 'x,y', uri: '/dir/index.html?x=1', qop: 'auth', nc: '00000001', cnonce: '0a4f113b', response: '6629fae49393a05397450978507c4ef1',
    });
  });

  test.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no separator between parameters', 'Digest username="a" realm="b"'],
    ['a parameter twice', 'Digest nc=00000001, nc=00000002'],
    ['an unterminated quoted string', 'Digest username="a'],
    ['a name without a value', 'Digest username'],
  ])('%s is not a Digest header it accepts', (_what, header) => {
    expect(parseDigestAuthorization(header)).toBeUndefined();
  });
});

test('digestMatches compares whole responses, hex case aside', () => {
  const expected = '6629fae49393a05397450978507c4ef1';
  expect(digestMatches(expected, expected.toUpperCase())).toBe(true);
  expect(digestMatches(expected, expected.slice(0, -1))).toBe(false);
  expect(digestMatches(expected, `${expected.slice(0, -1)}0`)).toBe(false);
});
