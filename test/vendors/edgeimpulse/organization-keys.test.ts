import {
  VendorAuthenticationError, VendorInvalidResponseError, VendorPermissionError, VendorServerError, VendorUnreachableError, VendorValidationError,
} from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { createEdgeImpulseHttpClient, edgeImpulseErrorInSuccessBody, parseEdgeImpulseError } from '../../../src/vendors/edgeimpulse/client';
import { customKeyProblem } from '../../../src/vendors/edgeimpulse/custom-key';
import { EdgeImpulseOrganizationKeysApi } from '../../../src/vendors/edgeimpulse/organization-keys';
import { redact } from '../../../src/core/security/redaction';

const API_KEY_SOURCE = 'provider attribute edgeimpulse_api_key or environment variable EI_API_KEY';

let emulator: VendorEmulator;
let baseUrl: string;
let apiKey: string;
let org: number;

const api = (key = apiKey) => new EdgeImpulseOrganizationKeysApi(createEdgeImpulseHttpClient({
  apiKey: key, baseUrl, apiKeySource: API_KEY_SOURCE, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
}));

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

const statuses = (method: string) => emulator.requestsTo('edgeimpulse', method).map((record) => record.status);

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

describe('EdgeImpulseOrganizationKeysApi.list', () => {
  test('Edge Impulse does not paginate: 300 keys come in one GET without query parameters', async () => {
    for (let index = 0; index < 299; index++) emulator.edgeimpulse.addKey(org, { name: `bulk-${index}`, role: index % 2 ? 'admin' : 'member' });
    const keys = await api().list(org);
    expect(keys).toHaveLength(300);
    expect(new Set(keys.map((key) => key.id)).size).toBe(300);
    expect(keys.map((key) => key.id)).toEqual(emulator.edgeimpulse.keys(org).map((key) => key.id));
    const gets = emulator.requestsTo('edgeimpulse', 'GET');
    expect(gets).toHaveLength(1);
    expect(gets[0]).toMatchObject({ path: `/edgeimpulse/v1/api/organizations/${org}/apikeys`, query: '' });
  });

  test('listed keys carry the documented fields and only part of each key', async () => {
    const added = emulator.edgeimpulse.addKey(org, { name: 'ttl key', role: 'member', ttlSeconds: 60 });
    const listed = (await api().list(org)).find((key) => key.id === added.id)!;
    expect(listed).toMatchObject({ name: 'ttl key', role: 'member', isTransformationJobKey: false, apiKey: `${added.apiKey.slice(0, 7)}…` });
    expect(Date.parse(listed.expires!) - Date.parse(listed.created)).toBe(60_000);
    expect(listed.createdByUser).toMatchObject({ id: expect.any(Number), name: expect.any(String), username: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(added.apiKey);
  });

  test('a body without an apiKeys array is an invalid response', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', action: { kind: 'status', status: 200, body: { success: true } } });
    const error = await caught(api().list(org));
    expect(error).toBeInstanceOf(VendorInvalidResponseError);
    expect(error.message).toContain('no "apiKeys" array in the list');
  });
});

describe('EdgeImpulseOrganizationKeysApi.create', () => {
  test('returns the id and the full key, registers the key for redaction, and the listing shows only a part', async () => {
    const keys = api();
    const created = await keys.create(org, { name: 'ci', role: 'admin', ttlSeconds: 3600 });
    const stored = emulator.edgeimpulse.findKey(org, created.id)!;
    expect(created.apiKey).toBe(stored.apiKey);
    expect(created.apiKey).toMatch(/^ei_[0-9a-f]{64}$/);
    expect(stored).toMatchObject({ name: 'ci', role: 'admin', expires: stored.created + 3_600_000 });
    expect(redact(`echo ${created.apiKey}!`)).toBe('echo [redacted]!');
    const listed = await keys.list(org);
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);
  });

  test('sends only the documented body fields: no ttl or apiKey when they are not given', async () => {
    const created = await api().create(org, { name: 'plain', role: 'member' });
    expect(emulator.edgeimpulse.findKey(org, created.id)).toMatchObject({ role: 'member', expires: null });
  });

  test('a caller-supplied key is sent and registered for redaction before any answer', async () => {
    const custom = 'ei_caller_supplied_0123456789abcdefXYZ';
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'status', status: 500, body: { success: false, error: `refused ${custom}` } } });
    const refused = await caught(api().create(org, { name: 'custom', role: 'member', apiKey: custom }));
    expect(refused).toBeInstanceOf(VendorServerError);
    expect(refused.message).toBe('Edge Impulse rejected "add organization API key" with HTTP 500: refused [redacted]');
    const created = await api().create(org, { name: 'custom', role: 'member', apiKey: custom });
    expect(created.apiKey).toBe(custom);
    expect(emulator.edgeimpulse.findKey(org, created.id)!.apiKey).toBe(custom);
  });

  test('an answer without the key is accepted for a caller-supplied key, and an invalid response otherwise', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', times: 2, action: { kind: 'status', status: 200, body: { success: true, id: 4242 } } });
    expect(await api().create(org, { name: 'custom', role: 'admin', apiKey: `ei_${'x'.repeat(40)}` })).toEqual({ id: 4242, apiKey: undefined });
    const error = await caught(api().create(org, { name: 'generated', role: 'admin' }));
    expect(error).toBeInstanceOf(VendorInvalidResponseError);
    expect(error.message).toContain('key 4242 came without its value');
  });

  test('an answer without an id is an invalid response', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'status', status: 200, body: { success: true, apiKey: `ei_${'z'.repeat(64)}` } } });
    await expect(api().create(org, { name: 'x', role: 'admin' })).rejects.toThrow('no key id');
  });

  test.each([
    ['success-false', 200], ['http-status', 400],
  ] as const)('a refused custom key is a VendorValidationError with the vendor message (%s)', async (style, status) => {
    emulator.edgeimpulse.configure({ validationErrors: style });
    const error = await caught(api().create(org, { name: 'short', role: 'admin', apiKey: 'ei_short' }));
    expect(error).toBeInstanceOf(VendorValidationError);
    expect(error).toMatchObject({ status, code: 'APIKEYS_ERR_VENDOR_VALIDATION' });
    expect(error.message).toBe(`Edge Impulse rejected "add organization API key" with HTTP ${status}: API key needs to start with "ei_" and be at least 32 characters long`);
    expect(emulator.edgeimpulse.keys(org)).toHaveLength(1);
  });

  test('a 429 on create is retried (refused before processing) and makes one key', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: { success: false, error: 'Too many requests' } } });
    await api().create(org, { name: 'after 429', role: 'admin' });
    expect(statuses('POST')).toEqual([429, 200]);
    expect(emulator.edgeimpulse.keys(org).filter((key) => key.name === 'after 429')).toHaveLength(1);
  });

  test('a 5xx on create is not retried: the key may exist', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'status', status: 502, body: { success: false, error: 'Bad gateway' } } });
    const error = await caught(api().create(org, { name: 'x', role: 'admin' }));
    expect(error).toBeInstanceOf(VendorServerError);
    expect(statuses('POST')).toEqual([502]);
  });

  test('a create whose answer is lost is not resent and reports an unknown outcome', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'drop-response' } });
    const error = await caught(api().create(org, { name: 'lost', role: 'admin' }));
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(true);
    expect(statuses('POST')).toEqual(['dropped']);
    expect(emulator.edgeimpulse.keys(org).filter((key) => key.name === 'lost')).toHaveLength(1);
  });
});

describe('EdgeImpulseOrganizationKeysApi.delete', () => {
  test('revokes and resolves to true', async () => {
    const key = emulator.edgeimpulse.addKey(org, { name: 'doomed' });
    expect(await api().delete(org, key.id)).toBe(true);
    expect(emulator.edgeimpulse.findKey(org, key.id)).toBeUndefined();
    expect(statuses('GET')).toEqual([]);
  });

  test.each([
    ['success-false', 200], ['http-status', 404],
  ] as const)('a key that is already gone counts as revoked, confirmed by a listing (%s)', async (style, status) => {
    emulator.edgeimpulse.configure({ validationErrors: style });
    const key = emulator.edgeimpulse.addKey(org, { name: 'gone' });
    emulator.edgeimpulse.revokeKey(org, key.id);
    expect(await api().delete(org, key.id)).toBe(false);
    expect(emulator.requestsTo('edgeimpulse').map((record) => `${record.method} ${record.status}`)).toEqual([`DELETE ${status}`, 'GET 200']);
  });

  test('an error whatever its wording still fails when the listing shows the key', async () => {
    const key = emulator.edgeimpulse.addKey(org, { name: 'kept' });
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'DELETE', action: { kind: 'status', status: 200, body: { success: false, error: 'API key not found' } } });
    const error = await caught(api().delete(org, key.id));
    expect(error).toBeInstanceOf(VendorValidationError);
    expect(error.message).toContain('API key not found');
    expect(emulator.edgeimpulse.findKey(org, key.id)).toBeDefined();
  });

  test('a member key cannot revoke: the 403 stands, since the key is still listed', async () => {
    const member = emulator.edgeimpulse.addKey(org, { name: 'member', role: 'member' });
    const target = emulator.edgeimpulse.addKey(org, { name: 'target' });
    const error = await caught(api(member.apiKey).delete(org, target.id));
    expect(error).toBeInstanceOf(VendorPermissionError);
    expect(error.message).toContain('HTTP 403: This API key has the member role');
    expect((error as VendorPermissionError).hint).toContain('member-role keys cannot manage organization keys');
    expect(emulator.edgeimpulse.findKey(org, target.id)).toBeDefined();
  });

  test('a 401 is thrown without a confirming listing', async () => {
    const error = await caught(api('ei_wrong_wrong_wrong_wrong_wrong_wrong').delete(org, 1));
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    expect(statuses('GET')).toEqual([]);
  });

  test('when the confirming listing fails too, the revoke error is the one reported', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'DELETE', action: { kind: 'status', status: 409, body: { success: false, error: 'conflict' } } });
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', times: 3, action: { kind: 'status', status: 503, body: { success: false, error: 'down' } } });
    const error = await caught(api().delete(org, 1001));
    expect(error.message).toContain('HTTP 409: conflict');
  });
});

describe('retries and error shapes', () => {
  test('a 500 on a listing is retried and then succeeds', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', action: { kind: 'status', status: 500, body: { success: false, error: 'oops' } } });
    expect(await api().list(org)).toHaveLength(1);
    expect(statuses('GET')).toEqual([500, 200]);
  });

  test('a 429 with retry-after: 1 on a listing waits about a second', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', action: { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { success: false, error: 'slow down' } } });
    const started = Date.now();
    await api().list(org);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(statuses('GET')).toEqual([429, 200]);
  });

  test('persistent 503s end in a VendorServerError carrying body.error', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', times: 3, action: { kind: 'status', status: 503, body: { success: false, error: 'maintenance' } } });
    const error = await caught(api().list(org));
    expect(error).toBeInstanceOf(VendorServerError);
    expect(error.message).toBe('Edge Impulse rejected "list organization API keys" with HTTP 503: maintenance');
    expect(statuses('GET')).toEqual([503, 503, 503]);
  });

  test('a non-JSON error body is reported by its raw text', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', times: 3, action: { kind: 'status', status: 502, body: 'upstream unavailable' } });
    const error = await caught(api().list(org));
    expect(error.message).toBe('Edge Impulse rejected "list organization API keys" with HTTP 502: "upstream unavailable"');
  });

  test.each([
    ['http-status', VendorAuthenticationError, 401], ['success-false', VendorValidationError, 200],
  ] as const)('a wrong key is a clear error in either style (%s), without the key', async (style, type, status) => {
    emulator.edgeimpulse.configure({ authErrors: style });
    const wrong = 'ei_0000wrong0000wrong0000wrong0000wrong';
    const error = await caught(api(wrong).list(org));
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status });
    expect(error.message).toBe(`Edge Impulse rejected "list organization API keys" with HTTP ${status}: Invalid API key`);
    expect(JSON.stringify(error)).not.toContain(wrong);
    if (style === 'http-status') {
      expect((error as VendorAuthenticationError).hint).toContain(API_KEY_SOURCE);
      expect((error as VendorAuthenticationError).hint).toContain('Nothing was changed');
    }
  });

  test('a key of another organization is refused with 403', async () => {
    const other = emulator.edgeimpulse.addOrganization();
    const error = await caught(api(other.bootstrapApiKey).list(org));
    expect(error).toBeInstanceOf(VendorPermissionError);
    expect(error.message).toContain(`does not have access to organization ${org}`);
    expect(await api(other.bootstrapApiKey).list(other.id)).toHaveLength(1);
  });

  test('errorInSuccessBody and parseError follow Edge Impulse\'s own client', () => {
    expect(edgeImpulseErrorInSuccessBody({ success: true })).toBeUndefined();
    expect(edgeImpulseErrorInSuccessBody(undefined)).toBeUndefined();
    expect(edgeImpulseErrorInSuccessBody({ apiKeys: [] })).toBeUndefined();
    expect(edgeImpulseErrorInSuccessBody({ success: false, error: 'nope' })).toEqual({ message: 'nope' });
    expect(edgeImpulseErrorInSuccessBody({ success: false })).toEqual({ message: 'the answer said success: false without an error message' });
    expect(parseEdgeImpulseError({ success: false, error: 'bad' }, '{"success":false,"error":"bad"}')).toEqual({ message: 'bad' });
    expect(parseEdgeImpulseError(undefined, 'Bad gateway')).toEqual({ message: 'Bad gateway' });
    expect(parseEdgeImpulseError(undefined, '')).toEqual({ message: undefined });
  });

  test('customKeyProblem names what is wrong without repeating the key', () => {
    expect(customKeyProblem(`ei_${'a'.repeat(29)}`)).toBeUndefined();
    expect(customKeyProblem(`ei_${'a'.repeat(28)}`)).toBe('Edge Impulse requires a caller-supplied key to be at least 32 characters long (it has 31).');
    expect(customKeyProblem(`sk_${'a'.repeat(29)}`)).toBe('Edge Impulse requires a caller-supplied key to start with "ei_".');
    expect(customKeyProblem('secretvalue')).toBe('Edge Impulse requires a caller-supplied key to start with "ei_" and be at least 32 characters long (it has 11).');
  });
});
