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

interface Answer<T = any> { status: number; headers: Record<string, string | string[] | undefined>; body: T; text: string } // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON

const V2 = 'application/vnd.atlas.2023-01-01+json';
const origin = () => new URL(atlas.baseUrl).origin;

async function raw<T = any>(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
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

  async call<T = any>(method: string, path: string, options: { accept?: string; json?: unknown; nc?: number } = {}): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
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

async function bearer<T = any>(method: string, path: string, options: { accept?: string; json?: unknown; token?: string } = {}): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
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

describe('keys made through the API are credentials, with their organization roles', () => {
  test('a new ORG_MEMBER key lists (any role reads) but cannot create, change or revoke (ORG_OWNER writes)', async () => {
    const created = (await new Digest().call('POST', keysPath(), { json: { desc: 'reader', roles: ['ORG_MEMBER'] } })).body;
    const reader = new Digest(created.publicKey, created.privateKey);
    expect((await reader.call('GET', keysPath())).status).toBe(200);
    expect((await reader.call('GET', `${keysPath()}/${created.id}/accessList`)).status).toBe(200);
    expectApiError(await reader.call('POST', keysPath(), { json: { desc: 'x', roles: ['ORG_MEMBER'] } }), 401, 'USER_UNAUTHORIZED');
    expectApiError(await reader.call('PATCH', `${keysPath()}/${created.id}`, { json: { desc: 'x' } }), 401, 'USER_UNAUTHORIZED');
    expectApiError(await reader.call('POST', `${keysPath()}/${created.id}/accessList`, { json: [{ ipAddress: '127.0.0.1' }] }), 401, 'USER_UNAUTHORIZED');
    expectApiError(await reader.call('DELETE', `${keysPath()}/${created.id}`), 401, 'USER_UNAUTHORIZED');
    // Another organization is out of reach whatever the role.
    expectApiError(await reader.call('GET', keysPath('v2', atlas.orgId_1)), 401, 'USER_UNAUTHORIZED');
  });

  test('a new ORG_OWNER key creates and revokes keys; once revoked it no longer signs in', async () => {
    const owner = (await new Digest().call('POST', keysPath(), { json: { desc: 'owner', roles: ['ORG_OWNER'] } })).body;
    const signed = new Digest(owner.publicKey, owner.privateKey);
    const made = await signed.call('POST', keysPath(), { json: { desc: 'by the new owner', roles: ['ORG_READ_ONLY'] } });
    expect(made.status).toBe(200);
    expect((await signed.call('DELETE', `${keysPath()}/${made.body.id}`)).status).toBe(204);
    emulator.atlas.revokeKey(atlas.orgId, owner.id);
    expectApiError(await signed.call('GET', keysPath()), 401, 'USER_UNAUTHORIZED');
  });
});

describe('access lists: where Atlas keeps a key\'s last use', () => {
  const accessList = (keyId: string, version = 'v2') => `${keysPath(version)}/${keyId}/accessList`;
  const bootstrapId = () => emulator.atlas.organization(atlas.orgId)!.bootstrapKey.id;
  /** A key the tests give entries to, so that the caller (the bootstrap key) stays usable from 127.0.0.1. */
  const otherKeyId = () => emulator.atlas.addKey(atlas.orgId, { desc: 'listed', roles: ['ORG_MEMBER'] }).id;

  test('POST adds entries and answers the whole list, paged; GET lists them; no usage before a request', async () => {
    const digest = new Digest();
    const keyId = otherKeyId();
    const added = await digest.call('POST', accessList(keyId), { json: [{ ipAddress: '203.0.113.10' }, { cidrBlock: '198.51.100.0/24' }] });
    expect(added.status).toBe(200);
    expect(added.headers['content-type']).toBe(V2);
    expect(added.body).toMatchObject({ totalCount: 2, links: [{ rel: 'self' }] });
    expect(added.body.results).toEqual([
      { ipAddress: '203.0.113.10', created: expect.any(String), links: [{ href: expect.stringMatching(/\/accessList\/203\.0\.113\.10$/), rel: 'self' }] },
      { cidrBlock: '198.51.100.0/24', created: expect.any(String), links: [{ href: expect.stringMatching(/\/accessList\/198\.51\.100\.0%2F24$/), rel: 'self' }] },
    ]);
    expect(Date.parse(added.body.results[0].created)).toBeGreaterThan(Date.now() - 60_000);
    const page = await digest.call('GET', `${accessList(keyId)}?itemsPerPage=1&pageNum=2`);
    expect(page.body.results.map((entry: { cidrBlock?: string }) => entry.cidrBlock)).toEqual(['198.51.100.0/24']);
    expect(page.body.links.map((link: { rel: string }) => link.rel)).toEqual(['self', 'previous']);
  });

  test('a digest request through a matching entry records lastUsed, lastUsedAddress and count there, and only there', async () => {
    emulator.atlas.addAccessListEntry(atlas.orgId, bootstrapId(), { cidrBlock: '127.0.0.0/8' });
    emulator.atlas.addAccessListEntry(atlas.orgId, bootstrapId(), { ipAddress: '192.0.2.1' });
    const digest = new Digest();
    const before = Date.now();
    await digest.call('GET', keysPath());
    const listed = await digest.call('GET', accessList(bootstrapId()));
    const [loopback, other] = listed.body.results;
    expect(loopback).toMatchObject({ cidrBlock: '127.0.0.0/8', lastUsedAddress: '127.0.0.1', count: 2 });
    expect(Date.parse(loopback.lastUsed)).toBeGreaterThanOrEqual(before - 1000);
    expect(other).not.toHaveProperty('lastUsed');
    expect(other).not.toHaveProperty('count');
  });

  test('a key whose entries all miss the caller is refused with 403; with accessList "recorded" it passes, unrecorded', async () => {
    emulator.atlas.addAccessListEntry(atlas.orgId, bootstrapId(), { ipAddress: '192.0.2.1' });
    const digest = new Digest();
    expectApiError(await digest.call('GET', keysPath()), 403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST');
    emulator.atlas.settings.accessList = 'recorded';
    expect((await digest.call('GET', keysPath())).status).toBe(200);
    expect(emulator.atlas.organization(atlas.orgId)!.bootstrapKey.accessList[0]).toMatchObject({ lastUsed: null, count: 0 });
  });

  test('a key without entries, and service-account calls, leave no usage data', async () => {
    await new Digest().call('GET', keysPath());
    await bearer('GET', keysPath());
    expect((await bearer('GET', accessList(bootstrapId()))).body).toMatchObject({ results: [], totalCount: 0 });
    emulator.atlas.addAccessListEntry(atlas.orgId, bootstrapId(), { ipAddress: '127.0.0.1' });
    await bearer('GET', keysPath());
    expect(emulator.atlas.organization(atlas.orgId)!.bootstrapKey.accessList[0].count).toBe(0);
  });

  test('GET and DELETE one entry (a range URL-encoded), in v2 and v1.0', async () => {
    const digest = new Digest();
    await digest.call('POST', accessList(bootstrapId()), { json: [{ cidrBlock: '127.0.0.0/8' }, { ipAddress: '192.0.2.1' }] });
    const one = await digest.call('GET', `${accessList(bootstrapId())}/127.0.0.0%2F8`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ cidrBlock: '127.0.0.0/8', count: 1, lastUsedAddress: '127.0.0.1' });
    expect((await digest.call('DELETE', `${accessList(bootstrapId())}/192.0.2.1`)).status).toBe(204);
    const v1 = await digest.call('GET', accessList(bootstrapId(), 'v1.0'), { accept: 'application/json' });
    expect(v1.status).toBe(200);
    expect(v1.headers['content-type']).toBe('application/json');
    expect(v1.body.results.map((entry: { cidrBlock: string }) => entry.cidrBlock)).toEqual(['127.0.0.0/8']);
    expectApiError(await digest.call('GET', `${accessList(bootstrapId())}/192.0.2.1`), 404, 'RESOURCE_NOT_FOUND');
    expectApiError(await digest.call('DELETE', `${accessList(bootstrapId())}/192.0.2.1`), 404, 'RESOURCE_NOT_FOUND');
  });

  test('bad entries are a 400 naming the field, a duplicate a 409, and nothing is added', async () => {
    const digest = new Digest();
    const keyId = otherKeyId();
    const both = await digest.call('POST', accessList(keyId), { json: [{ ipAddress: '192.0.2.1', cidrBlock: '192.0.2.0/24' }] });
    expectApiError(both, 400, 'VALIDATION_ERROR');
    expect(both.body.badRequestDetail.fields[0].field).toBe('[0].ipAddress');
    expectApiError(await digest.call('POST', accessList(keyId), { json: [{ ipAddress: '192.0.2.1' }, { ipAddress: '999.0.0.1' }] }), 400, 'VALIDATION_ERROR');
    expectApiError(await digest.call('POST', accessList(keyId), { json: [{ cidrBlock: '10.0.0.0/33' }] }), 400, 'VALIDATION_ERROR');
    expectApiError(await digest.call('POST', accessList(keyId), { json: { ipAddress: '192.0.2.1' } }), 400, 'VALIDATION_ERROR');
    expect(emulator.atlas.organization(atlas.orgId)!.keys.get(keyId)!.accessList).toEqual([]);
    await digest.call('POST', accessList(keyId), { json: [{ ipAddress: '192.0.2.1' }] });
    expectApiError(await digest.call('POST', accessList(keyId), { json: [{ ipAddress: '192.0.2.1' }] }), 409, 'DUPLICATE_ACCESS_LIST_ENTRY');
  });
});

describe('aging keys: creation time in the ObjectId, last use on access-list entries', () => {
  const control = (method: string, path: string, json?: unknown) =>
    raw(method, `/_emulator/atlas${path}`, json === undefined ? {} : { 'content-type': 'application/json' }, json === undefined ? undefined : JSON.stringify(json));

  test('a key added with `created` carries it in its ObjectId, and signs in with the private key the answer gives', async () => {
    const added = await control('POST', `/orgs/${atlas.orgId}/apiKeys`, { desc: 'old key', roles: ['ORG_OWNER'], created: '2024-03-01T12:00:00Z' });
    expect(added.status).toBe(200);
    expect(added.body.id.slice(0, 8)).toBe((Date.parse('2024-03-01T12:00:00Z') / 1000).toString(16));
    expect(added.body.created).toBe('2024-03-01T12:00:00.000Z');
    expect((await new Digest(added.body.publicKey, added.body.privateKey).call('GET', keysPath())).status).toBe(200);
    expect(emulator.atlas.addKey(atlas.orgId, { desc: 'in process', roles: ['ORG_MEMBER'], created: new Date('2020-01-01T00:00:00Z') }).id.slice(0, 8)).toBe('5e0be100');
  });

  test('an entry\'s last use can be set and cleared; the API shows what was set', async () => {
    const key = emulator.atlas.addKey(atlas.orgId, { desc: 'aged', roles: ['ORG_MEMBER'] });
    expect((await control('POST', `/orgs/${atlas.orgId}/apiKeys/${key.id}/accessList`, { cidrBlock: '10.0.0.0/8' })).status).toBe(200);
    const set = await control('PATCH', `/orgs/${atlas.orgId}/apiKeys/${key.id}/accessList/10.0.0.0%2F8`, { lastUsed: '2025-01-02T03:04:05Z', lastUsedAddress: '10.1.2.3', count: 7 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ cidrBlock: '10.0.0.0/8', lastUsed: '2025-01-02T03:04:05.000Z', lastUsedAddress: '10.1.2.3', count: 7 });
    const listed = await bearer('GET', `${keysPath()}/${key.id}/accessList`);
    expect(listed.body.results[0]).toMatchObject({ lastUsed: '2025-01-02T03:04:05.000Z', lastUsedAddress: '10.1.2.3', count: 7 });
    const cleared = await control('PATCH', `/orgs/${atlas.orgId}/apiKeys/${key.id}/accessList/10.0.0.0%2F8`, { lastUsed: null });
    expect(cleared.body).not.toHaveProperty('lastUsed');
    expect((await bearer('GET', `${keysPath()}/${key.id}/accessList`)).body.results[0]).not.toHaveProperty('count');
  });

  test('control input problems are a 400 naming the field; unknown keys and entries a 404', async () => {
    const key = emulator.atlas.addKey(atlas.orgId, { desc: 'x', roles: ['ORG_MEMBER'] });
    emulator.atlas.addAccessListEntry(atlas.orgId, key.id, { ipAddress: '192.0.2.1' });
    const entry = `/orgs/${atlas.orgId}/apiKeys/${key.id}/accessList/192.0.2.1`;
    for (const [body, field] of [[{ lastUsed: 'yesterday' }, 'lastUsed'], [{}, 'lastUsed'], [{ lastUsed: null, count: 0 }, 'count']] as const) {
      const answer = await control('PATCH', entry, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain(field);
    }
    const badTime = await control('POST', `/orgs/${atlas.orgId}/apiKeys`, { created: 'soon' });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error).toContain('created');
    expect((await control('POST', `/orgs/${atlas.orgId}/apiKeys/${key.id}/accessList`, { ipAddress: '192.0.2.1' })).status).toBe(400);
    expect((await control('PATCH', `/orgs/${atlas.orgId}/apiKeys/${key.id}/accessList/192.0.2.9`, { lastUsed: null })).status).toBe(404);
    expect((await control('GET', `/orgs/${atlas.orgId}/apiKeys/${'0'.repeat(24)}/accessList`)).status).toBe(404);
    expect((await control('DELETE', entry)).body).toEqual({ deleted: true });
    expect(key.accessList).toEqual([]);
  });
});
