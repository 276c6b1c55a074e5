import { VendorEmulator } from '../../../../src/emulator/server';
import { OpenAiRateLimiter, formatResetDuration } from '../../../../src/emulator/vendors/openai/rate-limit';
import { expectOpenAiError, rawCall } from '../../../support/raw-http';

describe('OpenAiRateLimiter (unit, with a fake clock)', () => {
  const ok = () => ({ status: 200, body: {} });

  test('a bucket of 2 refilling 1/s: third call is 429 with Retry-After 1, then admitted after a second', async () => {
    let now = 0;
    const limiter = new OpenAiRateLimiter({ enforce: true, capacity: 2, refillPerSecond: 1 }, () => now);
    expect((await limiter.admit('key_a', ok)).status).toBe(200);
    expect((await limiter.admit('key_a', ok)).status).toBe(200);
    const limited = await limiter.admit('key_a', ok);
    expect(limited.status).toBe(429);
    expect(limited.headers!['retry-after']).toBe('1');
    expect(limited.body).toEqual({ error: { message: expect.stringContaining('Rate limit reached for requests'), type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    expect((await limiter.admit('key_b', ok)).status).toBe(200); // buckets are per admin key
    now = 1000;
    expect((await limiter.admit('key_a', ok)).status).toBe(200);
  });

  test('Retry-After rounds the wait up to whole seconds, at least 1', async () => {
    let now = 0;
    const limiter = new OpenAiRateLimiter({ enforce: true, capacity: 1, refillPerSecond: 0.2 }, () => now);
    await limiter.admit('k', ok);
    expect((await limiter.admit('k', ok)).headers!['retry-after']).toBe('5');
    now = 4500;
    expect((await limiter.admit('k', ok)).headers!['retry-after']).toBe('1');
  });

  test('x-ratelimit headers count down even when limits are not enforced, and can be turned off', async () => {
    const limiter = new OpenAiRateLimiter({ capacity: 3, refillPerSecond: 1 }, () => 0);
    const remaining = [];
    for (let index = 0; index < 4; index++) {
      const answer = await limiter.admit('k', ok);
      expect(answer.status).toBe(200);
      expect(answer.headers!['x-ratelimit-limit-requests']).toBe('3');
      remaining.push(answer.headers!['x-ratelimit-remaining-requests']);
    }
    expect(remaining).toEqual(['2', '1', '0', '0']);
    limiter.configure({ headers: false });
    expect((await limiter.admit('k', ok)).headers).toBeUndefined();
  });

  test('formatResetDuration writes OpenAI-style durations', () => {
    expect(formatResetDuration(250)).toBe('250ms');
    expect(formatResetDuration(1000)).toBe('1s');
    expect(formatResetDuration(1200)).toBe('2s');
    expect(formatResetDuration(360_000)).toBe('6m0s');
  });

  test('a new capacity without a rate keeps the per-minute meaning', () => {
    const limiter = new OpenAiRateLimiter({ capacity: 60, refillPerSecond: 5 });
    expect(limiter.configure({ enforce: true }).refillPerSecond).toBe(5);
    expect(limiter.configure({ capacity: 120 }).refillPerSecond).toBe(2);
  });
});

describe('rate limits on the wire', () => {
  let emulator: VendorEmulator;
  let openai: { baseUrl: string; adminKey: string; projectId: string };

  beforeEach(async () => {
    emulator = await VendorEmulator.start({ openai: { rateLimit: { enforce: true, capacity: 2, refillPerSecond: 0.5 } } });
    const described = emulator.describe().vendors.openai;
    openai = { baseUrl: described.baseUrl, adminKey: String(described.adminKey), projectId: String(described.projectId) };
  });

  afterEach(async () => {
    await emulator.stop();
  });

  const get = (path: string, bearer: string | null = openai.adminKey) => rawCall('GET', `${openai.baseUrl}${path}`, { bearer });

  test('admin-key and project routes share one bucket per admin key; the 429 has OpenAI shape and Retry-After', async () => {
    const first = await get('/organization/admin_api_keys');
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit-requests']).toBe('2');
    expect(first.headers['x-ratelimit-remaining-requests']).toBe('1');
    expect(first.headers['x-ratelimit-reset-requests']).toBe('2s');
    expect((await get(`/organization/projects/${openai.projectId}/api_keys`)).status).toBe(200);
    const limited = await get(`/organization/projects/${openai.projectId}/service_accounts`);
    expectOpenAiError(limited, 429);
    expect(limited.body.error.code).toBe('rate_limit_exceeded');
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(limited.headers['x-request-id']).toMatch(/^req_/);
  });

  test('a 401 costs no token and carries no rate-limit headers', async () => {
    const denied = await get('/organization/admin_api_keys', null);
    expect(denied.status).toBe(401);
    expect(denied.headers).not.toHaveProperty('x-ratelimit-remaining-requests');
    expect((await get('/organization/admin_api_keys')).headers['x-ratelimit-remaining-requests']).toBe('1');
  });

  test('the control route switches enforcement off, and the headers', async () => {
    const changed = await rawCall('PATCH', `${emulator.url}/_emulator/openai/options`, { json: { rateLimit: { enforce: false, headers: false } } });
    expect(changed.body.rateLimit).toMatchObject({ enforce: false, headers: false, capacity: 2 });
    for (let index = 0; index < 4; index++) {
      const answer = await get('/organization/admin_api_keys');
      expect(answer.status).toBe(200);
      expect(answer.headers).not.toHaveProperty('x-ratelimit-limit-requests');
    }
  });
});
