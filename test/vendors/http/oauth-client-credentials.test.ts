import { VendorAuthenticationError, VendorInvalidResponseError, VendorUnreachableError } from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { atlasDialect } from '../../../src/vendors/atlas/client';
import { VendorHttpClient } from '../../../src/vendors/http/client';
import { OAuthClientCredentials, basicCredentials } from '../../../src/vendors/http/oauth-client-credentials';

let emulator: VendorEmulator;
let atlas: Record<string, string>;

beforeEach(async () => {
  emulator = await VendorEmulator.start({ atlas: { organizations: 1 } });
  atlas = Object.fromEntries(Object.entries(emulator.describe().vendors.atlas).map(([name, value]) => [name, String(value)]));
});

afterEach(async () => {
  await emulator.stop();
});

const credentials = { kind: 'service-account' as const, clientId: 'id', clientSecret: 'secret', source: 'the test' };

function setup(options: { clientSecret?: string; now?: () => number; maxRetries?: number } = {}) {
  const logs: string[] = [];
  const logger = { debug: (message: string, fields?: Record<string, unknown>) => logs.push(JSON.stringify({ message, ...fields })) };
  const dialect = atlasDialect(credentials);
  const retry = { maxRetries: options.maxRetries ?? 1, baseDelayMs: 5, maxDelayMs: 10 };
  const oauth = new OAuthClientCredentials({
    baseUrl: atlas.baseUrl, tokenPath: 'api/oauth/token', revokePath: 'api/oauth/revoke', dialect, logger, retry,
    clientId: atlas.clientId, clientSecret: options.clientSecret ?? atlas.clientSecret, now: options.now,
  });
  const http = new VendorHttpClient({
    baseUrl: `${atlas.baseUrl}/api/atlas/v2`, dialect, authenticator: oauth, logger, retry,
    defaultHeaders: { accept: 'application/vnd.atlas.2023-01-01+json' },
  });
  const list = () => http.send<{ results: unknown[] }>({ operation: 'list organization API keys', method: 'GET', path: `orgs/${atlas.orgId}/apiKeys` });
  return { oauth, http, list, logs };
}

const tokenRequests = () => emulator.requestsTo('atlas', 'POST', '/api/oauth/token');
const apiStatuses = () => emulator.requestsTo('atlas', 'GET', '/apiKeys').map((record) => record.status);

describe('OAuthClientCredentials against the Atlas emulator', () => {
  test('one token serves many requests', async () => {
    const { list, oauth } = setup();
    for (let index = 0; index < 4; index++) expect((await list()).results).toHaveLength(1);
    expect(tokenRequests()).toHaveLength(1);
    expect(oauth.tokenRequests).toBe(1);
    expect(apiStatuses()).toEqual([200, 200, 200, 200]);
  });

  test('concurrent requests share one token request', async () => {
    const { list } = setup();
    await Promise.all(Array.from({ length: 8 }, () => list()));
    expect(tokenRequests()).toHaveLength(1);
    expect(apiStatuses()).toEqual(Array(8).fill(200));
  });

  test('the token is renewed shortly before it expires (clock driven)', async () => {
    let now = 1_000_000;
    const { list } = setup({ now: () => now });
    await list();
    now += 3_600_000 - 61_000; // a minute and a second before expiry: still used
    await list();
    expect(tokenRequests()).toHaveLength(1);
    now += 2_000; // inside the renewal margin
    await list();
    expect(tokenRequests()).toHaveLength(2);
    expect(emulator.atlas.issuedTokens()).toHaveLength(2);
  });

  test('with a one-second token, a request after expiry fetches a new token before sending, so no 401', async () => {
    emulator.atlas.settings.tokenLifetimeSeconds = 1;
    const { list } = setup();
    await list();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await list();
    expect(tokenRequests()).toHaveLength(2);
    expect(apiStatuses()).toEqual([200, 200]);
  });

  test('a token the vendor no longer accepts is dropped on the 401, and the request is resent once with a new one', async () => {
    const { list } = setup();
    await list();
    emulator.atlas.expireTokens();
    await list();
    expect(apiStatuses()).toEqual([200, 401, 200]);
    expect(tokenRequests()).toHaveLength(2);
  });

  test('a second 401 for the same request is final: VendorAuthenticationError, no loop', async () => {
    const { list } = setup();
    emulator.faults.inject({
      vendor: 'atlas', method: 'GET', pathIncludes: '/apiKeys', times: 5,
      action: { kind: 'status', status: 401, body: { detail: 'Current user is not authorized to perform this action.', error: 401, errorCode: 'USER_UNAUTHORIZED', parameters: [], reason: 'Unauthorized' } },
    });
    const error = await list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    expect((error as Error).message).toContain('HTTP 401 (USER_UNAUTHORIZED): Current user is not authorized to perform this action.');
    expect(apiStatuses()).toEqual([401, 401]);
    expect(tokenRequests()).toHaveLength(2);
  });

  test('a wrong client secret fails at the token endpoint with the hint; the API call is never sent', async () => {
    const wrongSecret = 'mdb_sa_sk_wrongwrongwrongwrongwrongwrong';
    const { list, logs } = setup({ clientSecret: wrongSecret });
    const error = await list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    const authError = error as VendorAuthenticationError;
    expect(authError.operation).toBe('get access token');
    expect(authError.message).toBe('MongoDB Atlas rejected "get access token" with HTTP 401 (invalid_client): Invalid client credentials.');
    expect(authError.hint).toContain('the client id and secret of an organization service account in the test');
    expect(emulator.requestsTo('atlas', 'GET')).toHaveLength(0);
    expect(JSON.stringify(authError)).not.toContain(wrongSecret);
    expect(logs.join('\n')).not.toContain(wrongSecret);
  });

  test('neither the token nor the client secret appears in logs or errors', async () => {
    const { list, logs } = setup();
    await list();
    emulator.atlas.expireTokens();
    await list();
    const secrets = [...emulator.atlas.issuedTokens(), atlas.clientSecret, basicCredentials(atlas.clientId, atlas.clientSecret).slice(6)];
    expect(logs.length).toBeGreaterThan(3);
    for (const secret of secrets) expect(logs.join('\n')).not.toContain(secret);
  });

  test('revoke invalidates the token at the vendor; the next request fetches another', async () => {
    const { list, oauth } = setup();
    await list();
    expect(emulator.atlas.issuedTokens()).toHaveLength(1);
    await oauth.revoke();
    expect(emulator.atlas.issuedTokens()).toHaveLength(0);
    expect(emulator.requestsTo('atlas', 'POST', '/api/oauth/revoke').map((record) => record.status)).toEqual([200]);
    await list();
    expect(tokenRequests()).toHaveLength(2);
  });

  test('a lost token answer is retried (minting twice is harmless), then reported as "not sent" for the API call', async () => {
    const { list } = setup({ maxRetries: 1 });
    emulator.faults.inject({ vendor: 'atlas', method: 'POST', pathIncludes: '/api/oauth/token', times: 2, action: { kind: 'drop-response' } });
    const error = await list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(false);
    expect(tokenRequests().map((record) => record.status)).toEqual(['dropped', 'dropped']);
    expect(emulator.requestsTo('atlas', 'GET')).toHaveLength(0);
  });

  test('a token answer without access_token, or not Bearer, is an invalid response', async () => {
    const { list } = setup({ maxRetries: 0 });
    emulator.faults.inject({ vendor: 'atlas', method: 'POST', pathIncludes: '/api/oauth/token', action: { kind: 'status', status: 200, body: { token_type: 'Bearer', expires_in: 3600 } } });
    await expect(list()).rejects.toThrow('answered "get access token" with an unexpected body: no access_token');
    emulator.faults.inject({ vendor: 'atlas', method: 'POST', pathIncludes: '/api/oauth/token', action: { kind: 'status', status: 200, body: { access_token: 'eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnop.qrstuvwxyz', token_type: 'mac', expires_in: 3600 } } });
    const error = await list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorInvalidResponseError);
    expect((error as Error).message).toContain('token_type is "mac", expected "Bearer"');
    expect((error as Error).message).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });
});

describe('basicCredentials', () => {
  test('form-encodes id and secret before base64 (RFC 6749 section 2.3.1)', () => {
    const header = basicCredentials('my id', 'p:ss/w%rd');
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')).toBe('my+id:p%3Ass%2Fw%25rd');
  });
});
