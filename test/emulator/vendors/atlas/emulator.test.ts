import { request } from 'undici';
import { VendorEmulator } from '../../../../src/emulator/server';
import { redactAtlasKey } from '../../../../src/emulator/vendors/atlas';
import { digestResponse, parseDigestChallenge } from '../../../../src/vendors/http/digest-auth';

let emulator: VendorEmulator;
let atlas: Record<string, string>;

beforeEach(async () => {
  emulator = await VendorEmulator.start({ atlas: { nonceLifetimeMs: 60_000 } });
  atlas = Object.fromEntries(Object.entries(emulator.describe().vendors.atlas).map(([name, value]) => [name, String(value)]));
});

afterEach(async () => {
  await emulator.stop();
});

interface Answer<T = any> { status: number; headers: Record<string, string | string[] | undefined>; body: T; text: string } // eslint-disable-line @typescript-eslint/no-explicit-any

const V2 = 'application/vnd.atlas.2023-01-01+json';
const origin = () => new URL(atlas.baseUrl).origin;

async function raw<T = any>(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const answer = await request(`${origin()}${path}`, { method: method as 'GET', headers, body });
  const text = await answer.body.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: answer.statusCode, headers: answer.headers, body: parsed as T, text };
}

/** A Digest client by hand, so tests control nonce and nc. */
class Digest {
  nonce = '';
  nc = 0;
  constructor(private readonly publicKey = atlas.publicKey, private readonly privateKey = atlas.privateKey) {}

  async challenge(path: string): Promise<Answer> {
    const answer = await raw('GET', path, { accept: V2 });
    this.nonce = parseDigestChallenge(answer.headers['www-authenticate'] as string)!.nonce;
    this.nc = 0;
    return answer;
  }

  header(method: string, uri: string, nc = ++this.nc): string {
    const ncText = nc.toString(16).padStart(8, '0');
    const cnonce = `c${nc}${Math.random()}`;
    const response = digestResponse({ algorithm: 'MD5', username: this.publicKey, password: this.privateKey, realm: 'MMS Public API', method, uri, nonce: this.nonce, nc: ncText, cnonce, qop: 'auth' });
    return `Digest username="${this.publicKey}", realm="MMS Public API", nonce="${this.nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${ncText}, cnonce="${cnonce}", response="${response}"`;
  }

  async call<T = any>(method: string, path: string, options: { accept?: string; json?: unknown; nc?: number } = {}): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!this.nonce) await this.challenge(path);
    const headers: Record<string, string> = { accept: options.accept ?? V2, authorization: this.header(method, path, options.nc) };
    if (options.json !== undefined) headers['content-type'] = options.accept ?? V2;
    return raw<T>(method, path, headers, options.json === undefined ? undefined : JSON.stringify(options.json));
  }
}

/** The buckets see no time pass, so counts depend on requests alone, never on how fast the machine is. */
const freezeRateLimitClock = () => {
  const frozen = Date.now();
  emulator.atlas.rateLimitClock = () => frozen;
};

const keysPath = (version = 'v2', org = atlas.orgId) => `/atlas/api/atlas/${version}/orgs/${org}/apiKeys`;

async function token(clientId = atlas.clientId, clientSecret = atlas.clientSecret, body = 'grant_type=client_credentials'): Promise<Answer> {
  return raw('POST', '/atlas/api/oauth/token', {
    authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded',
  }, body);
}

async function bearer<T = any>(method: string, path: string, options: { accept?: string; json?: unknown; token?: string } = {}): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const value = options.token ?? (await token()).body.access_token;
  const headers: Record<string, string> = { accept: options.accept ?? V2, authorization: `Bearer ${value}` };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  return raw<T>(method, path, headers, options.json === undefined ? undefined : JSON.stringify(options.json));
}

function expectApiError(answer: Answer, status: number, errorCode: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ error: status, errorCode });
  expect(typeof answer.body.detail).toBe('string');
  expect(Array.isArray(answer.body.parameters)).toBe(true);
  expect(typeof answer.body.reason).toBe('string');
}

describe('digest authentication', () => {
  test('no credentials: 401 with the challenge exactly as MongoDB documents it', async () => {
    const answer = await raw('GET', keysPath(), { accept: V2 });
    expectApiError(answer, 401, 'USER_UNAUTHORIZED');
    expect(answer.headers['www-authenticate']).toMatch(/^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/=]+", algorithm=MD5, qop="auth", stale=false$/);
    expect(answer.headers['content-type']).toBe('application/json;charset=ISO-8859-1');
  });

  test('the documented op="auth" spelling can be switched on', async () => {
    emulator.atlas.settings.challengeQopName = 'op';
    const answer = await raw('GET', keysPath(), { accept: V2 });
    expect(answer.headers['www-authenticate']).toMatch(/, algorithm=MD5, op="auth", stale=false$/);
  });

  test('a correct digest is accepted, successes carry RateLimit headers and the versioned media type', async () => {
    freezeRateLimitClock();
    const digest = new Digest();
    const answer = await digest.call('GET', keysPath());
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(V2);
    expect(answer.headers['ratelimit-limit']).toBe('100');
    expect(answer.headers['ratelimit-remaining']).toBe('99');
    expect((await digest.call('GET', keysPath())).headers['ratelimit-remaining']).toBe('98');
  });

  test('the nonce is reused with increasing nc; a replayed nc is rejected without stale', async () => {
    const digest = new Digest();
    expect((await digest.call('GET', keysPath(), { nc: 1 })).status).toBe(200);
    expect((await digest.call('GET', keysPath(), { nc: 2 })).status).toBe(200);
    const replay = await digest.call('GET', keysPath(), { nc: 2 });
    expect(replay.status).toBe(401);
    expect(replay.headers['www-authenticate']).toContain('stale=false');
    expect((await digest.call('GET', keysPath(), { nc: 3 })).status).toBe(200);
  });

  test('an expired nonce with a correct digest draws stale=true and a new nonce', async () => {
    const digest = new Digest();
    expect((await digest.call('GET', keysPath())).status).toBe(200);
    emulator.atlas.expireNonces();
    const stale = await digest.call('GET', keysPath());
    expect(stale.status).toBe(401);
    const fresh = parseDigestChallenge(stale.headers['www-authenticate'] as string)!;
    expect(fresh.stale).toBe(true);
    expect(fresh.nonce).not.toBe(digest.nonce);
    digest.nonce = fresh.nonce;
    digest.nc = 0;
    expect((await digest.call('GET', keysPath())).status).toBe(200);
  });

  test('the nonce lifetime is a setting', async () => {
    const digest = new Digest();
    await digest.challenge(keysPath());
    emulator.atlas.settings.nonceLifetimeMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await digest.call('GET', keysPath())).headers['www-authenticate']).toContain('stale=true');
  });

  test('a wrong private key, a signature for another uri, and Basic auth are all 401 without stale', async () => {
    const wrong = new Digest(atlas.publicKey, '00000000-0000-0000-0000-000000000000');
    const bad = await wrong.call('GET', keysPath());
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toContain('stale=false');

    const digest = new Digest();
    await digest.challenge(keysPath());
    const otherUri = await raw('GET', keysPath(), { accept: V2, authorization: digest.header('GET', `${keysPath()}?pageNum=2`) });
    expect(otherUri.status).toBe(401);

    const basic = await raw('GET', keysPath(), { accept: V2, authorization: `Basic ${Buffer.from(`${atlas.publicKey}:${atlas.privateKey}`).toString('base64')}` });
    expectApiError(basic, 401, 'USER_UNAUTHORIZED');
    expect(basic.body.detail).toBe('You are not authorized for this resource.');
  });

  test('a key without ORG_OWNER reads but cannot write; a key of another organization cannot read', async () => {
    const reader = emulator.atlas.addKey(atlas.orgId, { desc: 'reader', roles: ['ORG_READ_ONLY'] });
    const digest = new Digest(reader.publicKey, reader.privateKey);
    expect((await digest.call('GET', keysPath())).status).toBe(200);
    const write = await digest.call('POST', keysPath(), { json: { desc: 'x', roles: ['ORG_MEMBER'] } });
    expectApiError(write, 401, 'USER_UNAUTHORIZED');
    expect(write.body.detail).toBe('Current user is not authorized to perform this action.');
    expectApiError(await new Digest().call('GET', keysPath('v2', atlas.orgId_1)), 401, 'USER_UNAUTHORIZED');
  });
});

describe('service accounts (OAuth client credentials)', () => {
  test('the token endpoint answers {access_token, token_type: Bearer, expires_in}', async () => {
    const answer = await token();
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(answer.body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect((await bearer('GET', keysPath(), { token: answer.body.access_token })).status).toBe(200);
  });

  test('the token lifetime is configurable, and an expired token is refused', async () => {
    emulator.atlas.settings.tokenLifetimeSeconds = 2;
    const answer = await token();
    expect(answer.body.expires_in).toBe(2);
    emulator.atlas.expireTokens();
    const refused = await bearer('GET', keysPath(), { token: answer.body.access_token });
    expectApiError(refused, 401, 'USER_UNAUTHORIZED');
  });

  test('wrong client credentials, a wrong grant and a non-form body are refused in OAuth error shape', async () => {
    const wrong = await token(atlas.clientId, 'mdb_sa_sk_wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'Invalid client credentials.' });
    const grant = await token(atlas.clientId, atlas.clientSecret, 'grant_type=password');
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    const json = await raw('POST', '/atlas/api/oauth/token', {
      authorization: `Basic ${Buffer.from(`${atlas.clientId}:${atlas.clientSecret}`).toString('base64')}`, 'content-type': 'application/json',
    }, '{"grant_type":"client_credentials"}');
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
  });

  test('revoke ends a token; revoking an unknown token is still 200', async () => {
    const { access_token: value } = (await token()).body;
    const basic = `Basic ${Buffer.from(`${atlas.clientId}:${atlas.clientSecret}`).toString('base64')}`;
    const revoke = (tokenValue: string) => raw('POST', '/atlas/api/oauth/revoke', { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, `token=${tokenValue}&token_type_hint=access_token`);
    expect((await revoke(value)).status).toBe(200);
    expect((await bearer('GET', keysPath(), { token: value })).status).toBe(401);
    expect((await revoke('unknown')).status).toBe(200);
  });

  test('a service account reaches only its own organization', async () => {
    expectApiError(await bearer('GET', keysPath('v2', atlas.orgId_1)), 401, 'USER_UNAUTHORIZED');
  });
});

describe('versions', () => {
  test.each([
    ['no Accept', undefined],
    ['plain JSON', 'application/json'],
    ['a date before 2023-01-01', 'application/vnd.atlas.2022-12-31+json'],
    ['a malformed date', 'application/vnd.atlas.2023-13-45+json'],
  ])('v2 with %s is 406 INVALID_VERSION_DATE', async (_label, accept) => {
    const answer = await bearer('GET', keysPath(), { accept: accept ?? '' });
    expectApiError(answer, 406, 'INVALID_VERSION_DATE');
    expect(answer.body.detail).toBe('Invalid accept header or version date.');
  });

  test('a later dated version is served and echoed', async () => {
    const answer = await bearer('GET', keysPath(), { accept: 'application/vnd.atlas.2025-03-12+json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/vnd.atlas.2025-03-12+json');
  });

  test('the 406 can be switched off (lenient)', async () => {
    emulator.atlas.settings.versionedAccept = 'lenient';
    const answer = await bearer('GET', keysPath(), { accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(V2);
  });

  test('v1.0 speaks plain JSON with the same resource', async () => {
    const answer = await bearer('GET', keysPath('v1.0'), { accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body.results[0].links[0].href).toBe(`${origin()}/atlas/api/atlas/v1.0/orgs/${atlas.orgId}/apiKeys/${answer.body.results[0].id}`);
  });
});

describe('listing', () => {
  beforeEach(() => {
    for (let index = 0; index < 6; index++) emulator.atlas.addKey(atlas.orgId, { desc: `k${index}`, roles: ['ORG_MEMBER'] });
  });

  test('pages with links: self, then next and previous where relevant; totalCount counts all keys', async () => {
    const first = await bearer('GET', `${keysPath()}?pageNum=1&itemsPerPage=3`);
    expect(first.body.totalCount).toBe(7);
    expect(first.body.results.map((key: { desc: string }) => key.desc)).toEqual(['emulator bootstrap key', 'k0', 'k1']);
    const href = (page: number) => `${origin()}${keysPath()}?pageNum=${page}&itemsPerPage=3`;
    expect(first.body.links).toEqual([{ href: href(1), rel: 'self' }, { href: href(2), rel: 'next' }]);
    const middle = await bearer('GET', `${keysPath()}?pageNum=2&itemsPerPage=3`);
    expect(middle.body.links).toEqual([{ href: href(2), rel: 'self' }, { href: href(1), rel: 'previous' }, { href: href(3), rel: 'next' }]);
    const last = await bearer('GET', `${keysPath()}?pageNum=3&itemsPerPage=3`);
    expect(last.body.results.map((key: { desc: string }) => key.desc)).toEqual(['k5']);
    expect(last.body.links).toEqual([{ href: href(3), rel: 'self' }, { href: href(2), rel: 'previous' }]);
    const beyond = await bearer('GET', `${keysPath()}?pageNum=9&itemsPerPage=3`);
    expect(beyond.body.results).toEqual([]);
  });

  test('defaults: pageNum 1, itemsPerPage 100, includeCount true; includeCount=false omits totalCount', async () => {
    const answer = await bearer('GET', keysPath());
    expect(answer.body.results).toHaveLength(7);
    expect(answer.body.links[0].href).toContain('pageNum=1&itemsPerPage=100');
    const uncounted = await bearer('GET', `${keysPath()}?includeCount=false`);
    expect(uncounted.body).not.toHaveProperty('totalCount');
  });

  test.each([['itemsPerPage=0', 'itemsPerPage'], ['itemsPerPage=501', 'itemsPerPage'], ['pageNum=0', 'pageNum'], ['pageNum=x', 'pageNum'], ['includeCount=maybe', 'includeCount']])(
    '%s is 400 VALIDATION_ERROR naming the field', async (query, field) => {
      const answer = await bearer('GET', `${keysPath()}?${query}`);
      expectApiError(answer, 400, 'VALIDATION_ERROR');
      expect(answer.body.badRequestDetail.fields[0].field).toBe(field);
    },
  );

  test('itemsPerPage=500 is accepted', async () => {
    expect((await bearer('GET', `${keysPath()}?itemsPerPage=500`)).status).toBe(200);
  });

  test('each key: desc, id, links, redacted privateKey, publicKey, roles (project roles too)', async () => {
    const stored = emulator.atlas.organization(atlas.orgId)!.keys.all()[1];
    emulator.atlas.updateKey(atlas.orgId, stored.id, { projectRoles: [{ groupId: '5898b95f87d9d6270e8995d9', roleName: 'GROUP_OWNER' }] });
    const answer = await bearer('GET', keysPath());
    const listed = answer.body.results[1];
    expect(Object.keys(listed).sort()).toEqual(['desc', 'id', 'links', 'privateKey', 'publicKey', 'roles']);
    expect(listed).toMatchObject({ id: stored.id, desc: 'k0', publicKey: stored.publicKey, privateKey: redactAtlasKey(stored.privateKey) });
    expect(listed.roles).toEqual([{ groupId: '5898b95f87d9d6270e8995d9', roleName: 'GROUP_OWNER' }, { orgId: atlas.orgId, roleName: 'ORG_MEMBER' }]);
    expect(answer.text).not.toContain(stored.privateKey);
    for (const key of emulator.atlas.organization(atlas.orgId)!.keys.all()) expect(answer.text).not.toContain(key.privateKey);
  });

  test('an invalid organization id is 400, an unknown one 404', async () => {
    expectApiError(await bearer('GET', keysPath('v2', 'not-an-id')), 400, 'INVALID_ORG_ID');
    expectApiError(await bearer('GET', keysPath('v2', 'aaaaaaaaaaaaaaaaaaaaaaaa')), 404, 'ORG_NOT_FOUND');
  });
});

describe('create, get, update, delete', () => {
  test('create answers 200 with the whole private key; get shows the mask', async () => {
    const created = await bearer('POST', keysPath(), { json: { desc: 'ci', roles: ['ORG_MEMBER', 'ORG_MEMBER', 'ORG_READ_ONLY'] } });
    expect(created.status).toBe(200);
    expect(created.body.privateKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.body.publicKey).toMatch(/^[a-z]{8}$/);
    expect(created.body.id).toMatch(/^[a-f0-9]{24}$/);
    expect(created.body.roles).toEqual([{ orgId: atlas.orgId, roleName: 'ORG_MEMBER' }, { orgId: atlas.orgId, roleName: 'ORG_READ_ONLY' }]);
    const fetched = await bearer('GET', `${keysPath()}/${created.body.id}`);
    expect(fetched.body.privateKey).toBe(`********-****-****-${created.body.privateKey.slice(-12)}`);
    expect(fetched.text).not.toContain(created.body.privateKey);
    // A created key can itself authenticate.
    const digest = new Digest(created.body.publicKey, created.body.privateKey);
    expect((await digest.call('GET', keysPath())).status).toBe(200);
  });

  test.each([
    ['no desc', { roles: ['ORG_MEMBER'] }, 'VALIDATION_ERROR', 'desc'],
    ['an empty desc', { desc: '', roles: ['ORG_MEMBER'] }, 'VALIDATION_ERROR', 'desc'],
    ['a desc of 251 characters', { desc: 'x'.repeat(251), roles: ['ORG_MEMBER'] }, 'VALIDATION_ERROR', 'desc'],
    ['no roles', { desc: 'x' }, 'VALIDATION_ERROR', 'roles'],
    ['empty roles', { desc: 'x', roles: [] }, 'VALIDATION_ERROR', 'roles'],
    ['a project role', { desc: 'x', roles: ['GROUP_OWNER'] }, 'INVALID_ENUM_VALUE', 'roles'],
  ])('create with %s is 400', async (_label, json, errorCode, field) => {
    const answer = await bearer('POST', keysPath(), { json });
    expectApiError(answer, 400, errorCode);
    expect(answer.body.badRequestDetail.fields[0].field).toBe(field);
  });

  test('a desc of 250 characters and every organization role are accepted', async () => {
    const roles = ['ORG_OWNER', 'ORG_MEMBER', 'ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN', 'ORG_BILLING_READ_ONLY', 'ORG_READ_ONLY', 'ORG_STREAM_PROCESSING_ADMIN'];
    expect((await bearer('POST', keysPath(), { json: { desc: 'x'.repeat(250), roles } })).status).toBe(200);
  });

  test('a body that is not JSON is refused', async () => {
    const value = (await token()).body.access_token;
    const answer = await raw('POST', keysPath(), { accept: V2, authorization: `Bearer ${value}`, 'content-type': 'text/plain' }, 'desc=x');
    expectApiError(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('PATCH replaces the organization roles by default, merges them when switched', async () => {
    const created = (await bearer('POST', keysPath(), { json: { desc: 'ci', roles: ['ORG_MEMBER'] } })).body;
    const replaced = await bearer('PATCH', `${keysPath()}/${created.id}`, { json: { roles: ['ORG_BILLING_ADMIN'] } });
    expect(replaced.body.roles).toEqual([{ orgId: atlas.orgId, roleName: 'ORG_BILLING_ADMIN' }]);
    expect(replaced.body.privateKey).toMatch(/^\*{8}-/);
    emulator.atlas.settings.patchRoles = 'merge';
    const merged = await bearer('PATCH', `${keysPath()}/${created.id}`, { json: { desc: 'renamed', roles: ['ORG_READ_ONLY'] } });
    expect(merged.body.desc).toBe('renamed');
    expect(merged.body.roles.map((role: { roleName: string }) => role.roleName)).toEqual(['ORG_BILLING_ADMIN', 'ORG_READ_ONLY']);
  });

  test('PATCH with neither desc nor roles, or with invalid values, is 400', async () => {
    const created = (await bearer('POST', keysPath(), { json: { desc: 'ci', roles: ['ORG_MEMBER'] } })).body;
    expectApiError(await bearer('PATCH', `${keysPath()}/${created.id}`, { json: {} }), 400, 'VALIDATION_ERROR');
    expectApiError(await bearer('PATCH', `${keysPath()}/${created.id}`, { json: { roles: [] } }), 400, 'VALIDATION_ERROR');
    expectApiError(await bearer('PATCH', `${keysPath()}/${created.id}`, { json: { roles: ['ORG_ADMIN'] } }), 400, 'INVALID_ENUM_VALUE');
    expectApiError(await bearer('PATCH', `${keysPath()}/${created.id}`, { json: { desc: '' } }), 400, 'VALIDATION_ERROR');
  });

  test('DELETE answers 204 on v2 and 200 on v1.0, both without a body; then 404', async () => {
    const first = (await bearer('POST', keysPath(), { json: { desc: 'a', roles: ['ORG_MEMBER'] } })).body;
    const second = (await bearer('POST', keysPath(), { json: { desc: 'b', roles: ['ORG_MEMBER'] } })).body;
    const v2 = await bearer('DELETE', `${keysPath()}/${first.id}`);
    expect(v2.status).toBe(204);
    expect(v2.text).toBe('');
    const v1 = await bearer('DELETE', `${keysPath('v1.0')}/${second.id}`, { accept: 'application/json' });
    expect(v1.status).toBe(200);
    expect(v1.text).toBe('');
    expectApiError(await bearer('DELETE', `${keysPath()}/${first.id}`), 404, 'RESOURCE_NOT_FOUND');
    expectApiError(await bearer('GET', `${keysPath()}/${first.id}`), 404, 'RESOURCE_NOT_FOUND');
    expectApiError(await bearer('GET', `${keysPath()}/not-an-id`), 400, 'INVALID_API_KEY_ID');
  });

  test('an unknown path is a 404 ApiError', async () => {
    expectApiError(await raw('GET', '/atlas/api/atlas/v2/nothing'), 404, 'RESOURCE_NOT_FOUND');
  });
});

describe('rate limiting', () => {
  test.each(['RATE_LIMITED', 'RATE_LIMITED_TOKEN_BUCKET'] as const)('an empty bucket answers 429 %s with Retry-After', async (errorCode) => {
    freezeRateLimitClock();
    Object.assign(emulator.atlas.settings.rateLimit, { capacity: 2, refillAmount: 1, refillPeriodSeconds: 5, errorCode });
    const value = (await token()).body.access_token;
    expect((await bearer('GET', keysPath(), { token: value })).headers['ratelimit-remaining']).toBe('1');
    expect((await bearer('GET', keysPath(), { token: value })).headers['ratelimit-remaining']).toBe('0');
    const limited = await bearer('GET', keysPath(), { token: value });
    expectApiError(limited, 429, errorCode);
    expect(limited.headers['retry-after']).toBe('5'); // a whole token at 1 per 5 s, with no time passing
    expect(limited.body.reason).toBe('Too Many Requests');
    if (errorCode === 'RATE_LIMITED_TOKEN_BUCKET') {
      expect(limited.body.detail).toMatch(/^Rate limit exceeded for api\/atlas\/v2\/orgs\. Please retry after \d seconds\. Request capacity: 2\. Refill rate: 1 per 5 seconds\.$/);
      expect(limited.body.parameters).toEqual(['api/atlas/v2/orgs', Number(limited.headers['retry-after']), 2, 1, 5]);
    }
    // Other organizations have their own bucket.
    const other = await raw('GET', keysPath('v2', atlas.orgId_1), { accept: V2, authorization: `Bearer ${(await token(atlas.clientId_1, atlas.clientSecret_1)).body.access_token}` });
    expect(other.status).toBe(200);
  });
});

describe('credentials, control routes and the request log', () => {
  const control = (method: string, path: string, json?: unknown) =>
    raw(method, `/_emulator/atlas${path}`, json === undefined ? {} : { 'content-type': 'application/json' }, json === undefined ? undefined : JSON.stringify(json));

  test('credentials() lists a key pair and a service account per organization', () => {
    expect(atlas.baseUrl).toBe(`${emulator.url}/atlas`);
    for (const suffix of ['', '_1']) {
      expect(atlas[`orgId${suffix}`]).toMatch(/^[a-f0-9]{24}$/);
      expect(atlas[`publicKey${suffix}`]).toMatch(/^[a-z]{8}$/);
      expect(atlas[`privateKey${suffix}`]).toMatch(/^[0-9a-f-]{36}$/);
      expect(atlas[`clientId${suffix}`]).toMatch(/^mdb_sa_id_[0-9a-f]{24}$/);
      expect(atlas[`clientSecret${suffix}`]).toMatch(/^mdb_sa_sk_[0-9a-f]{40}$/);
    }
    expect(atlas.orgId).not.toBe(atlas.orgId_1);
  });

  test('settings can be read and switched over HTTP', async () => {
    const patched = await control('PATCH', '/settings', { versionedAccept: 'lenient', patchRoles: 'merge', rateLimit: { errorCode: 'RATE_LIMITED' }, unknown: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ versionedAccept: 'lenient', patchRoles: 'merge', rateLimit: { errorCode: 'RATE_LIMITED', capacity: 100 } });
    expect(patched.body).not.toHaveProperty('unknown');
    expect(emulator.atlas.settings.patchRoles).toBe('merge');
    expect((await control('GET', '/settings')).body).toEqual(emulator.atlas.settings);
  });

  test('keys can be added (answering the private key once, as a create does), changed and revoked out of band; listings never show the private key', async () => {
    const added = await control('POST', `/orgs/${atlas.orgId}/apiKeys`, { desc: 'console key', roles: ['ORG_READ_ONLY'] });
    expect(added.status).toBe(200);
    const stored = emulator.atlas.organization(atlas.orgId)!.keys.get(added.body.id)!;
    expect(added.body.privateKey).toBe(stored.privateKey);
    expect((await control('GET', `/orgs/${atlas.orgId}/apiKeys`)).text).toContain(redactAtlasKey(stored.privateKey));
    expect((await control('GET', `/orgs/${atlas.orgId}/apiKeys`)).text).not.toContain(stored.privateKey);
    const changed = await control('PATCH', `/orgs/${atlas.orgId}/apiKeys/${added.body.id}`, { desc: 'edited', roles: ['ORG_OWNER'], privateKey: 'ignored' });
    expect(changed.body).toMatchObject({ desc: 'edited', roles: [{ orgId: atlas.orgId, roleName: 'ORG_OWNER' }] });
    expect(stored.privateKey).not.toBe('ignored');
    const listed = await control('GET', '/orgs');
    expect(listed.body.map((org: { id: string }) => org.id)).toEqual([atlas.orgId, atlas.orgId_1]);
    expect(listed.text).not.toContain(stored.privateKey);
    expect((await control('DELETE', `/orgs/${atlas.orgId}/apiKeys/${added.body.id}`)).status).toBe(200);
    expect((await control('DELETE', `/orgs/${atlas.orgId}/apiKeys/${added.body.id}`)).status).toBe(404);
  });

  test('nonces and tokens can be expired over HTTP', async () => {
    const digest = new Digest();
    expect((await digest.call('GET', keysPath())).status).toBe(200);
    expect((await control('POST', '/nonces/expire')).status).toBe(204);
    expect((await digest.call('GET', keysPath())).headers['www-authenticate']).toContain('stale=true');
    const value = (await token()).body.access_token;
    expect((await control('POST', '/tokens/expire')).status).toBe(204);
    expect((await bearer('GET', keysPath(), { token: value })).status).toBe(401);
  });

  test('the request log holds paths and statuses, never credentials', async () => {
    await new Digest().call('GET', keysPath());
    await bearer('GET', keysPath());
    const log = JSON.stringify(emulator.requests);
    expect(emulator.requestsTo('atlas').map((record) => record.status)).toEqual([401, 200, 200, 200]);
    for (const secret of [atlas.privateKey, atlas.clientSecret, ...emulator.atlas.issuedTokens()]) expect(log).not.toContain(secret);
  });
});
