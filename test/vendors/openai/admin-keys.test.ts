import { VendorAuthenticationError, VendorInvalidResponseError, VendorUnreachableError } from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { OpenAiAdminKeysApi } from '../../../src/vendors/openai/admin-keys';
import { createOpenAiHttpClient } from '../../../src/vendors/openai/client';
import { listAllPages } from '../../../src/vendors/openai/pagination';
import type { AdminApiKey } from '../../../src/vendors/openai/types';

const ADMIN_KEY_SOURCE = 'provider attribute openai_admin_key or environment variable OPENAI_ADMIN_KEY';

let emulator: VendorEmulator;
let baseUrl: string;
let adminKey: string;

const api = (key = adminKey) =>
  new OpenAiAdminKeysApi(createOpenAiHttpClient({ adminKey: key, baseUrl, adminKeySource: ADMIN_KEY_SOURCE, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } }));

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const openai = emulator.describe().vendors.openai;
  baseUrl = openai.baseUrl;
  adminKey = String(openai.adminKey);
});

afterEach(async () => {
  await emulator.stop();
});

describe('OpenAiAdminKeysApi.list', () => {
  test('reads every page: 251 keys exactly once, in 3 GET pages with after= cursors', async () => {
    const added = Array.from({ length: 250 }, (_, index) => emulator.openai.addAdminKey(`bulk-${index}`));
    const keys = await api().list();

    expect(keys).toHaveLength(251); // 250 plus the bootstrap key
    const ids = keys.map((key) => key.id);
    expect(new Set(ids).size).toBe(251);
    expect(ids).toEqual(emulator.openai.adminKeys.all().map((key) => key.id)); // ascending creation order
    for (const key of added) expect(ids).toContain(key.id);

    const pages = emulator.requestsTo('openai', 'GET', 'admin_api_keys');
    expect(pages).toHaveLength(3);
    const queries = pages.map((page) => new URLSearchParams(page.query));
    expect(queries.map((query) => query.get('limit'))).toEqual(['100', '100', '100']);
    expect(queries.map((query) => query.get('order'))).toEqual(['asc', 'asc', 'asc']);
    expect(queries[0].has('after')).toBe(false);
    expect(queries[1].get('after')).toBe(ids[99]);
    expect(queries[2].get('after')).toBe(ids[199]);
  });

  test('a single page is one GET without a cursor', async () => {
    const keys = await api().list();
    expect(keys).toHaveLength(1);
    expect(keys[0].name).toBe('emulator bootstrap admin key');
    const pages = emulator.requestsTo('openai', 'GET', 'admin_api_keys');
    expect(pages).toHaveLength(1);
    expect(new URLSearchParams(pages[0].query).has('after')).toBe(false);
  });

  test('exactly 100 keys fit one page', async () => {
    for (let index = 0; index < 99; index++) emulator.openai.addAdminKey(`k-${index}`);
    expect(await api().list()).toHaveLength(100);
    expect(emulator.requestsTo('openai', 'GET', 'admin_api_keys')).toHaveLength(1);
  });
});

describe('listAllPages guards', () => {
  const http = () => createOpenAiHttpClient({ adminKey, baseUrl, adminKeySource: 'env', retry: { maxRetries: 0 } });

  test('a repeated cursor is an invalid response instead of an endless loop', async () => {
    emulator.faults.inject({
      vendor: 'openai', method: 'GET', times: 5,
      action: { kind: 'status', status: 200, body: { object: 'list', data: [{ id: 'key_same' }], last_id: 'key_same', has_more: true } },
    });
    const error = await listAllPages<AdminApiKey>(http(), 'list admin keys', 'organization/admin_api_keys').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorInvalidResponseError);
    expect((error as Error).message).toContain('has_more is true but the cursor "key_same" repeats');
    expect(emulator.requestsTo('openai', 'GET')).toHaveLength(2);
  });

  test('a body without a data array is an invalid response', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 1, action: { kind: 'status', status: 200, body: { object: 'list' } } });
    await expect(listAllPages(http(), 'list admin keys', 'organization/admin_api_keys')).rejects.toThrow('no "data" array in the list');
  });

  test('the cursor falls back to the id of the last item when last_id is missing', async () => {
    emulator.faults.inject({
      vendor: 'openai', method: 'GET', times: 1,
      action: { kind: 'status', status: 200, body: { object: 'list', data: [{ id: 'key_a' }, { id: 'key_b' }], has_more: true } },
    });
    // The emulator does not know key_b, so the second page is a 400 about `after`; what matters is the cursor sent.
    await listAllPages(http(), 'list', 'organization/admin_api_keys').catch(() => undefined);
    const pages = emulator.requestsTo('openai', 'GET');
    expect(new URLSearchParams(pages[1].query).get('after')).toBe('key_b');
  });
});

describe('OpenAiAdminKeysApi.create, get and delete', () => {
  test('create returns the value; later list and get show only redacted_value', async () => {
    const keys = api();
    const created = await keys.create({ name: 'ci', expiresInSeconds: 3600 });
    expect(created.id).toMatch(/^key_[A-Za-z0-9]+$/);
    expect(created.name).toBe('ci');
    expect(created.value).toMatch(/^sk-admin-[A-Za-z0-9]{48}$/);
    expect(created.redacted_value).toBe(`${created.value.slice(0, 8)}...${created.value.slice(-3)}`);
    expect(created.redacted_value).toMatch(/^sk-admin\.\.\.[A-Za-z0-9]{3}$/);
    expect(created.expires_at).toBe(created.created_at + 3600);

    const listed = await keys.list();
    const fetched = await keys.get(created.id);
    expect(JSON.stringify(listed)).not.toContain(created.value);
    expect(JSON.stringify(fetched)).not.toContain(created.value);
    expect(fetched).not.toHaveProperty('value');
    expect(listed.find((key) => key.id === created.id)).not.toHaveProperty('value');
    expect(fetched.redacted_value).toBe(created.redacted_value);
    expect(fetched.name).toBe('ci');

    const [post] = emulator.requestsTo('openai', 'POST');
    expect(post.path).toBe('/openai/v1/organization/admin_api_keys');
  });

  test('create without an expiry sends no expires_in_seconds and the key never expires', async () => {
    const created = await api().create({ name: 'forever' });
    expect(created.expires_at).toBeNull();
  });

  test('delete returns true, then false once the key is gone (404 tolerated)', async () => {
    const keys = api();
    const created = await keys.create({ name: 'short-lived' });
    expect(await keys.delete(created.id)).toBe(true);
    expect(await keys.delete(created.id)).toBe(false);
    expect(emulator.requestsTo('openai', 'DELETE').map((record) => record.status)).toEqual([200, 404]);
    expect(emulator.openai.adminKeys.get(created.id)).toBeUndefined();
  });

  test('get of a missing key rejects with not found', async () => {
    await expect(api().get('key_missing')).rejects.toMatchObject({ code: 'APIKEYS_ERR_VENDOR_NOT_FOUND', status: 404 });
  });

  test('a create answer without the value is an invalid response', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'POST', times: 1, action: { kind: 'status', status: 200, body: { id: 'key_novalue', object: 'organization.admin_api_key' } } });
    await expect(api().create({ name: 'x' })).rejects.toThrow('key key_novalue came without its value');
  });
});

describe('authentication failures', () => {
  test('a wrong admin key gives VendorAuthenticationError with the source, "Nothing was changed", and without the key', async () => {
    const wrongKey = 'sk-admin-WRONGwrongWRONGwrong0123456789';
    const error = await api(wrongKey).list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    const authError = error as VendorAuthenticationError;
    expect(authError.code).toBe('APIKEYS_ERR_VENDOR_AUTHENTICATION');
    expect(authError.status).toBe(401);
    expect(authError.message).toContain('HTTP 401');
    expect(authError.message).toContain('invalid_request_error/invalid_api_key');
    expect(authError.hint).toContain(ADMIN_KEY_SOURCE);
    expect(authError.hint).toContain('Nothing was changed');
    expect(authError.message).not.toContain(wrongKey);
    expect(authError.message).not.toContain('WRONGwrongWRONG');
    expect(JSON.stringify(authError.details)).not.toContain(wrongKey);
    expect(emulator.requestsTo('openai', 'GET')).toHaveLength(1);
  });

  test('a wrong key cannot create anything', async () => {
    const before = emulator.openai.adminKeys.size;
    await expect(api('sk-admin-also-wrong-000000000000').create({ name: 'x' })).rejects.toBeInstanceOf(VendorAuthenticationError);
    expect(emulator.openai.adminKeys.size).toBe(before);
  });
});

describe('lost answers', () => {
  test('a create whose answer is dropped throws VendorUnreachableError, and the key exists after one POST', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'POST', pathIncludes: 'admin_api_keys', times: 1, action: { kind: 'drop-response' } });
    const error = await api().create({ name: 'lost-answer' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(true);
    expect(emulator.requestsTo('openai', 'POST')).toHaveLength(1);
    expect(emulator.requestsTo('openai', 'POST')[0].status).toBe('dropped');
    const made = emulator.openai.adminKeys.all().filter((key) => key.name === 'lost-answer');
    expect(made).toHaveLength(1);
  });
});
