import { request } from 'undici';
import { VendorEmulator } from '../../../../src/emulator/server';
import { maskEdgeImpulseKey } from '../../../../src/emulator/vendors/edgeimpulse';

let emulator: VendorEmulator;
let baseUrl: string;
let apiKey: string;
let org: number;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const described = emulator.describe().vendors.edgeimpulse;
  baseUrl = described.baseUrl;
  apiKey = String(described.apiKey);
  org = Number(described.organizationId);
});

afterEach(async () => {
  await emulator.stop();
});

interface Answer<T = any> { status: number; body: T } // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON

async function call<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT', path: string, options: { key?: string | null; json?: unknown; url?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? apiKey : options.key;
  if (key !== null) headers['x-api-key'] = key;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const answer = await request(options.url ?? `${baseUrl}${path}`, { method, headers, body });
  const text = await answer.body.text();
  return { status: answer.statusCode, body: text === '' ? undefined : JSON.parse(text) };
}

const keysPath = (organizationId: number | string = org) => `/api/organizations/${organizationId}/apikeys`;

function expectFailure(answer: Answer, status: number, error: string | RegExp): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body).sort()).toEqual(['error', 'success']);
  expect(answer.body.success).toBe(false);
  if (typeof error === 'string') expect(answer.body.error).toBe(error);
  else expect(answer.body.error).toMatch(error);
}

describe('description and credentials', () => {
  test('the description line names the base URL, a bootstrap admin key and its organization', () => {
    const described = emulator.describe().vendors.edgeimpulse;
    expect(described.baseUrl).toBe(`${emulator.url}/edgeimpulse/v1`);
    expect(described.apiKey).toMatch(/^ei_[0-9a-f]{64}$/);
    expect(described.organizationId).toBe(1);
  });

  test('the default organization id and bootstrap key can be chosen', async () => {
    const custom = await VendorEmulator.start({ edgeimpulse: { organizationId: 4711, bootstrapApiKey: `ei_${'b'.repeat(40)}` } });
    try {
      expect(custom.describe().vendors.edgeimpulse).toMatchObject({ organizationId: 4711, apiKey: `ei_${'b'.repeat(40)}` });
      expect(custom.edgeimpulse.keys(4711).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    } finally {
      await custom.stop();
    }
  });
});

describe('authentication (default: 401/403 with {success:false, error})', () => {
  test('a missing x-api-key is 401', async () => {
    expectFailure(await call('GET', keysPath(), { key: null }), 401, /Missing API key/);
  });

  test('an unknown key is 401 and is not echoed', async () => {
    const wrong = `ei_${'0'.repeat(40)}`;
    const answer = await call('GET', keysPath(), { key: wrong });
    expectFailure(answer, 401, 'Invalid API key');
    expect(JSON.stringify(answer.body)).not.toContain(wrong);
  });

  test('the key must be sent as x-api-key: a bearer token is not enough', async () => {
    const answer = await request(`${baseUrl}${keysPath()}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(answer.statusCode).toBe(401);
    await answer.body.text();
  });

  test('an expired key is 401', async () => {
    const key = emulator.edgeimpulse.addKey(org, { name: 'short-lived', ttlSeconds: 60 });
    expect((await call('GET', keysPath(), { key: key.apiKey })).status).toBe(200);
    key.expires = Date.now() - 1;
    expectFailure(await call('GET', keysPath(), { key: key.apiKey }), 401, 'Invalid API key');
  });

  test('a key of another organization is 403, and so is an organization that does not exist', async () => {
    const other = emulator.edgeimpulse.addOrganization({ name: 'other' });
    expectFailure(await call('GET', keysPath(other.id)), 403, `This API key does not have access to organization ${other.id}`);
    expectFailure(await call('GET', keysPath(999)), 403, /organization 999/);
    expect((await call('GET', keysPath(other.id), { key: other.bootstrapApiKey })).status).toBe(200);
  });

  test('a member key may list but not add or revoke, unless configured', async () => {
    const member = emulator.edgeimpulse.addKey(org, { name: 'member', role: 'member' });
    expect((await call('GET', keysPath(), { key: member.apiKey })).body.success).toBe(true);
    expectFailure(await call('POST', keysPath(), { key: member.apiKey, json: { name: 'x', role: 'member' } }), 403, /requires the admin role/);
    expectFailure(await call('DELETE', `${keysPath()}/${member.id}`, { key: member.apiKey }), 403, /requires the admin role/);
    emulator.edgeimpulse.configure({ memberCanManageKeys: true });
    expect((await call('POST', keysPath(), { key: member.apiKey, json: { name: 'x', role: 'member' } })).body.success).toBe(true);
  });

  test('with authErrors=success-false every auth failure is HTTP 200', async () => {
    emulator.edgeimpulse.configure({ authErrors: 'success-false' });
    expectFailure(await call('GET', keysPath(), { key: null }), 200, /Missing API key/);
    expectFailure(await call('GET', keysPath(), { key: 'ei_nope' }), 200, 'Invalid API key');
    expectFailure(await call('GET', keysPath(999)), 200, /organization 999/);
  });

  test('a successful call records the key\'s last use', async () => {
    await call('GET', keysPath());
    const bootstrap = (await call('GET', keysPath())).body.apiKeys[0];
    expect(bootstrap.lastUsed).toEqual({ date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), ipAddress: '127.0.0.1' });
  });
});

describe('listing', () => {
  test('one unpaginated array of keys with the documented fields, never the full key', async () => {
    for (let index = 0; index < 150; index++) emulator.edgeimpulse.addKey(org, { name: `k${index}`, role: 'member' });
    const answer = await call('GET', `${keysPath()}?limit=20&offset=20`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['apiKeys', 'success']);
    expect(answer.body.apiKeys).toHaveLength(151);
    const stored = emulator.edgeimpulse.keys(org);
    expect(answer.body.apiKeys.map((key: { id: number }) => key.id)).toEqual(stored.map((key) => key.id));
    for (const key of stored) expect(JSON.stringify(answer.body)).not.toContain(key.apiKey);
    const item = answer.body.apiKeys[1];
    expect(Object.keys(item).sort()).toEqual(['apiKey', 'created', 'createdByUser', 'id', 'isTransformationJobKey', 'name', 'role']);
    expect(item).toMatchObject({ id: stored[1].id, name: 'k0', role: 'member', isTransformationJobKey: false, apiKey: `${stored[1].apiKey.slice(0, 7)}…` });
    expect(item.created).toBe(new Date(stored[1].created).toISOString());
  });

  test('expires appears only for a key with a ttl', async () => {
    const created = (await call('POST', keysPath(), { json: { name: 'ttl', role: 'admin', ttl: 90 } })).body;
    const listed = (await call('GET', keysPath())).body.apiKeys;
    const withTtl = listed.find((key: { id: number }) => key.id === created.id);
    expect(Date.parse(withTtl.expires) - Date.parse(withTtl.created)).toBe(90_000);
    expect(listed[0]).not.toHaveProperty('expires');
  });

  test('a non-numeric organization id is a validation failure', async () => {
    expectFailure(await call('GET', keysPath('acme')), 200, 'organizationId must be a number (got "acme")');
  });

  test('the mask is configurable', async () => {
    emulator.edgeimpulse.configure({ keyMask: { visiblePrefix: 3, visibleSuffix: 4, marker: '****' } });
    const [bootstrap] = (await call('GET', keysPath())).body.apiKeys;
    expect(bootstrap.apiKey).toBe(`ei_****${apiKey.slice(-4)}`);
    expect(maskEdgeImpulseKey('ei_abcdefgh', { visiblePrefix: 7, visibleSuffix: 0, marker: '…' })).toBe('ei_abcd…');
  });
});

describe('add', () => {
  test('answers {success, id, apiKey} with the full key, which then authenticates', async () => {
    const answer = await call('POST', keysPath(), { json: { name: 'ci', role: 'admin' } });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['apiKey', 'id', 'success']);
    expect(answer.body).toMatchObject({ success: true, id: expect.any(Number), apiKey: expect.stringMatching(/^ei_[0-9a-f]{64}$/) });
    expect((await call('GET', keysPath(), { key: answer.body.apiKey })).status).toBe(200);
  });

  test('accepts a caller-supplied key of at least 32 characters starting with ei_', async () => {
    const custom = `ei_${'c'.repeat(29)}`;
    const answer = await call('POST', keysPath(), { json: { name: 'custom', role: 'member', apiKey: custom } });
    expect(answer.body).toEqual({ success: true, id: expect.any(Number), apiKey: custom });
    expect(emulator.edgeimpulse.findKey(org, answer.body.id)).toMatchObject({ apiKey: custom, role: 'member' });
  });

  test.each([
    [{ role: 'admin' }, 'Missing parameter "name"'],
    [{ name: '', role: 'admin' }, 'Missing parameter "name"'],
    [{ name: 'x' }, 'Invalid role, should be one of: admin, member'],
    [{ name: 'x', role: 'owner' }, 'Invalid role, should be one of: admin, member'],
    [{ name: 'x', role: 'admin', apiKey: `ei_${'c'.repeat(28)}` }, 'API key needs to start with "ei_" and be at least 32 characters long'],
    [{ name: 'x', role: 'admin', apiKey: `sk_${'c'.repeat(40)}` }, 'API key needs to start with "ei_" and be at least 32 characters long'],
    [{ name: 'x', role: 'admin', ttl: 0 }, 'ttl must be a positive whole number of seconds'],
    [{ name: 'x', role: 'admin', ttl: 1.5 }, 'ttl must be a positive whole number of seconds'],
  ])('refuses %j with HTTP 200 and success:false by default', async (body, error) => {
    expectFailure(await call('POST', keysPath(), { json: body }), 200, error);
    expect(emulator.edgeimpulse.keys(org)).toHaveLength(1);
  });

  test('refuses a caller-supplied key that already exists', async () => {
    expectFailure(await call('POST', keysPath(), { json: { name: 'dup', role: 'admin', apiKey } }), 200, 'This API key already exists');
  });

  test('refuses a body that is not a JSON object', async () => {
    const answer = await request(`${baseUrl}${keysPath()}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'text/plain' }, body: 'name=x' });
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toEqual({ success: false, error: 'Request body must be a JSON object' });
  });

  test('with validationErrors=http-status, invalid input is a 400', async () => {
    emulator.edgeimpulse.configure({ validationErrors: 'http-status' });
    expectFailure(await call('POST', keysPath(), { json: { name: 'x', role: 'owner' } }), 400, /Invalid role/);
  });
});

describe('revoke', () => {
  test('answers {success:true}; a second revoke is a success:false 200 by default', async () => {
    const created = (await call('POST', keysPath(), { json: { name: 'gone', role: 'admin' } })).body;
    expect(await call('DELETE', `${keysPath()}/${created.id}`)).toEqual({ status: 200, body: { success: true } });
    expect(emulator.edgeimpulse.findKey(org, created.id)).toBeUndefined();
    expectFailure(await call('DELETE', `${keysPath()}/${created.id}`), 200, `API key ${created.id} not found`);
  });

  test('with validationErrors=http-status an unknown key is a 404', async () => {
    emulator.edgeimpulse.configure({ validationErrors: 'http-status' });
    expectFailure(await call('DELETE', `${keysPath()}/424242`), 404, 'API key 424242 not found');
    expectFailure(await call('DELETE', `${keysPath()}/abc`), 404, 'API key abc not found');
  });

  test('a key of another organization cannot be revoked through this one', async () => {
    const other = emulator.edgeimpulse.addOrganization();
    const foreign = emulator.edgeimpulse.addKey(other.id, { name: 'foreign' });
    expectFailure(await call('DELETE', `${keysPath()}/${foreign.id}`), 200, /not found/);
    expect(emulator.edgeimpulse.findKey(other.id, foreign.id)).toBeDefined();
  });

  test('an unknown path is a 404 in the same shape', async () => {
    expectFailure(await call('GET', '/api/organizations'), 404, 'Cannot GET /v1/api/organizations');
  });
});

describe('control routes', () => {
  const control = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT', path: string, json?: unknown) =>
    call(method, '', { url: `${emulator.url}/_emulator/edgeimpulse${path}`, key: null, json });

  test('settings can be read and changed; nonsense is refused', async () => {
    expect((await control('GET', '/settings')).body).toEqual({
      authErrors: 'http-status', validationErrors: 'success-false', memberCanManageKeys: false, keyMask: { visiblePrefix: 7, visibleSuffix: 0, marker: '…' },
    });
    const changed = await control('PUT', '/settings', { authErrors: 'success-false', keyMask: { visibleSuffix: 2 } });
    expect(changed.body).toMatchObject({ authErrors: 'success-false', keyMask: { visiblePrefix: 7, visibleSuffix: 2, marker: '…' } });
    expect((await call('GET', keysPath(), { key: null })).status).toBe(200);
    const refused = await control('PUT', '/settings', { validationErrors: 'sometimes' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('validationErrors must be one of');
    expect(emulator.edgeimpulse.settings.validationErrors).toBe('success-false');
  });

  test('organizations can be added and listed, each with its bootstrap key', async () => {
    const added = await control('POST', '/organizations', { name: 'Acme' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: 2, name: 'Acme', apiKey: expect.stringMatching(/^ei_/) });
    expect((await control('GET', '/organizations')).body.map((o: { id: number }) => o.id)).toEqual([1, 2]);
    expect((await call('GET', keysPath(2), { key: added.body.apiKey })).body.apiKeys).toHaveLength(1);
    expect((await control('POST', '/organizations', { id: 2 })).status).toBe(400);
  });

  test('keys can be added, changed and revoked out of band; full keys never come back', async () => {
    const added = await control('POST', `/organizations/${org}/apikeys`, { name: 'console key', role: 'member', ttl: 60 });
    expect(added.status).toBe(200);
    expect(added.body.apiKey).toMatch(/…$/);
    const patched = await control('PATCH', `/organizations/${org}/apikeys/${added.body.id}`, {
      name: 'renamed', role: 'admin', lastUsed: { date: '2026-01-01T00:00:00.000Z', country: 'Belgium', ipAddress: '198.51.100.1' },
    });
    expect(patched.body).toMatchObject({ name: 'renamed', role: 'admin', lastUsed: { date: '2026-01-01T00:00:00.000Z', country: 'Belgium', ipAddress: '198.51.100.1' } });
    expect((await control('GET', `/organizations/${org}/apikeys`)).body.map((key: { name: string }) => key.name)).toEqual(['emulator bootstrap admin key', 'renamed']);
    expect(await control('DELETE', `/organizations/${org}/apikeys/${added.body.id}`)).toEqual({ status: 200, body: { deleted: true } });
    expect((await control('DELETE', `/organizations/${org}/apikeys/${added.body.id}`)).status).toBe(404);
    expect((await control('GET', '/organizations/99/apikeys')).status).toBe(404);
  });

  test('requests are logged under the vendor name, and faults apply to it', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', action: { kind: 'status', status: 503, body: { success: false, error: 'down' } } });
    expect((await call('GET', keysPath())).status).toBe(503);
    expect((await call('GET', keysPath())).status).toBe(200);
    expect(emulator.requests).toEqual([
      { vendor: 'edgeimpulse', method: 'GET', path: `/edgeimpulse/v1/api/organizations/${org}/apikeys`, query: '', status: 503 },
      { vendor: 'edgeimpulse', method: 'GET', path: `/edgeimpulse/v1/api/organizations/${org}/apikeys`, query: '', status: 200 },
    ]);
    expect(JSON.stringify(emulator.requests)).not.toContain(apiKey);
  });
});

describe('lifecycle: keys made through the API authenticate, record their use, expire, and can be aged', () => {
  const control = (method: 'GET' | 'POST' | 'PATCH', path: string, json?: unknown) =>
    call(method, '', { url: `${emulator.url}/_emulator/edgeimpulse${path}`, key: null, json });
  const listed = async (id: number) => (await call('GET', keysPath())).body.apiKeys.find((key: { id: number }) => key.id === id);

  test('a key the API makes (with the emulator\'s own generated value) signs in and gets lastUsed {date, ipAddress}', async () => {
    const created = (await call('POST', keysPath(), { json: { name: 'rotated-in', role: 'admin' } })).body;
    expect(created.apiKey).toMatch(/^ei_[0-9a-f]{64}$/);
    expect(await listed(created.id)).not.toHaveProperty('lastUsed');
    const before = Date.now();
    expect((await call('GET', keysPath(), { key: created.apiKey })).status).toBe(200);
    const seen = await listed(created.id);
    expect(seen.lastUsed.ipAddress).toBe('127.0.0.1');
    expect(Date.parse(seen.lastUsed.date)).toBeGreaterThanOrEqual(before - 1000);
    // The listing shows only a stable portion: the first 7 characters and "…".
    expect(seen.apiKey).toBe(`${created.apiKey.slice(0, 7)}…`);
  });

  test('a key made with a ttl is refused once expires has passed', async () => {
    const created = (await call('POST', keysPath(), { json: { name: 'short', role: 'member', ttl: 3600 } })).body;
    expect((await call('GET', keysPath(), { key: created.apiKey })).status).toBe(200);
    await control('PATCH', `/organizations/${org}/apikeys/${created.id}`, { expires: new Date(Date.now() - 1000).toISOString() });
    expectFailure(await call('GET', keysPath(), { key: created.apiKey }), 401, 'Invalid API key');
  });

  test('created and lastUsed can be set over the control API, lastUsed back to never used', async () => {
    const key = emulator.edgeimpulse.addKey(org, { name: 'aged' });
    const aged = await control('PATCH', `/organizations/${org}/apikeys/${key.id}`, { created: '2024-01-01T00:00:00Z', lastUsed: { date: '2024-06-01T00:00:00Z' } });
    expect(aged.status).toBe(200);
    expect(aged.body).toMatchObject({ created: '2024-01-01T00:00:00.000Z', lastUsed: { date: '2024-06-01T00:00:00.000Z' } });
    expect(await listed(key.id)).toMatchObject({ created: '2024-01-01T00:00:00.000Z', lastUsed: { date: '2024-06-01T00:00:00.000Z' } });
    expect((await control('PATCH', `/organizations/${org}/apikeys/${key.id}`, { lastUsed: null })).body).not.toHaveProperty('lastUsed');
    const dated = await control('POST', `/organizations/${org}/apikeys`, { name: 'born old', created: '2023-05-05T00:00:00Z' });
    expect(dated.body.created).toBe('2023-05-05T00:00:00.000Z');
  });

  test('in process: setKeyTimes', () => {
    const key = emulator.edgeimpulse.addKey(org, { name: 'k' });
    emulator.edgeimpulse.setKeyTimes(org, key.id, { created: new Date('2022-02-02T00:00:00Z'), lastUsed: new Date('2022-03-03T00:00:00Z') });
    expect(emulator.edgeimpulse.present(key)).toMatchObject({ created: '2022-02-02T00:00:00.000Z', lastUsed: { date: '2022-03-03T00:00:00.000Z', ipAddress: '127.0.0.1' } });
    emulator.edgeimpulse.setKeyTimes(org, key.id, { lastUsed: null });
    expect(emulator.edgeimpulse.present(key)).not.toHaveProperty('lastUsed');
    expect(() => emulator.edgeimpulse.setKeyTimes(org, 9999, {})).toThrow(/no key 9999/);
  });

  test('bad control values are a 400 naming the field', async () => {
    const key = emulator.edgeimpulse.addKey(org, { name: 'k' });
    for (const [body, field] of [[{ created: 'soon' }, 'created'], [{ lastUsed: 'today' }, 'lastUsed'], [{ lastUsed: { date: 5 } }, 'date'], [{ role: 'owner' }, 'role']] as const) {
      const answer = await control('PATCH', `/organizations/${org}/apikeys/${key.id}`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain(field);
    }
  });
});
