/**
 * The campaign's fault proxy against a tiny upstream that counts what reached
 * it: each fault must act (or not) on the upstream exactly as documented.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { FAULT_KINDS, FaultProxy, isKeyCall, isKeyCreate, isKeyWrite, mulberry32, pathTemplate, type FaultKind } from '../../harness/fault-proxy';

const CREATE_PATH = '/openai/v1/organization/admin_api_keys';
const TIMEOUT_MS = 300;

let upstream: Server;
let upstreamOrigin: string;
const hits: { method: string; path: string; authorization?: string }[] = [];
let hitWaiters: (() => void)[] = [];
/** Next answer the upstream gives: the default is a 200 with a JSON body. */
let nextAnswer: { status: number; headers?: Record<string, string> } = { status: 200 };

beforeAll(async () => {
  upstream = createServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => {
      hits.push({ method: incoming.method!, path: incoming.url!, authorization: incoming.headers.authorization });
      hitWaiters.forEach((wake) => wake());
      hitWaiters = [];
      outgoing.writeHead(nextAnswer.status, { 'content-type': 'application/json', ...nextAnswer.headers });
      outgoing.end(JSON.stringify({ id: 'key_1', value: 'sk-admin-x' }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

beforeEach(() => {
  hits.length = 0;
  nextAnswer = { status: 200 };
});

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

async function proxyWith(kind: FaultKind | null, seed = 1): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ target: upstreamOrigin, seed, faultRate: kind ? 1 : 0, kinds: kind ? [kind] : [], providerTimeoutMs: TIMEOUT_MS });
  proxies.push(proxy);
  return proxy;
}

/**
 * A create through the proxy: the answer, or the client-side error code (reset, timeout).
 * The client gives up after `clientTimeoutMs`: the proxy's timeout for the tests that need a
 * client to give up (the proxy's long delays start later and last longer), else a generous bound.
 */
async function create(proxy: FaultProxy, headers: Record<string, string> = { authorization: 'Bearer sk-admin-test' }, path = CREATE_PATH, clientTimeoutMs = 30_000) {
  try {
    const answer = await request(`${proxy.url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'ci' }),
      signal: AbortSignal.timeout(clientTimeoutMs),
    });
    const text = await answer.body.text();
    return { status: answer.statusCode, headers: answer.headers, text };
  } catch (error) {
    const { code, name } = error as { code?: unknown; name?: string };
    return { error: typeof code === 'string' ? code : String(name) };
  }
}

/** Resolves once the upstream has seen `count` requests (bounded by jest's timeout). */
function upstreamHits(count: number): Promise<void> {
  if (hits.length >= count) return Promise.resolve();
  return new Promise((resolve) => hitWaiters.push(() => hits.length >= count && resolve()));
}

async function started(seed: number): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ target: upstreamOrigin, seed, providerTimeoutMs: TIMEOUT_MS });
  proxies.push(proxy);
  return proxy;
}

/** Polls a condition (the proxy finishes its side after the client gave up); jest's timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('request matching and seeding', () => {
  test('creates of all four families match; lists, deletes and token requests do not', () => {
    expect(isKeyCreate('POST', '/openai/v1/organization/admin_api_keys')).toBe(true);
    expect(isKeyCreate('POST', '/openai/v1/organization/projects/proj_a/service_accounts')).toBe(true);
    expect(isKeyCreate('POST', '/edgeimpulse/v1/api/organizations/1/apikeys')).toBe(true);
    expect(isKeyCreate('POST', '/atlas/api/atlas/v2/orgs/0123456789abcdef01234567/apiKeys')).toBe(true);
    expect(isKeyCreate('POST', '/atlas/api/atlas/v1.0/orgs/0123456789abcdef01234567/apiKeys')).toBe(true);
    expect(isKeyCreate('GET', '/openai/v1/organization/admin_api_keys')).toBe(false);
    expect(isKeyCreate('DELETE', '/edgeimpulse/v1/api/organizations/1/apikeys/5')).toBe(false);
    expect(isKeyCreate('POST', '/atlas/api/oauth/token')).toBe(false);
  });

  test('key calls add the lists, reads and deletes of every family, never the token endpoint', () => {
    for (const path of ['/openai/v1/organization/admin_api_keys', '/openai/v1/organization/admin_api_keys/key_1', '/openai/v1/organization/projects/proj_a/api_keys',
      '/openai/v1/organization/projects/proj_a/service_accounts/svc_acct_1', '/edgeimpulse/v1/api/organizations/1/apikeys/5', '/atlas/api/atlas/v2/orgs/0123456789abcdef01234567/apiKeys']) {
      expect([path, isKeyCall('GET', path) || isKeyCall('DELETE', path)]).toEqual([path, true]);
    }
    expect(isKeyCall('POST', '/edgeimpulse/v1/api/organizations/1/apikeys')).toBe(true);
    expect(isKeyCall('POST', '/atlas/api/oauth/token')).toBe(false);
    expect(isKeyCall('GET', '/openai/v1/organization/projects')).toBe(false);
  });

  test('key writes are the creates and the deletes of every family (a rotation\'s revocations), never lists, reads or tokens', () => {
    for (const path of ['/openai/v1/organization/admin_api_keys/key_1', '/openai/v1/organization/projects/proj_a/service_accounts/svc_acct_1',
      '/openai/v1/organization/projects/proj_a/api_keys/key_1', '/edgeimpulse/v1/api/organizations/1/apikeys/5', '/atlas/api/atlas/v2/orgs/0123456789abcdef01234567/apiKeys/0123456789abcdef01234568']) {
      expect([path, isKeyWrite('DELETE', path), isKeyWrite('GET', path)]).toEqual([path, true, false]);
    }
    expect(isKeyWrite('POST', '/edgeimpulse/v1/api/organizations/1/apikeys')).toBe(true);
    expect(isKeyWrite('GET', '/edgeimpulse/v1/api/organizations/1/apikeys')).toBe(false);
    expect(isKeyWrite('DELETE', '/atlas/api/oauth/token')).toBe(false);
    expect(isKeyWrite('DELETE', '/openai/v1/organization/projects/proj_a')).toBe(false);
  });

  test('request identities leave out the random ids of organizations, projects and keys', () => {
    expect(pathTemplate('/openai/v1/organization/projects/proj_abc/service_accounts')).toBe('/openai/v1/organization/projects/:id/service_accounts');
    expect(pathTemplate('/atlas/api/atlas/v2/orgs/0123456789abcdef01234567/apiKeys')).toBe('/atlas/api/atlas/v2/orgs/:id/apiKeys');
    expect(pathTemplate('/edgeimpulse/v1/api/organizations/12/apikeys/1001')).toBe('/edgeimpulse/v1/api/organizations/:id/apikeys/:id');
    expect(pathTemplate('/openai/v1/organization/admin_api_keys')).toBe('/openai/v1/organization/admin_api_keys');
  });

  test('mulberry32 is deterministic per seed and spreads over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(first).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(1);
    expect(first.filter((value) => value < 0.5).length).toBeGreaterThan(400);
    expect(Array.from({ length: 10 }, mulberry32(43))).not.toEqual(first.slice(0, 10));
  });

  test('a seed decides the same faults for the same requests whatever their order; another seed differs', async () => {
    const identities = Array.from({ length: 40 }, (_, index) => ['POST', CREATE_PATH, `key-${index % 20}`] as const);
    const decideAll = (proxy: FaultProxy, order: readonly (readonly [string, string, string])[]) =>
      new Map(order.map(([method, path, label], index) => [`${label}@${index < 20 ? 1 : 2}`, proxy.decide(method, path, label).fault]));
    const inOrder = decideAll(await started(7), identities);
    // Same seed, the second occurrences of each identity still come second, but interleaved differently.
    const shuffled = [...identities.slice(0, 20).reverse(), ...identities.slice(20).reverse()];
    const reordered = decideAll(await started(7), shuffled);
    expect(reordered).toEqual(inOrder);
    const other = decideAll(await started(8), identities);
    expect(other).not.toEqual(inOrder);
    const drawn = new Set(inOrder.values());
    expect(drawn.has('none')).toBe(true);
    expect([...drawn].some((fault) => (FAULT_KINDS as readonly string[]).includes(fault))).toBe(true);
  });
});

describe('faults', () => {
  test('no fault: the request and answer pass unchanged', async () => {
    const proxy = await proxyWith(null);
    const answer = await create(proxy);
    expect(answer).toMatchObject({ status: 200, text: JSON.stringify({ id: 'key_1', value: 'sk-admin-x' }) });
    expect(hits).toEqual([{ method: 'POST', path: CREATE_PATH, authorization: 'Bearer sk-admin-test' }]);
    expect(proxy.records).toMatchObject([{ fault: 'none', forwarded: true, upstreamStatus: 200, answered: 200, label: 'ci' }]);
  });

  test('429 with Retry-After, never forwarded', async () => {
    const proxy = await proxyWith('rate-limited');
    const answer = await create(proxy);
    expect(answer.status).toBe(429);
    expect(Number(answer.headers!['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(hits).toHaveLength(0);
    expect(proxy.faultCounts()).toEqual({ 'rate-limited': 1 });
  });

  test('5xx before acting is not forwarded; 5xx after acting is, and its answer is discarded', async () => {
    const before = await proxyWith('error-before');
    const beforeAnswer = await create(before);
    expect([500, 502, 503, 504]).toContain(beforeAnswer.status);
    expect(hits).toHaveLength(0);

    const after = await proxyWith('error-after');
    const afterAnswer = await create(after);
    expect([500, 502, 503, 504]).toContain(afterAnswer.status);
    expect(afterAnswer.text).not.toContain('sk-admin-x');
    expect(hits).toHaveLength(1);
    expect(after.records[0]).toMatchObject({ forwarded: true, upstreamStatus: 200 });
  });

  test('both 502 and 504 occur among after-acting errors', async () => {
    const proxy = await proxyWith('error-after');
    const statuses = new Set<number>();
    for (let index = 0; index < 40; index++) statuses.add((await create(proxy)).status!);
    expect(statuses.has(502)).toBe(true);
    expect(statuses.has(504)).toBe(true);
  });

  test('reset before acting never reaches the upstream; reset after acting does', async () => {
    const before = await proxyWith('reset-before');
    expect((await create(before)).error).toBeDefined();
    expect(hits).toHaveLength(0);
    const after = await proxyWith('reset-after');
    expect((await create(after)).error).toBeDefined();
    expect(hits).toHaveLength(1);
    expect(after.records[0]).toMatchObject({ forwarded: true, answered: 'reset' });
  });

  test('lost answer after acting: the upstream acted, the client hears nothing until its timeout', async () => {
    const proxy = await proxyWith('lost-after');
    const answer = await create(proxy, undefined, CREATE_PATH, TIMEOUT_MS);
    expect(answer.error).toMatch(/Timeout|Abort/);
    await until(() => proxy.records[0]?.answered === 'lost');
    expect(hits).toHaveLength(1);
    expect(proxy.records[0]).toMatchObject({ forwarded: true, upstreamStatus: 200 });
  });

  test('a long delay before acting outlasts the client, and the upstream still acts later', async () => {
    const proxy = await proxyWith('delay-before-long');
    const answer = await create(proxy, undefined, CREATE_PATH, TIMEOUT_MS);
    expect(answer.error).toMatch(/Timeout|Abort/);
    await upstreamHits(1);
    expect(proxy.records[0].forwarded).toBe(true);
  });

  test('a short delay before or after acting still delivers the answer', async () => {
    for (const kind of ['delay-before-short', 'delay-after-short'] as const) {
      const proxy = await proxyWith(kind);
      expect((await create(proxy)).status).toBe(200);
    }
    expect(hits).toHaveLength(2);
  });

  test('a long delay after acting: the upstream acted, the client times out', async () => {
    const proxy = await proxyWith('delay-after-long');
    expect((await create(proxy, undefined, CREATE_PATH, TIMEOUT_MS)).error).toMatch(/Timeout|Abort/);
    await upstreamHits(1);
    await until(() => proxy.records[0]?.answered === 'client-gone');
    expect(hits).toHaveLength(1);
  });

  test('a digest challenge passes through untouched, and uncredentialed requests are never faulted', async () => {
    const proxy = await proxyWith('error-after');
    nextAnswer = { status: 401, headers: { 'www-authenticate': 'Digest realm="MMS Public API", nonce="abc", qop="auth"' } };
    const challenged = await create(proxy, { authorization: 'Digest username="x", response="stale"' });
    expect(challenged.status).toBe(401);
    expect(challenged.headers!['www-authenticate']).toContain('nonce="abc"');
    expect(proxy.records[0].fault).toBe('passthrough');

    nextAnswer = { status: 200 };
    const bare = await create(proxy, {});
    expect(bare.status).toBe(200);
    expect(proxy.records[1].fault).toBe('passthrough');
  });

  test('beforeAnswer runs after the upstream acted and before the client hears anything', async () => {
    const proxy = await proxyWith(null);
    const seenByHook: number[] = [];
    proxy.beforeAnswer = (record) => {
      seenByHook.push(hits.length);
      expect(record.answered).toBe(0);
    };
    expect((await create(proxy)).status).toBe(200);
    expect(seenByHook).toEqual([1]);
  });

  test('beforeForward can drop a request before the upstream sees it', async () => {
    const proxy = await proxyWith(null);
    proxy.beforeForward = () => false;
    expect((await create(proxy)).error).toBeDefined();
    expect(hits).toHaveLength(0);
    expect(proxy.records[0]).toMatchObject({ forwarded: false, answered: 'reset' });
    proxy.beforeForward = () => true;
    expect((await create(proxy)).status).toBe(200);
  });

  test('labelOf names a request whose body names no key (a DELETE), so its faults are drawn per key', async () => {
    const proxy = await FaultProxy.start({ target: upstreamOrigin, seed: 3, faultRate: 0, providerTimeoutMs: TIMEOUT_MS, matches: isKeyWrite });
    proxies.push(proxy);
    proxy.labelOf = (method, path) => (method === 'DELETE' && path.endsWith('/key_1') ? 'ci' : undefined);
    const remove = (path: string) => request(`${proxy.url}${path}`, { method: 'DELETE', headers: { authorization: 'Bearer sk-admin-test' } }).then((answer) => answer.body.text());
    await remove(`${CREATE_PATH}/key_1`);
    await remove(`${CREATE_PATH}/key_2`);
    expect((await create(proxy)).status).toBe(200);
    expect(proxy.records.map((record) => [record.method, record.label])).toEqual([['DELETE', 'ci'], ['DELETE', undefined], ['POST', 'ci']]);
  });

  test('a disabled proxy and unmatched paths pass everything', async () => {
    const proxy = await proxyWith('error-before');
    expect((await create(proxy, undefined, '/openai/v1/organization/admin_api_keys/key_1')).status).toBe(200);
    proxy.enabled = false;
    expect((await create(proxy)).status).toBe(200);
    expect(proxy.faultCounts()).toEqual({});
  });
});
