import { createServer } from 'node:net';
import {
  OperationStoppedError, VendorAuthenticationError, VendorNotFoundError, VendorRateLimitError, VendorServerError,
  VendorTimeoutError, VendorUnreachableError, VendorValidationError,
} from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { VendorHttpClient, invalidResponse, type VendorDialect } from '../../../src/vendors/http/client';
import { redact, registerSecret } from '../../../src/core/security/redaction';
import type { RetryPolicy } from '../../../src/vendors/http/retry';
import { createOpenAiHttpClient } from '../../../src/vendors/openai/client';

const LIST = 'organization/admin_api_keys';

let emulator: VendorEmulator;
let openai: { baseUrl: string; adminKey: string };

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  const described = emulator.describe().vendors.openai;
  openai = { baseUrl: described.baseUrl, adminKey: String(described.adminKey) };
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.length = 0;
});

const fastRetry: Partial<RetryPolicy> = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };

function client(options: { retry?: Partial<RetryPolicy>; timeoutMs?: number; stopSignal?: AbortSignal; baseUrl?: string } = {}): VendorHttpClient {
  return createOpenAiHttpClient({
    adminKey: openai.adminKey,
    baseUrl: options.baseUrl ?? openai.baseUrl,
    adminKeySource: 'the OPENAI_ADMIN_KEY environment variable',
    retry: options.retry ?? fastRetry,
    timeoutMs: options.timeoutMs,
    stopSignal: options.stopSignal,
  });
}

const list = (http: VendorHttpClient) => http.send<{ object: string; data: unknown[] }>({ operation: 'list admin keys', method: 'GET', path: LIST });
const create = (http: VendorHttpClient, name: string) =>
  http.send<{ id: string; value: string }>({ operation: 'create admin key', method: 'POST', path: LIST, json: { name } });

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

const statuses = (method: string) => emulator.requestsTo('openai', method).map((record) => record.status);

describe('VendorHttpClient retries against the emulator', () => {
  test('an injected 500 on GET is retried and succeeds', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', pathIncludes: 'admin_api_keys', times: 1, action: { kind: 'status', status: 500, body: { error: { message: 'oops' } } } });
    const page = await list(client());
    expect(page.object).toBe('list');
    expect(page.data).toHaveLength(1);
    expect(statuses('GET')).toEqual([500, 200]);
  });

  test('an injected 429 with retry-after: 1 on GET waits about a second before the retry', async () => {
    emulator.faults.inject({
      vendor: 'openai', method: 'GET', pathIncludes: 'admin_api_keys', times: 1,
      action: { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down', type: 'rate_limit_error' } } },
    });
    const started = Date.now();
    await list(client({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } }));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2_900);
    expect(statuses('GET')).toEqual([429, 200]);
  });

  test('retries stop after maxRetries with a VendorServerError carrying the vendor message', async () => {
    emulator.faults.inject({
      vendor: 'openai', method: 'GET', pathIncludes: 'admin_api_keys', times: 10,
      action: { kind: 'status', status: 503, body: { error: { message: 'The engine is currently overloaded', type: 'server_error', code: 'overloaded', param: null } } },
    });
    const error = await caught(list(client()));
    expect(error).toBeInstanceOf(VendorServerError);
    const serverError = error as VendorServerError;
    expect(serverError.code).toBe('APIKEYS_ERR_VENDOR_SERVER');
    expect(serverError.status).toBe(503);
    expect(serverError.details.message).toBe('The engine is currently overloaded');
    expect(serverError.details.vendorType).toBe('server_error');
    expect(serverError.details.vendorCode).toBe('overloaded');
    expect(serverError.message).toMatch(/^OpenAI rejected "list admin keys" with HTTP 503 \(server_error\/overloaded\): The engine is currently overloaded \[request id req_[0-9a-f]+\]$/);
    expect(serverError.requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(serverError.hint).toBe('The vendor had a problem; run again later.');
    expect(statuses('GET')).toEqual([503, 503, 503]); // first attempt + maxRetries (2)
  });

  test('by default a request is retried four times, and a Retry-After beyond two minutes is not waited for', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 10, action: { kind: 'status', status: 503, headers: { 'retry-after': '0' } } });
    await expect(list(client({ retry: {} }))).rejects.toBeInstanceOf(VendorServerError);
    expect(statuses('GET')).toEqual([503, 503, 503, 503, 503]);
    emulator.faults.clear();
    emulator.requests.length = 0;
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 10, action: { kind: 'status', status: 429, headers: { 'retry-after': '121' } } });
    await expect(list(client({ retry: {} }))).rejects.toBeInstanceOf(VendorRateLimitError);
    expect(statuses('GET')).toEqual([429]);
  });

  test('maxRetries 0 sends exactly once', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 5, action: { kind: 'status', status: 500 } });
    await expect(list(client({ retry: { maxRetries: 0 } }))).rejects.toBeInstanceOf(VendorServerError);
    expect(statuses('GET')).toEqual([500]);
  });

  test('a connection reset on POST is not retried and leaves the outcome unknown', async () => {
    const before = emulator.openai.adminKeys.size;
    emulator.faults.inject({ vendor: 'openai', method: 'POST', pathIncludes: 'admin_api_keys', times: 1, action: { kind: 'reset' } });
    const error = await caught(create(client(), 'reset-create'));
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect(error).not.toBeInstanceOf(VendorTimeoutError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(true);
    expect((error as VendorUnreachableError).code).toBe('APIKEYS_ERR_VENDOR_UNREACHABLE');
    expect(error.message).toContain('the connection to http://127.0.0.1:');
    expect(emulator.requestsTo('openai', 'POST')).toHaveLength(1);
    expect(statuses('POST')).toEqual(['reset']);
    expect(emulator.openai.adminKeys.size).toBe(before); // a reset request is never handled
  });

  test('a connection reset on GET is retried', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', pathIncludes: 'admin_api_keys', times: 1, action: { kind: 'reset' } });
    const page = await list(client());
    expect(page.object).toBe('list');
    expect(statuses('GET')).toEqual(['reset', 200]);
  });

  test('a 429 on POST is retried (the vendor rejected it before processing) and creates one key', async () => {
    const before = emulator.openai.adminKeys.size;
    emulator.faults.inject({
      vendor: 'openai', method: 'POST', pathIncludes: 'admin_api_keys', times: 1,
      action: { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached' } } },
    });
    const created = await create(client(), 'rate-limited-create');
    expect(created.value).toMatch(/^sk-admin-/);
    expect(statuses('POST')).toEqual([429, 200]);
    expect(emulator.openai.adminKeys.size).toBe(before + 1);
  });

  test('a 500 on POST is not retried (the key may exist)', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'POST', times: 3, action: { kind: 'status', status: 500, body: { error: { message: 'internal' } } } });
    await expect(create(client(), 'server-error-create')).rejects.toBeInstanceOf(VendorServerError);
    expect(statuses('POST')).toEqual([500]);
  });

  test('a Retry-After longer than maxRetryAfterMs fails fast', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 3, action: { kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: { error: { message: 'quota' } } } });
    const started = Date.now();
    const error = await caught(list(client()));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(VendorRateLimitError);
    expect((error as VendorRateLimitError).code).toBe('APIKEYS_ERR_VENDOR_RATE_LIMITED');
    expect(statuses('GET')).toEqual([429]);
  });

  test('a slow answer past the deadline is a VendorTimeoutError with unknown outcome', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 1, action: { kind: 'delay', ms: 600 } });
    const error = await caught(list(client({ timeoutMs: 150, retry: { maxRetries: 0 } })));
    expect(error).toBeInstanceOf(VendorTimeoutError);
    expect((error as VendorTimeoutError).outcomeUnknown).toBe(true);
    expect(error.message).toContain('within 150 ms');
  });

  test('a refused connection is retried even for a POST (it was never sent) and has a known outcome', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const retries: unknown[] = [];
    const http = new VendorHttpClient({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      dialect: { vendor: 'Nowhere', parseError: () => ({}), authenticationHint: '' },
      authenticator: { authorize: () => ({}) },
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      logger: { debug: (message, fields) => { if (message === 'vendor request retry') retries.push(fields); } },
    });
    const error = await caught(http.send({ operation: 'create thing', method: 'POST', path: 'things', json: {} }));
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(false);
    expect(error.message).toBe(`could not connect to http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(retries).toHaveLength(2);
  });
});

describe('VendorHttpClient answers and errors', () => {
  test('404 becomes VendorNotFoundError and 400 a VendorValidationError with the blamed param', async () => {
    const http = client();
    const missing = await caught(http.send({ operation: 'get admin key', method: 'GET', path: `${LIST}/key_doesnotexist` }));
    expect(missing).toBeInstanceOf(VendorNotFoundError);
    expect((missing as VendorNotFoundError).status).toBe(404);
    const invalid = await caught(http.send({ operation: 'create admin key', method: 'POST', path: LIST, json: {} }));
    expect(invalid).toBeInstanceOf(VendorValidationError);
    expect((invalid as VendorValidationError).details.param).toBe('name');
    expect((invalid as VendorValidationError).details.vendorCode).toBe('missing_required_parameter');
  });

  test('401 becomes VendorAuthenticationError with the dialect hint', async () => {
    const http = createOpenAiHttpClient({ adminKey: 'sk-admin-not-a-real-key-000', baseUrl: openai.baseUrl, adminKeySource: 'the SOMEWHERE variable', retry: fastRetry });
    const error = await caught(list(http));
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    expect((error as VendorAuthenticationError).hint).toContain('the SOMEWHERE variable');
    expect(statuses('GET')).toEqual([401]); // 401 is not transient
  });

  test('acceptStatuses turns an error status into an answer', async () => {
    const response = await client().exchange({ operation: 'delete', method: 'DELETE', path: `${LIST}/key_gone`, acceptStatuses: [404] });
    expect(response.status).toBe(404);
    expect((response.body as { error: { code: string } }).error.code).toBe('not_found');
    expect(response.headers['x-request-id']).toMatch(/^req_/);
  });

  test('query parameters are sent and undefined ones left out', async () => {
    await client().send({ operation: 'list', method: 'GET', path: `/${LIST}`, query: { limit: 5, order: 'desc', after: undefined } });
    const [record] = emulator.requestsTo('openai', 'GET');
    expect(record.path).toBe('/openai/v1/organization/admin_api_keys');
    expect(new URLSearchParams(record.query).get('limit')).toBe('5');
    expect(new URLSearchParams(record.query).get('order')).toBe('desc');
    expect(new URLSearchParams(record.query).has('after')).toBe(false);
  });

  test('a 2xx error body is raised when the dialect recognises it', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 1, action: { kind: 'status', status: 200, body: { success: false, error: 'project not found' } } });
    const dialect: VendorDialect = {
      vendor: 'EdgeLike',
      parseError: () => ({}),
      errorInSuccessBody: (body) => ((body as { success?: boolean }).success === false ? { message: (body as { error: string }).error } : undefined),
      authenticationHint: '',
    };
    const http = new VendorHttpClient({ baseUrl: openai.baseUrl, dialect, authenticator: { authorize: () => ({ authorization: `Bearer ${openai.adminKey}` }) }, retry: fastRetry });
    const error = await caught(http.send({ operation: 'list', method: 'GET', path: LIST }));
    expect(error).toBeInstanceOf(VendorValidationError);
    expect(error.message).toBe('EdgeLike rejected "list" with HTTP 200: project not found');
  });

  test('an authenticator that learns from a 401 gets the request sent once more, even a POST', async () => {
    let token = 'sk-admin-stale-token-0000';
    const http = new VendorHttpClient({
      baseUrl: openai.baseUrl,
      dialect: { vendor: 'OpenAI', parseError: () => ({}), authenticationHint: '' },
      authenticator: {
        authorize: () => ({ authorization: `Bearer ${token}` }),
        onUnauthorized: () => {
          if (token === openai.adminKey) return false;
          token = openai.adminKey;
          return true;
        },
      },
      retry: { maxRetries: 0 },
    });
    const created = await http.send<{ value: string }>({ operation: 'create', method: 'POST', path: LIST, json: { name: 'challenged' } });
    expect(created.value).toMatch(/^sk-admin-/);
    expect(statuses('POST')).toEqual([401, 200]);
  });

  test('a stopped provider sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await caught(list(client({ stopSignal: controller.signal })));
    expect(error).toBeInstanceOf(OperationStoppedError);
    expect(error.message).toBe('OpenAI "list admin keys" was not sent: Terraform is stopping the provider');
    expect(emulator.requestsTo('openai')).toHaveLength(0);
  });

  test('stopping during a Retry-After wait ends the wait', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': '30' } } });
    const controller = new AbortController();
    const started = Date.now();
    const pending = caught(list(client({ stopSignal: controller.signal })));
    setTimeout(() => controller.abort(), 100);
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(OperationStoppedError);
    expect(statuses('GET')).toEqual([429]);
  });

  test('Ctrl-C (the stop signal) does not cut short a create in flight: it finishes and its answer arrives', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'POST', action: { kind: 'delay', ms: 200 } });
    const controller = new AbortController();
    const pending = create(client({ stopSignal: controller.signal }), 'in-flight');
    while (emulator.requestsTo('openai', 'POST').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const created = await pending;
    expect(created.value).toMatch(/^sk-admin-/);
    expect(statuses('POST')).toEqual([200]);
  });

  test('invalidResponse names the vendor, the operation and the problem', () => {
    const error = invalidResponse('OpenAI', 'list admin keys', 'no "data" array');
    expect(error.code).toBe('APIKEYS_ERR_VENDOR_INVALID_RESPONSE');
    expect(error.message).toBe('OpenAI answered "list admin keys" with an unexpected body: no "data" array');
  });
});

describe('redact', () => {
  test('removes registered secrets wherever they appear', () => {
    registerSecret('correct-horse-battery-staple');
    expect(redact('token=correct-horse-battery-staple; again correct-horse-battery-staple.')).toBe('token=[redacted]; again [redacted].');
  });

  test('secrets shorter than 8 characters are not registered (they would redact ordinary words)', () => {
    registerSecret('short');
    registerSecret(undefined);
    registerSecret(null);
    expect(redact('a short note')).toBe('a short note');
  });

  test('removes OpenAI and Edge Impulse key patterns it has never seen', () => {
    expect(redact('Incorrect API key provided: sk-proj-abcdefghij0123456789XYZ')).toBe('Incorrect API key provided: [redacted]');
    expect(redact('key sk-admin-abcdefghijklmnop is invalid')).toBe('key [redacted] is invalid');
    expect(redact('{"value":"sk-svcacct-AbCdEfGhIjKlMnOpQrStUvWx"}')).toBe('{"value":"[redacted]"}');
    expect(redact('ei_0123456789abcdef0123456789 leaked')).toBe('[redacted] leaked');
  });

  test('short key-like fragments stay readable (patterns need 20+ characters after the prefix)', () => {
    expect(redact('set an admin key (sk-admin-...) first')).toBe('set an admin key (sk-admin-...) first');
    expect(redact('sk-proj-abc123')).toBe('sk-proj-abc123');
    expect(redact('ei_short')).toBe('ei_short');
  });

  test('removes UUID-shaped Atlas private keys', () => {
    expect(redact('private key 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b here')).toBe('private key [redacted] here');
  });

  test('leaves masked keys and ordinary text alone', () => {
    expect(redact('sk-admin...xyz')).toBe('sk-admin...xyz');
    expect(redact('desk-top tasks')).toBe('desk-top tasks');
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  test('the client registers its credentials so they never reach messages', () => {
    const adminKey = 'credential-without-known-pattern-123';
    createOpenAiHttpClient({ adminKey, baseUrl: openai.baseUrl, adminKeySource: 'env' });
    expect(redact(`sent ${adminKey}`)).toBe('sent [redacted]');
  });
});
