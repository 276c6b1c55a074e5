import { VendorEmulator } from '../../../../src/emulator/server';
import { request } from 'undici';
import { parseLimit, redactOpenAiKey } from '../../../../src/emulator/vendors/openai';
import { expectOpenAiError, rawCall, type Answer, type Method } from '../../../support/raw-http';

let emulator: VendorEmulator;
let baseUrl: string;
let adminKey: string;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const openai = emulator.describe().vendors.openai;
  baseUrl = openai.baseUrl;
  adminKey = String(openai.adminKey);
});

afterEach(async () => {
  await emulator.stop();
});

function call<T = any>(method: Method, path: string, options: { auth?: string | null; json?: unknown; url?: string } = {}): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
  const auth = options.auth === undefined ? `Bearer ${adminKey}` : options.auth;
  return rawCall<T>(method, options.url ?? `${baseUrl}${path}`, { headers: auth === null ? {} : { authorization: auth }, json: options.json });
}

const KEYS = '/organization/admin_api_keys';

describe('authentication', () => {
  test('missing auth is 401 in OpenAI error shape with all four keys', async () => {
    const answer = await call('GET', KEYS, { auth: null });
    expectOpenAiError(answer, 401);
    expect(answer.body.error.code).toBeNull();
    expect(answer.body.error.message).toContain("You didn't provide an API key");
  });

  test('a wrong key is 401 invalid_api_key and echoes only a masked key', async () => {
    const wrong = 'sk-admin-ZZZZZZZZZZZZZZZZZZZZZZZZabc';
    const answer = await call('GET', KEYS, { auth: `Bearer ${wrong}` });
    expectOpenAiError(answer, 401);
    expect(answer.body.error.code).toBe('invalid_api_key');
    expect(answer.body.error.message).toContain('sk-admin********abc');
    expect(answer.body.error.message).not.toContain(wrong);
  });

  test('an expired admin key is rejected', async () => {
    const created = (await call('POST', KEYS, { json: { name: 'expiring', expires_in_seconds: 3600 } })).body;
    expect((await call('GET', KEYS, { auth: `Bearer ${created.value}` })).status).toBe(200);
    emulator.openai.adminKeys.get(created.id)!.expires_at = Math.floor(Date.now() / 1000) - 1;
    expect((await call('GET', KEYS, { auth: `Bearer ${created.value}` })).status).toBe(401);
  });

  test('a key created through the API can itself authenticate', async () => {
    const created = (await call('POST', KEYS, { json: { name: 'second admin' } })).body;
    expect((await call('GET', KEYS, { auth: `Bearer ${created.value}` })).status).toBe(200);
  });
});

describe('listing', () => {
  test.each(['0', '101', 'abc', '1.5'])('limit=%s is 400 with param limit', async (limit) => {
    expectOpenAiError(await call('GET', `${KEYS}?limit=${limit}`), 400, 'limit');
  });

  test('limit=1 and limit=100 are accepted', async () => {
    expect((await call('GET', `${KEYS}?limit=1`)).status).toBe(200);
    expect((await call('GET', `${KEYS}?limit=100`)).status).toBe(200);
  });

  test('an unknown order is 400 with param order', async () => {
    expectOpenAiError(await call('GET', `${KEYS}?order=sideways`), 400, 'order');
  });

  test('the default limit is 20, with has_more and first_id/last_id matching the data', async () => {
    for (let index = 0; index < 25; index++) emulator.openai.addAdminKey(`k${index}`);
    const answer = await call('GET', KEYS);
    expect(answer.status).toBe(200);
    expect(answer.body.object).toBe('list');
    expect(answer.body.data).toHaveLength(20);
    expect(answer.body.has_more).toBe(true);
    expect(answer.body.first_id).toBe(answer.body.data[0].id);
    expect(answer.body.last_id).toBe(answer.body.data[19].id);
    expect(answer.body.data[0].name).toBe('emulator bootstrap admin key');

    const rest = await call('GET', `${KEYS}?after=${answer.body.last_id}`);
    expect(rest.body.data).toHaveLength(6);
    expect(rest.body.has_more).toBe(false);
    expect(rest.body.data.map((key: { name: string }) => key.name)).toEqual(['k19', 'k20', 'k21', 'k22', 'k23', 'k24']);
  });

  test('order=desc reverses the list', async () => {
    for (let index = 0; index < 5; index++) emulator.openai.addAdminKey(`k${index}`);
    const ascending = (await call('GET', `${KEYS}?order=asc`)).body.data.map((key: { id: string }) => key.id);
    const descending = (await call('GET', `${KEYS}?order=desc`)).body.data.map((key: { id: string }) => key.id);
    expect(ascending).toHaveLength(6);
    expect(descending).toEqual([...ascending].reverse());
  });

  test('after=<deleted id> still works', async () => {
    const keys = Array.from({ length: 5 }, (_, index) => emulator.openai.addAdminKey(`k${index}`));
    const deleted = await call('DELETE', `${KEYS}/${keys[2].id}`);
    expect(deleted.status).toBe(200);
    const answer = await call('GET', `${KEYS}?after=${keys[2].id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data.map((key: { id: string }) => key.id)).toEqual([keys[3].id, keys[4].id]);
  });

  test('after=<an id never seen> is 400 with param after', async () => {
    expectOpenAiError(await call('GET', `${KEYS}?after=key_never`), 400, 'after');
  });

  test('an empty page has null first_id and last_id', async () => {
    const [only] = (await call('GET', KEYS)).body.data;
    const answer = await call('GET', `${KEYS}?after=${only.id}`);
    expect(answer.body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });
});

describe('create, get, delete', () => {
  test('POST without a name is 400 with param name', async () => {
    const answer = await call('POST', KEYS, { json: {} });
    expectOpenAiError(answer, 400, 'name');
    expect(answer.body.error.code).toBe('missing_required_parameter');
    expectOpenAiError(await call('POST', KEYS, { json: { name: '' } }), 400, 'name');
  });

  test('POST with an out-of-range expires_in_seconds is 400 with that param', async () => {
    expectOpenAiError(await call('POST', KEYS, { json: { name: 'x', expires_in_seconds: 0 } }), 400, 'expires_in_seconds');
    expectOpenAiError(await call('POST', KEYS, { json: { name: 'x', expires_in_seconds: 31_536_001 } }), 400, 'expires_in_seconds');
    expectOpenAiError(await call('POST', KEYS, { json: { name: 'x', expires_in_seconds: 1.5 } }), 400, 'expires_in_seconds');
  });

  test('POST with a body that is not JSON is 400', async () => {
    const answer = await request(`${baseUrl}${KEYS}`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/plain' }, body: 'name=x' });
    expect(answer.statusCode).toBe(400);
    const body = (await answer.body.json()) as { error: { message: string } };
    expect(body.error.message).toContain('could not parse the JSON body');
  });

  test('the create answer has value; list and get never do', async () => {
    const created = await call('POST', KEYS, { json: { name: 'ci', expires_in_seconds: 600 } });
    expect(created.status).toBe(200);
    expect(created.body.object).toBe('organization.admin_api_key');
    expect(created.body.value).toMatch(/^sk-admin-[A-Za-z0-9]{48}$/);
    expect(created.body.redacted_value).toBe(redactOpenAiKey(created.body.value));
    expect(created.body.expires_at).toBe(created.body.created_at + 600);
    expect(created.body.owner).toMatchObject({ type: 'user', role: 'owner' });

    const listed = await call('GET', KEYS);
    for (const item of listed.body.data) expect(item).not.toHaveProperty('value');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.value);

    const fetched = await call('GET', `${KEYS}/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty('value');
    expect(fetched.body.redacted_value).toBe(created.body.redacted_value);
  });

  test('DELETE answers {id, object, deleted:true}, and a second DELETE is 404', async () => {
    const created = (await call('POST', KEYS, { json: { name: 'gone' } })).body;
    const answer = await call('DELETE', `${KEYS}/${created.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: created.id, object: 'organization.admin_api_key.deleted', deleted: true });
    const again = await call('DELETE', `${KEYS}/${created.id}`);
    expectOpenAiError(again, 404);
    expect(again.body.error.code).toBe('not_found');
    expectOpenAiError(await call('GET', `${KEYS}/${created.id}`), 404);
  });

  test('an unknown path is a 404 in OpenAI error shape', async () => {
    const answer = await call('GET', '/organization/nothing_here');
    expectOpenAiError(answer, 404);
    expect(answer.body.error.message).toBe('Invalid URL (GET /v1/organization/nothing_here)');
  });

  test('every answer carries x-request-id', async () => {
    const created = (await call('POST', KEYS, { json: { name: 'rid' } })).body;
    const answers = [
      await call('GET', KEYS),
      await call('GET', KEYS, { auth: null }),
      await call('GET', `${KEYS}?limit=0`),
      await call('GET', `${KEYS}/${created.id}`),
      await call('DELETE', `${KEYS}/${created.id}`),
      await call('DELETE', `${KEYS}/${created.id}`),
      await call('GET', '/nowhere'),
    ];
    const ids = answers.map((answer) => answer.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('an injected status fault also carries x-request-id and its own headers', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', action: { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow' } } } });
    const answer = await call('GET', KEYS);
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.headers['x-request-id']).toMatch(/^req_/);
    expect((await call('GET', KEYS)).status).toBe(200);
  });
});

describe('control routes', () => {
  const control = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', path: string, json?: unknown) =>
    call(method, '', { url: `${emulator.url}/_emulator${path}`, auth: null, json });

  test('GET /_emulator describes the vendors and lists the control routes', async () => {
    const answer = await control('GET', '');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ...emulator.describe(), controlRoutes: emulator.controlRoutes() });
    expect(answer.body.controlRoutes).toContainEqual({ method: 'GET', path: '/_emulator', summary: expect.stringContaining('control routes') });
    expect(answer.body.vendors.openai.baseUrl).toBe(`${emulator.url}/openai/v1`);
  });

  test('DELETE /_emulator/openai/admin_api_keys/:id removes a key out of band', async () => {
    const created = (await call('POST', KEYS, { json: { name: 'out-of-band' } })).body;
    const removed = await control('DELETE', `/openai/admin_api_keys/${created.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ deleted: true });
    expect(emulator.openai.adminKeys.get(created.id)).toBeUndefined();
    expect((await call('GET', `${KEYS}/${created.id}`)).status).toBe(404);
    expect((await control('DELETE', `/openai/admin_api_keys/${created.id}`)).status).toBe(404);
  });

  test('POST and PATCH control routes add and change keys without auth', async () => {
    const added = await control('POST', '/openai/admin_api_keys', { name: 'dashboard key' });
    expect(added.status).toBe(200);
    expect(added.body).not.toHaveProperty('value');
    const patched = await control('PATCH', `/openai/admin_api_keys/${added.body.id}`, { name: 'renamed', value: 'ignored' });
    expect(patched.body.name).toBe('renamed');
    expect(emulator.openai.adminKeys.get(added.body.id)!.value).toMatch(/^sk-admin-/);
    const all = await control('GET', '/openai/admin_api_keys');
    expect(all.body.map((key: { name: string }) => key.name)).toEqual(['emulator bootstrap admin key', 'renamed']);
  });

  test('control requests are not in the request log; vendor requests are, without secrets', async () => {
    await control('GET', '');
    await call('GET', `${KEYS}?limit=5`);
    expect(emulator.requests).toEqual([{ vendor: 'openai', method: 'GET', path: '/openai/v1/organization/admin_api_keys', query: 'limit=5', status: 200 }]);
    const log = await control('GET', '/requests');
    expect(log.body).toEqual(emulator.requests);
    expect(JSON.stringify(log.body)).not.toContain(adminKey);
    expect((await control('DELETE', '/requests')).status).toBe(204);
    expect(emulator.requests).toHaveLength(0);
  });

  test('faults can be injected and cleared over HTTP', async () => {
    const injected = await control('POST', '/faults', { vendor: 'openai', method: 'GET', times: 2, action: { kind: 'status', status: 503 } });
    expect(injected.status).toBe(201);
    expect(injected.body).toEqual({ pending: 2 });
    expect((await call('GET', KEYS)).status).toBe(503);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect(emulator.faults.pending).toBe(0);
    expect((await call('GET', KEYS)).status).toBe(200);
  });

  test('an unknown control route is 404', async () => {
    expect((await control('GET', '/nothing')).status).toBe(404);
  });
});

describe('helpers', () => {
  test('parseLimit', () => {
    expect(parseLimit(null)).toBe(20);
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('100')).toBe(100);
    expect(parseLimit('0')).toBeUndefined();
    expect(parseLimit('101')).toBeUndefined();
    expect(parseLimit('2.5')).toBeUndefined();
  });

  test('redactOpenAiKey keeps the first 8 and last 3 characters', () => {
    expect(redactOpenAiKey('sk-admin-abcdefghijklmnopxyz')).toBe('sk-admin...xyz');
  });
});
