import {
  VendorAuthenticationError, VendorInvalidResponseError, VendorNotFoundError, VendorRateLimitError, VendorResponseError,
  VendorServerError, VendorUnreachableError, VendorValidationError,
} from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { createAtlasHttpClient, parseAtlasError, type AtlasApiVersion, type AtlasCredentials } from '../../../src/vendors/atlas/client';
import { AtlasOrganizationKeysApi } from '../../../src/vendors/atlas/organization-keys';
import { listAllPages } from '../../../src/vendors/atlas/pagination';
import { objectIdSeconds, orgRolesOf, redactAtlasPrivateKey } from '../../../src/vendors/atlas/types';
import { redact } from '../../../src/core/security/redaction';

let emulator: VendorEmulator;
let atlas: Record<string, string>;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  atlas = Object.fromEntries(Object.entries(emulator.describe().vendors.atlas).map(([name, value]) => [name, String(value)]));
});

afterEach(async () => {
  await emulator.stop();
});

const SOURCE = 'provider attributes atlas_public_key and atlas_private_key';
const apiKey = (privateKey = atlas.privateKey): AtlasCredentials => ({ kind: 'api-key', publicKey: atlas.publicKey, privateKey, source: SOURCE });
const serviceAccount = (): AtlasCredentials => ({ kind: 'service-account', clientId: atlas.clientId, clientSecret: atlas.clientSecret, source: 'env' });

function api(options: { credentials?: AtlasCredentials; apiVersion?: AtlasApiVersion; pageSize?: number; maxRetries?: number } = {}) {
  const apiVersion = options.apiVersion ?? 'v2';
  const http = createAtlasHttpClient({
    baseUrl: atlas.baseUrl, apiVersion, credentials: options.credentials ?? apiKey(),
    retry: { maxRetries: options.maxRetries ?? 2, baseDelayMs: 5, maxDelayMs: 20 },
  });
  return new AtlasOrganizationKeysApi(http, { apiVersion, pageSize: options.pageSize });
}

const keysPath = () => `/orgs/${atlas.orgId}/apiKeys`;
const requests = (method: string) => emulator.requestsTo('atlas', method, keysPath());
const statuses = (method: string) => requests(method).map((record) => record.status);
const addKeys = (count: number) => Array.from({ length: count }, (_, index) => emulator.atlas.addKey(atlas.orgId, { desc: `bulk-${index}`, roles: ['ORG_MEMBER'] }));

describe.each([
  ['a programmatic API key (digest)', apiKey],
  ['a service account (OAuth)', serviceAccount],
])('list with %s', (_label, credentials) => {
  test('reads every page with pageNum/itemsPerPage/includeCount: 9 keys in pages of 2 is 5 GETs', async () => {
    const added = addKeys(8);
    const keys = await api({ credentials: credentials(), pageSize: 2 }).list(atlas.orgId);
    expect(keys.map((key) => key.id)).toEqual(emulator.atlas.organization(atlas.orgId)!.keys.all().map((key) => key.id));
    for (const key of added) expect(keys.map((item) => item.id)).toContain(key.id);
    const pages = requests('GET').filter((record) => record.status === 200).map((record) => new URLSearchParams(record.query));
    expect(pages.map((query) => query.get('pageNum'))).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(pages.map((query) => query.get('itemsPerPage')))).toEqual(new Set(['2']));
    expect(new Set(pages.map((query) => query.get('includeCount')))).toEqual(new Set(['true']));
  });

  test('stops once pageNum * itemsPerPage reaches totalCount: 6 keys in pages of 2 is 3 GETs, not 4', async () => {
    addKeys(5);
    expect(await api({ credentials: credentials(), pageSize: 2 }).list(atlas.orgId)).toHaveLength(6);
    expect(statuses('GET').filter((status) => status === 200)).toHaveLength(3);
  });
});

describe('pagination guards', () => {
  const page = (ids: string[], totalCount?: number) => ({
    kind: 'status' as const, status: 200,
    body: { results: ids.map((id) => ({ id, publicKey: 'abcdefgh', privateKey: '********-****-****-000000000000' })), ...(totalCount === undefined ? {} : { totalCount }) },
  });

  test('without totalCount, a short page is the last', async () => {
    const http = createAtlasHttpClient({ baseUrl: atlas.baseUrl, apiVersion: 'v2', credentials: serviceAccount(), retry: { maxRetries: 0 } });
    emulator.faults.inject({ vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', action: page(['a1', 'a2']) });
    emulator.faults.inject({ vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', action: page(['a3']) });
    const items = await listAllPages<{ id: string }>(http, 'list', `orgs/${atlas.orgId}/apiKeys`, 2);
    expect(items.map((item) => item.id)).toEqual(['a1', 'a2', 'a3']);
    expect(emulator.requestsTo('atlas', 'GET')).toHaveLength(2);
  });

  test('a server that ignores pageNum is an invalid response, not an endless loop', async () => {
    const http = createAtlasHttpClient({ baseUrl: atlas.baseUrl, apiVersion: 'v2', credentials: serviceAccount(), retry: { maxRetries: 0 } });
    emulator.faults.inject({ vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', times: 5, action: page(['a1', 'a2'], 10) });
    await expect(listAllPages(http, 'list', `orgs/${atlas.orgId}/apiKeys`, 2)).rejects.toThrow('page 2 repeats items of earlier pages');
    expect(emulator.requestsTo('atlas', 'GET')).toHaveLength(2);
  });

  test('a list without results is an invalid response; the default page size is the maximum, 500', async () => {
    const http = createAtlasHttpClient({ baseUrl: atlas.baseUrl, apiVersion: 'v2', credentials: serviceAccount(), retry: { maxRetries: 0 } });
    emulator.faults.inject({ vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', action: { kind: 'status', status: 200, body: { totalCount: 0 } } });
    await expect(listAllPages(http, 'list', `orgs/${atlas.orgId}/apiKeys`)).rejects.toBeInstanceOf(VendorInvalidResponseError);
    expect(new URLSearchParams(emulator.requestsTo('atlas', 'GET')[0].query).get('itemsPerPage')).toBe('500');
  });
});

describe('create, get, update, delete (v2)', () => {
  test('create returns the whole private key; list and get show only the mask', async () => {
    const keys = api();
    const created = await keys.create(atlas.orgId, { description: 'ci', roles: ['ORG_MEMBER', 'ORG_READ_ONLY'] });
    expect(created.id).toMatch(/^[a-f0-9]{24}$/);
    expect(Math.abs(objectIdSeconds(created.id)! - Date.now() / 1000)).toBeLessThan(5);
    expect(created.privateKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.publicKey).toMatch(/^[a-z]{8}$/);
    expect(orgRolesOf(created, atlas.orgId)).toEqual(['ORG_MEMBER', 'ORG_READ_ONLY']);
    expect(redact(`leaked ${created.privateKey}`)).toBe('leaked [redacted]');

    const listed = (await keys.list(atlas.orgId)).find((key) => key.id === created.id)!;
    const fetched = await keys.get(atlas.orgId, created.id);
    for (const view of [listed, fetched]) {
      expect(view.privateKey).toBe(redactAtlasPrivateKey(created.privateKey));
      expect(view.privateKey).toMatch(/^\*{8}-\*{4}-\*{4}-[0-9a-f]{12}$/);
      expect(JSON.stringify(view)).not.toContain(created.privateKey);
      expect(view.desc).toBe('ci');
    }
  });

  test('update changes desc and replaces the organization roles; project roles stay', async () => {
    const keys = api();
    const created = await keys.create(atlas.orgId, { description: 'ci', roles: ['ORG_MEMBER'] });
    emulator.atlas.updateKey(atlas.orgId, created.id, { projectRoles: [{ groupId: '5898b95f87d9d6270e8995d9', roleName: 'GROUP_OWNER' }] });
    const updated = await keys.update(atlas.orgId, created.id, { description: 'ci v2', roles: ['ORG_BILLING_ADMIN'] });
    expect(updated.desc).toBe('ci v2');
    expect(orgRolesOf(updated, atlas.orgId)).toEqual(['ORG_BILLING_ADMIN']);
    expect(updated.roles).toContainEqual({ groupId: '5898b95f87d9d6270e8995d9', roleName: 'GROUP_OWNER' });
    expect(updated.privateKey).toBe(redactAtlasPrivateKey(created.privateKey));
    const descOnly = await keys.update(atlas.orgId, created.id, { description: 'ci v3' });
    expect(orgRolesOf(descOnly, atlas.orgId)).toEqual(['ORG_BILLING_ADMIN']);
  });

  test('with the "merge" PATCH variant the roles are added, which orgRolesOf shows', async () => {
    emulator.atlas.settings.patchRoles = 'merge';
    const keys = api();
    const created = await keys.create(atlas.orgId, { description: 'ci', roles: ['ORG_MEMBER'] });
    const updated = await keys.update(atlas.orgId, created.id, { roles: ['ORG_BILLING_ADMIN'] });
    expect(orgRolesOf(updated, atlas.orgId)).toEqual(['ORG_BILLING_ADMIN', 'ORG_MEMBER']);
  });

  test('delete: 204 is true, a second delete (404) is false', async () => {
    const keys = api();
    const created = await keys.create(atlas.orgId, { description: 'short-lived', roles: ['ORG_MEMBER'] });
    expect(await keys.delete(atlas.orgId, created.id)).toBe(true);
    expect(await keys.delete(atlas.orgId, created.id)).toBe(false);
    expect(statuses('DELETE')).toEqual([204, 404]);
    expect(emulator.atlas.organization(atlas.orgId)!.keys.get(created.id)).toBeUndefined();
  });

  test('get of a missing key and of an unknown organization reject with not found', async () => {
    await expect(api().get(atlas.orgId, 'aaaaaaaaaaaaaaaaaaaaaaaa')).rejects.toMatchObject({ status: 404, details: { vendorCode: 'RESOURCE_NOT_FOUND' } });
    const error = await api().get('bbbbbbbbbbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaaaaaaaaaa').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorNotFoundError);
    expect((error as Error).message).toContain('HTTP 404 (ORG_NOT_FOUND)');
  });

  test('a create answer without the whole private key is an invalid response', async () => {
    emulator.faults.inject({
      vendor: 'atlas', method: 'POST', pathIncludes: '/apiKeys', times: 2,
      action: { kind: 'status', status: 200, body: { id: 'cccccccccccccccccccccccc', publicKey: 'abcdefgh', privateKey: '********-****-****-000000000000' } },
    });
    await expect(api({ credentials: serviceAccount() }).create(atlas.orgId, { description: 'x', roles: ['ORG_MEMBER'] }))
      .rejects.toThrow('key cccccccccccccccccccccccc came without its private key');
  });
});

describe('the v1.0 API end to end', () => {
  test.each([
    ['digest', apiKey],
    ['service account', serviceAccount],
  ])('list (paged), create, get, update and delete under /api/atlas/v1.0 with %s', async (_label, credentials) => {
    addKeys(4);
    const keys = api({ apiVersion: 'v1.0', pageSize: 2, credentials: credentials() });
    const created = await keys.create(atlas.orgId, { description: 'legacy api', roles: ['ORG_READ_ONLY'] });
    expect(created.privateKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await keys.list(atlas.orgId)).map((key) => key.id)).toContain(created.id);
    expect((await keys.get(atlas.orgId, created.id)).privateKey).toBe(redactAtlasPrivateKey(created.privateKey));
    expect((await keys.update(atlas.orgId, created.id, { description: 'renamed' })).desc).toBe('renamed');
    expect(await keys.delete(atlas.orgId, created.id)).toBe(true);
    expect(await keys.delete(atlas.orgId, created.id)).toBe(false);

    const apiRequests = emulator.requestsTo('atlas').filter((record) => record.path.includes('/apiKeys'));
    expect(apiRequests.every((record) => record.path.startsWith('/atlas/api/atlas/v1.0/'))).toBe(true);
    expect(statuses('DELETE')).toEqual([200, 404]); // v1.0 answers 200 without a body
    expect(requests('GET').filter((record) => !record.path.endsWith(created.id) && record.status === 200)).toHaveLength(3); // 6 keys, pages of 2
  });

  test('v1.0 lists 100 per page by default (an older v1.0 page documents 100 as the maximum); v2 500', async () => {
    await api({ apiVersion: 'v1.0', credentials: serviceAccount() }).list(atlas.orgId);
    await api({ credentials: serviceAccount() }).list(atlas.orgId);
    expect(requests('GET').map((record) => `${record.path.split('/')[4]} ${new URLSearchParams(record.query).get('itemsPerPage')}`)).toEqual(['v1.0 100', 'v2 500']);
  });
});

describe('digest authentication', () => {
  test('one challenge per client: later requests reuse the nonce with increasing nc, all accepted', async () => {
    const keys = api();
    await keys.list(atlas.orgId);
    await keys.create(atlas.orgId, { description: 'a', roles: ['ORG_MEMBER'] });
    await keys.list(atlas.orgId);
    expect(emulator.requestsTo('atlas').map((record) => `${record.method} ${record.status}`)).toEqual(['GET 401', 'GET 200', 'POST 200', 'GET 200']);
  });

  test('an expired nonce draws stale=true; the client takes the new nonce and the request succeeds', async () => {
    const keys = api();
    await keys.list(atlas.orgId);
    emulator.atlas.expireNonces();
    const created = await keys.create(atlas.orgId, { description: 'after expiry', roles: ['ORG_MEMBER'] });
    expect(created.desc).toBe('after expiry');
    expect(statuses('POST')).toEqual([401, 200]);
    expect(emulator.atlas.organization(atlas.orgId)!.keys.all().filter((key) => key.desc === 'after expiry')).toHaveLength(1);
  });

  test('a wrong private key: VendorAuthenticationError after one challenge and one signed try, with the source and no key', async () => {
    const wrong = '00000000-0000-4000-8000-000000000000';
    const error = await api({ credentials: apiKey(wrong) }).list(atlas.orgId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    const authError = error as VendorAuthenticationError;
    expect(authError.message).toBe('MongoDB Atlas rejected "list organization API keys" with HTTP 401 (USER_UNAUTHORIZED): You are not authorized for this resource.');
    expect(authError.hint).toContain(SOURCE);
    expect(authError.hint).toContain('Nothing was changed');
    expect(JSON.stringify(authError)).not.toContain(wrong);
    expect(statuses('GET')).toEqual([401, 401]);
  });

  test('a key of another organization, or without Organization Owner, cannot write', async () => {
    const readOnly = emulator.atlas.addKey(atlas.orgId, { desc: 'reader', roles: ['ORG_READ_ONLY'] });
    const reader = api({ credentials: { kind: 'api-key', publicKey: readOnly.publicKey, privateKey: readOnly.privateKey, source: 'x' } });
    expect((await reader.list(atlas.orgId)).length).toBeGreaterThan(0);
    await expect(reader.create(atlas.orgId, { description: 'nope', roles: ['ORG_MEMBER'] })).rejects.toMatchObject({ status: 401, details: { vendorCode: 'USER_UNAUTHORIZED' } });
    await expect(api().list(atlas.orgId_1)).rejects.toThrow('Current user is not authorized to perform this action.');
  });
});

describe('rate limits, server errors and error shapes', () => {
  test.each(['RATE_LIMITED', 'RATE_LIMITED_TOKEN_BUCKET'] as const)('a 429 %s with Retry-After is waited out and retried', async (errorCode) => {
    Object.assign(emulator.atlas.settings.rateLimit, { capacity: 1, refillAmount: 1, refillPeriodSeconds: 1, errorCode });
    const keys = api({ credentials: serviceAccount() });
    await keys.list(atlas.orgId);
    const started = Date.now();
    await keys.list(atlas.orgId);
    const elapsed = Date.now() - started;
    expect(statuses('GET')).toEqual([200, 429, 200]);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3_000);
  });

  test('a create refused with 429 is sent again (Atlas did not act on it), and only one key results', async () => {
    Object.assign(emulator.atlas.settings.rateLimit, { capacity: 1, refillAmount: 1, refillPeriodSeconds: 1 });
    const keys = api({ credentials: serviceAccount() });
    await keys.list(atlas.orgId);
    await keys.create(atlas.orgId, { description: 'after 429', roles: ['ORG_MEMBER'] });
    expect(statuses('POST')).toEqual([429, 200]);
    expect(emulator.atlas.organization(atlas.orgId)!.keys.all().filter((key) => key.desc === 'after 429')).toHaveLength(1);
  });

  test('429 beyond the retries is a VendorRateLimitError with the Atlas code and detail', async () => {
    emulator.faults.inject({
      vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', times: 5,
      action: {
        kind: 'status', status: 429, headers: { 'retry-after': '0' },
        body: { detail: 'Rate limit exceeded for api/atlas/v2/orgs. Please retry after 0 seconds.', error: 429, errorCode: 'RATE_LIMITED_TOKEN_BUCKET', parameters: [], reason: 'Too Many Requests' },
      },
    });
    const error = await api({ credentials: serviceAccount(), maxRetries: 1 }).list(atlas.orgId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorRateLimitError);
    expect((error as Error).message).toContain('HTTP 429 (RATE_LIMITED_TOKEN_BUCKET): Rate limit exceeded for api/atlas/v2/orgs.');
    expect(statuses('GET')).toEqual([429, 429]);
  });

  test('a 500 on a list is retried; a 500 on a create is not', async () => {
    const serverError = { kind: 'status' as const, status: 500, body: { detail: 'Unexpected error.', error: 500, errorCode: 'UNEXPECTED_ERROR', parameters: [], reason: 'Internal Server Error' } };
    const keys = api({ credentials: serviceAccount() });
    emulator.faults.inject({ vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', action: serverError });
    await keys.list(atlas.orgId);
    expect(statuses('GET')).toEqual([500, 200]);
    emulator.faults.inject({ vendor: 'atlas', method: 'POST', pathIncludes: '/apiKeys', action: serverError });
    const error = await keys.create(atlas.orgId, { description: 'x', roles: ['ORG_MEMBER'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorServerError);
    expect((error as Error).message).toContain('HTTP 500 (UNEXPECTED_ERROR): Unexpected error.');
    expect(statuses('POST')).toEqual([500]);
  });

  test('a 400 names the vendor code, detail and the badRequestDetail field', async () => {
    const error = await api().create(atlas.orgId, { description: 'x', roles: ['GROUP_OWNER'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorValidationError);
    const validation = error as VendorValidationError;
    expect(validation.details).toMatchObject({ vendorCode: 'INVALID_ENUM_VALUE', param: 'roles' });
    expect(validation.message).toContain('An invalid enumeration value GROUP_OWNER was specified. (roles: must be organization roles: ORG_OWNER');
  });

  test('v2 without the dated media type gets 406 INVALID_VERSION_DATE', async () => {
    const http = createAtlasHttpClient({ baseUrl: atlas.baseUrl, apiVersion: 'v2', credentials: serviceAccount(), retry: { maxRetries: 0 } });
    const error = await http.send({ operation: 'list', method: 'GET', path: `orgs/${atlas.orgId}/apiKeys`, headers: { accept: 'application/json' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorResponseError);
    expect(error).toMatchObject({ status: 406, details: { vendorCode: 'INVALID_VERSION_DATE', message: 'Invalid accept header or version date.' } });
  });

  test('a create whose answer is lost is not resent', async () => {
    const keys = api({ credentials: serviceAccount() });
    emulator.faults.inject({ vendor: 'atlas', method: 'POST', pathIncludes: '/apiKeys', action: { kind: 'drop-response' } });
    const error = await keys.create(atlas.orgId, { description: 'lost', roles: ['ORG_MEMBER'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(true);
    expect(statuses('POST')).toEqual(['dropped']);
    expect(emulator.atlas.organization(atlas.orgId)!.keys.all().filter((key) => key.desc === 'lost')).toHaveLength(1);
  });
});

describe('parseAtlasError', () => {
  test('ApiError, OAuth error and plain text bodies', () => {
    expect(parseAtlasError({ detail: 'Bad.', error: 400, errorCode: 'VALIDATION_ERROR', badRequestDetail: { fields: [{ field: 'desc', description: 'too long' }] } }, ''))
      .toEqual({ message: 'Bad. (desc: too long)', vendorCode: 'VALIDATION_ERROR', param: 'desc' });
    expect(parseAtlasError({ error: 'invalid_client', error_description: 'No.' }, '')).toEqual({ message: 'No.', vendorCode: 'invalid_client' });
    expect(parseAtlasError(undefined, 'gateway timeout')).toEqual({ message: 'gateway timeout' });
  });

  test('orgRolesOf keeps only this organization\'s roles, sorted and unique', () => {
    const key = {
      id: 'x', publicKey: 'p', privateKey: 'k',
      roles: [
        { groupId: 'g', roleName: 'GROUP_OWNER' }, { orgId: 'other', roleName: 'ORG_OWNER' },
        { orgId: 'mine', roleName: 'ORG_MEMBER' }, { orgId: 'mine', roleName: 'ORG_BILLING_ADMIN' }, { orgId: 'mine', roleName: 'ORG_MEMBER' },
      ],
    };
    expect(orgRolesOf(key, 'mine')).toEqual(['ORG_BILLING_ADMIN', 'ORG_MEMBER']);
    expect(redactAtlasPrivateKey('12345678-1234-1234-1234-db2c132ca78d')).toBe('********-****-****-db2c132ca78d');
  });
});

describe('redaction of Atlas secrets nobody registered', () => {
  test('service-account client secrets and private keys are masked by pattern', () => {
    expect(redact('secret mdb_sa_sk_abcdefghijklmnopqrstuvwxyz0123 and key 3f2a1b4c-1234-4abc-8def-db2c132ca78d'))
      .toBe('secret [redacted] and key [redacted]');
  });
});
