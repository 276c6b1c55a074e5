import { VendorEmulator } from '../../../../src/emulator/server';
import type { EmulatedOpenAiOrganization } from '../../../../src/emulator/vendors/openai';
import { expectOpenAiError, rawCall, type Answer, type Method } from '../../../support/raw-http';

/**
 * What key rotation, expiry and audits need of the emulated OpenAI: every
 * key it makes authenticates where OpenAI would accept it and records its
 * last use; expired keys are refused; tests age keys through the control
 * API (any organization) or in process.
 */
let emulator: VendorEmulator;
let baseUrl: string;
let adminKey: string;
let projectId: string;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const openai = emulator.describe().vendors.openai;
  baseUrl = openai.baseUrl;
  adminKey = String(openai.adminKey);
  projectId = String(openai.projectId);
});

afterEach(async () => {
  await emulator.stop();
});

const call = <T = any>(method: Method, path: string, options: { bearer?: string | null; json?: unknown } = {}): Promise<Answer<T>> => // eslint-disable-line @typescript-eslint/no-explicit-any
  rawCall<T>(method, `${baseUrl}${path}`, { bearer: options.bearer === undefined ? adminKey : options.bearer, json: options.json });
const control = (method: Method, path: string, json?: unknown) => rawCall(method, `${emulator.url}/_emulator/openai${path}`, { json });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const serviceAccount = (name = 'ci', json: Record<string, unknown> = {}) => call('POST', `/organization/projects/${projectId}/service_accounts`, { json: { name, ...json } });
const listedKey = async (keyId: string) => (await call('GET', `/organization/projects/${projectId}/api_keys/${keyId}`)).body;

describe('admin keys: the admin API authenticates every admin key, and records its use', () => {
  test('a key made through the API signs in; last_used_at goes from null to the request time', async () => {
    const created = (await call('POST', '/organization/admin_api_keys', { json: { name: 'rotated-in' } })).body;
    expect(created.last_used_at).toBeNull();
    const before = nowSeconds();
    expect((await call('GET', '/organization/admin_api_keys', { bearer: created.value })).status).toBe(200);
    const seen = (await call('GET', `/organization/admin_api_keys/${created.id}`, { bearer: created.value })).body;
    expect(seen.last_used_at).toBeGreaterThanOrEqual(before);
    expect(seen.last_used_at).toBeLessThanOrEqual(nowSeconds());
  });

  test('a key past expires_at (from expires_in_seconds) is refused', async () => {
    const created = (await call('POST', '/organization/admin_api_keys', { json: { name: 'short', expires_in_seconds: 60 } })).body;
    expect(created.expires_at).toBe(created.created_at + 60);
    expect((await call('GET', '/organization/admin_api_keys', { bearer: created.value })).status).toBe(200);
    await control('PATCH', `/admin_api_keys/${created.id}`, { expires_at: nowSeconds() - 1 });
    expectOpenAiError(await call('GET', '/organization/admin_api_keys', { bearer: created.value }), 401);
  });

  test('a project key cannot use the admin API', async () => {
    const { api_key: key } = (await serviceAccount()).body;
    const answer = await call('GET', '/organization/admin_api_keys', { bearer: key.value });
    expectOpenAiError(answer, 401);
    expect(answer.body.error.code).toBe('invalid_api_key');
  });
});

describe('project and service-account keys: GET /models authenticates them and records their use', () => {
  test('a service account\'s key lists models; its last_used_at is set', async () => {
    const { api_key: key } = (await serviceAccount()).body;
    expect((await listedKey(key.id)).last_used_at).toBeNull();
    const answer = await call('GET', '/models', { bearer: key.value });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ object: 'list', data: [{ id: expect.any(String), object: 'model', created: expect.any(Number), owned_by: 'system' }] });
    expect(answer.headers['x-request-id']).toMatch(/^req_/);
    expect((await listedKey(key.id)).last_used_at).toBeGreaterThanOrEqual(nowSeconds() - 5);
  });

  test('a user-owned key made in the dashboard works too, in any organization', async () => {
    const other = emulator.openai.addOrganization({ name: 'second' });
    const key = other.projects.addUserKey(other.projects.defaultProjectId, { name: 'laptop' });
    expect((await call('GET', '/models', { bearer: key.value })).status).toBe(200);
    expect(key.last_used_at).not.toBeNull();
  });

  test('refused: no key, an unknown key, an admin key, a key of an archived project or an inactive owner', async () => {
    expectOpenAiError(await call('GET', '/models', { bearer: null }), 401);
    expectOpenAiError(await call('GET', '/models', { bearer: 'sk-proj-unknownunknownunknown' }), 401);
    const admin = await call('GET', '/models');
    expectOpenAiError(admin, 401);
    expect(admin.body.error.message).toContain('Admin API keys');
    const inactive = emulator.openai.projects.addUserKey(projectId, { name: 'left', ownerProjectAccess: 'inactive' });
    expectOpenAiError(await call('GET', '/models', { bearer: inactive.value }), 401);
    const { api_key: key } = (await serviceAccount()).body;
    emulator.openai.projects.archiveProject(projectId);
    expectOpenAiError(await call('GET', '/models', { bearer: key.value }), 401);
    expect(inactive.last_used_at).toBeNull();
  });

  test('a deleted service account\'s key no longer authenticates', async () => {
    const created = (await serviceAccount()).body;
    expect((await call('DELETE', `/organization/projects/${projectId}/service_accounts/${created.id}`)).status).toBe(200);
    expectOpenAiError(await call('GET', '/models', { bearer: created.api_key.value }), 401);
  });
});

describe('service-account expiry (the 2026 SDKs\' expires_in_seconds), off by default', () => {
  test('off: expires_in_seconds is an unknown argument (400), and keys carry no expires_at', async () => {
    const refused = await serviceAccount('ci', { expires_in_seconds: 600 });
    expectOpenAiError(refused, 400, 'expires_in_seconds');
    expect(emulator.openai.projects.serviceAccounts(projectId).size).toBe(0);
    const { api_key: key } = (await serviceAccount()).body;
    expect(key).not.toHaveProperty('expires_at');
    expect(await listedKey(key.id)).not.toHaveProperty('expires_at');
  });

  test('on: the key gets expires_at, in the create answer and the listing, and is refused once it has passed', async () => {
    expect((await control('PATCH', '/options', { projects: { serviceAccountKeyExpiry: true } })).body.projects.serviceAccountKeyExpiry).toBe(true);
    const created = (await serviceAccount('ci', { expires_in_seconds: 600 })).body;
    expect(created.api_key.expires_at).toBe(created.api_key.created_at + 600);
    expect((await listedKey(created.api_key.id)).expires_at).toBe(created.api_key.created_at + 600);
    const forever = (await serviceAccount('forever')).body;
    expect(forever.api_key.expires_at).toBeNull();
    expect((await call('GET', '/models', { bearer: created.api_key.value })).status).toBe(200);
    await control('PATCH', `/projects/${projectId}/api_keys/${created.api_key.id}`, { expires_at: nowSeconds() - 1 });
    expectOpenAiError(await call('GET', '/models', { bearer: created.api_key.value }), 401);
    for (const bad of [0, 31_536_001, 1.5, 'soon']) expectOpenAiError(await serviceAccount('bad', { expires_in_seconds: bad }), 400, 'expires_in_seconds');
  });

  test('the switch is a constructor option too', async () => {
    const switched = await VendorEmulator.start({ openai: { projects: { serviceAccountKeyExpiry: true } } });
    try {
      expect(switched.openai.settings().projects.serviceAccountKeyExpiry).toBe(true);
    } finally {
      await switched.stop();
    }
  });
});

describe('aging keys in any organization', () => {
  let second: EmulatedOpenAiOrganization;
  beforeEach(() => {
    second = emulator.openai.addOrganization({ name: 'second', defaultProjectId: 'proj_second' });
  });
  const scoped = (path: string) => `/organizations/${second.id}${path}`;

  test('an admin key\'s created_at and last_used_at, and back to never used, over the control API', async () => {
    const key = second.addAdminKey('old');
    const aged = await control('PATCH', scoped(`/admin_api_keys/${key.id}`), { created_at: 1_600_000_000, last_used_at: 1_600_000_100 });
    expect(aged.status).toBe(200);
    expect(aged.body).toMatchObject({ id: key.id, created_at: 1_600_000_000, last_used_at: 1_600_000_100 });
    const listed = await call('GET', '/organization/admin_api_keys', { bearer: second.bootstrapAdminKey });
    expect(listed.body.data.find((found: { id: string }) => found.id === key.id)).toMatchObject({ created_at: 1_600_000_000, last_used_at: 1_600_000_100 });
    expect((await control('PATCH', scoped(`/admin_api_keys/${key.id}`), { last_used_at: null })).body.last_used_at).toBeNull();
    // The default organization is untouched, and its shortcut routes still work.
    expect((await control('GET', '/admin_api_keys')).body.map((found: { id: string }) => found.id)).not.toContain(key.id);
    expect((await control('GET', scoped('/admin_api_keys'))).body.map((found: { id: string }) => found.id)).toContain(key.id);
  });

  test('a project key\'s created_at and last_used_at over the control API', async () => {
    const key = second.projects.addUserKey('proj_second', { name: 'dashboard' });
    const aged = await control('PATCH', scoped(`/projects/proj_second/api_keys/${key.id}`), { created_at: 1_500_000_000, last_used_at: 1_500_000_500 });
    expect(aged.body).toMatchObject({ created_at: 1_500_000_000, last_used_at: 1_500_000_500 });
    const listed = await call('GET', '/organization/projects/proj_second/api_keys', { bearer: second.bootstrapAdminKey });
    expect(listed.body.data[0]).toMatchObject({ id: key.id, created_at: 1_500_000_000, last_used_at: 1_500_000_500 });
  });

  test('in process: setAdminKeyTimes and projects.setKeyTimes', () => {
    const key = second.addAdminKey('in process');
    second.setAdminKeyTimes(key.id, { created: new Date('2024-01-01T00:00:00Z'), lastUsed: new Date('2024-02-01T00:00:00Z') });
    expect(second.present(key)).toMatchObject({ created_at: 1_704_067_200, last_used_at: 1_706_745_600 });
    second.setAdminKeyTimes(key.id, { lastUsed: null });
    expect(key.last_used_at).toBeNull();
    const projectKey = second.projects.addUserKey('proj_second', { name: 'k' });
    second.projects.setKeyTimes('proj_second', projectKey.id, { created: new Date(0) });
    expect(projectKey.created_at).toBe(0);
    expect(() => second.setAdminKeyTimes('key_nope', {})).toThrow(/no admin key key_nope/);
  });

  test('bad values are a 400 naming the field; an unknown organization or key a 404', async () => {
    const key = second.addAdminKey('x');
    for (const [body, field] of [[{ created_at: 'yesterday' }, 'created_at'], [{ last_used_at: -1 }, 'last_used_at'], [{ name: 7 }, 'name']] as const) {
      const answer = await control('PATCH', scoped(`/admin_api_keys/${key.id}`), body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain(field);
    }
    expect((await control('PATCH', `/organizations/org-nope/admin_api_keys/${key.id}`, {})).status).toBe(404);
    expect((await control('PATCH', scoped('/admin_api_keys/key_nope'), {})).status).toBe(404);
    expect((await control('GET', '/organizations/org-nope/projects')).status).toBe(404);
  });
});

test('listings show keys redacted the same stable way: the first 8 characters, "...", the last 3', async () => {
  const admin = (await call('POST', '/organization/admin_api_keys', { json: { name: 'r' } })).body;
  const { api_key: serviceKey } = (await serviceAccount()).body;
  const user = emulator.openai.projects.addUserKey(projectId, { name: 'u' });
  const redacted = (value: string) => `${value.slice(0, 8)}...${value.slice(-3)}`;
  expect((await call('GET', `/organization/admin_api_keys/${admin.id}`)).body.redacted_value).toBe(redacted(admin.value));
  expect(redacted(admin.value)).toMatch(/^sk-admin\.\.\.[A-Za-z0-9]{3}$/);
  expect((await listedKey(serviceKey.id)).redacted_value).toMatch(/^sk-svcac\.\.\.[A-Za-z0-9]{3}$/);
  expect((await listedKey(user.id)).redacted_value).toBe(redacted(user.value));
  expect(redacted(user.value)).toMatch(/^sk-proj-\.\.\.[A-Za-z0-9]{3}$/);
});
