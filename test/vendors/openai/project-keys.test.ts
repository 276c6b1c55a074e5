import {
  VendorAuthenticationError, VendorError, VendorInvalidResponseError, VendorNotFoundError, VendorRateLimitError,
  VendorUnreachableError, VendorValidationError,
} from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { createOpenAiHttpClient } from '../../../src/vendors/openai/client';
import { redact } from '../../../src/core/security/redaction';
import type { RetryPolicy } from '../../../src/vendors/http/retry';
import { OpenAiProjectKeysApi } from '../../../src/vendors/openai/project-keys';
import { OpenAiServiceAccountsApi } from '../../../src/vendors/openai/service-accounts';

let emulator: VendorEmulator;
let baseUrl: string;
let adminKey: string;
let projectId: string;

const fastRetry: Partial<RetryPolicy> = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };

function apis(options: { key?: string; retry?: Partial<RetryPolicy> } = {}) {
  const http = createOpenAiHttpClient({ adminKey: options.key ?? adminKey, baseUrl, adminKeySource: 'env OPENAI_ADMIN_KEY', retry: options.retry ?? fastRetry });
  const serviceAccounts = new OpenAiServiceAccountsApi(http);
  return { serviceAccounts, projectKeys: new OpenAiProjectKeysApi(http, serviceAccounts) };
}

const projects = () => emulator.openai.projects;
const requests = (method: string, fragment: string) => emulator.requestsTo('openai', method, fragment);
const queries = (method: string, fragment: string) => requests(method, fragment).map((record) => new URLSearchParams(record.query));

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

describe('OpenAiProjectKeysApi.list', () => {
  test('reads 250 keys in 3 pages of 100 with after= cursors, asking owner_project_access=any', async () => {
    for (let index = 0; index < 125; index++) projects().createServiceAccount(projectId, `sa-${index}`);
    for (let index = 0; index < 125; index++) projects().addUserKey(projectId, { name: `user-${index}`, ownerProjectAccess: index % 5 === 0 ? 'inactive' : 'active' });

    const keys = await apis().projectKeys.list(projectId);

    expect(keys).toHaveLength(250); // inactive keys included
    const ids = keys.map((key) => key.id);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(projects().keys().all().map((key) => key.id));
    const pages = queries('GET', '/api_keys');
    expect(pages).toHaveLength(3);
    expect(pages.map((query) => query.get('limit'))).toEqual(['100', '100', '100']);
    expect(pages.map((query) => query.get('owner_project_access'))).toEqual(['any', 'any', 'any']);
    expect(pages[0].has('after')).toBe(false);
    expect(pages[1].get('after')).toBe(ids[99]);
    expect(pages[2].get('after')).toBe(ids[199]);
  });

  test('the list order does not matter: desc gives the same keys', async () => {
    for (let index = 0; index < 210; index++) projects().addUserKey(projectId, { name: `k${index}` });
    emulator.openai.configure({ projects: { keyListOrder: 'desc' } });
    const keys = await apis().projectKeys.list(projectId);
    expect(new Set(keys.map((key) => key.id))).toEqual(new Set(projects().keys().all().map((key) => key.id)));
    expect(requests('GET', '/api_keys')).toHaveLength(3);
  });

  test('a server that rejects owner_project_access is listed without it, and the adapter remembers', async () => {
    emulator.openai.configure({ projects: { ownerProjectAccessParameter: 'rejected' } });
    for (let index = 0; index < 3; index++) projects().addUserKey(projectId, { name: `k${index}` });
    const { projectKeys } = apis();
    expect(await projectKeys.list(projectId)).toHaveLength(3);
    expect(await projectKeys.list(projectId)).toHaveLength(3);
    expect(requests('GET', '/api_keys').map((record) => record.status)).toEqual([400, 200, 200]);
    expect(queries('GET', '/api_keys').map((query) => query.has('owner_project_access'))).toEqual([true, false, false]);
  });

  test('other 400s are not mistaken for the unsupported parameter', async () => {
    await expect(apis().projectKeys.list('proj_missing')).rejects.toBeInstanceOf(VendorNotFoundError);
  });
});

describe('OpenAiServiceAccountsApi', () => {
  test('list reads 230 accounts in 3 pages', async () => {
    for (let index = 0; index < 230; index++) projects().createServiceAccount(projectId, `sa-${index}`);
    const accounts = await apis().serviceAccounts.list(projectId);
    expect(accounts.map((account) => account.name)).toEqual(Array.from({ length: 230 }, (_, index) => `sa-${index}`));
    const pages = queries('GET', '/service_accounts');
    expect(pages).toHaveLength(3);
    expect(pages[1].get('after')).toBe(accounts[99].id);
    expect(pages[2].get('after')).toBe(accounts[199].id);
  });

  test('create returns the key value once and registers it for redaction', async () => {
    const created = await apis().serviceAccounts.create(projectId, { name: 'ci' });
    expect(created.api_key!.value).toMatch(/^sk-svcacct-/);
    expect(redact(`leak ${created.api_key!.value}`)).toBe('leak [redacted]');
    const stored = projects().keys().get(created.api_key!.id)!;
    expect(stored.value).toBe(created.api_key!.value);
    expect(created.role).toBe('member'); // no create_service_account_only flag was sent
  });

  test('createServiceAccountOnly sends the flag and accepts api_key null', async () => {
    const created = await apis().serviceAccounts.create(projectId, { name: 'bare', createServiceAccountOnly: true });
    expect(created.api_key).toBeNull();
    expect(created.role).toBe('none');
  });

  test('an answer without the key it should carry is an invalid response, and the keyless account is deleted again', async () => {
    emulator.faults.inject({
      vendor: 'openai', method: 'POST', pathIncludes: '/service_accounts',
      action: { kind: 'status', status: 200, body: { object: 'organization.project.service_account', id: 'svc_acct_ghost', name: 'x', role: 'member', created_at: 1, api_key: null } },
    });
    const error = await apis().serviceAccounts.create(projectId, { name: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorInvalidResponseError);
    expect((error as Error).message).toContain('service account svc_acct_ghost came without an API key');
    expect(requests('DELETE', '/service_accounts/svc_acct_ghost')).toHaveLength(1);
  });

  test('update renames with a POST; get and delete; delete of a missing account resolves false', async () => {
    const { serviceAccounts } = apis();
    const created = await serviceAccounts.create(projectId, { name: 'ci' });
    const updated = await serviceAccounts.update(projectId, created.id, { name: 'ci-renamed' });
    expect(updated.name).toBe('ci-renamed');
    expect((await serviceAccounts.get(projectId, created.id)).name).toBe('ci-renamed');
    expect(requests('POST', `/service_accounts/${created.id}`)).toHaveLength(1);
    expect(await serviceAccounts.delete(projectId, created.id)).toBe(true);
    expect(await serviceAccounts.delete(projectId, created.id)).toBe(false);
  });

  test('create on an archived project is a validation error naming the project', async () => {
    projects().archiveProject(projectId);
    const error = await apis().serviceAccounts.create(projectId, { name: 'late' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorValidationError);
    expect((error as VendorValidationError).status).toBe(400);
    expect((error as Error).message).toContain(`Project ${projectId} is archived`);
  });

  test('a create whose answer is lost is sent once', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'POST', pathIncludes: '/service_accounts', action: { kind: 'drop-response' } });
    const error = await apis().serviceAccounts.create(projectId, { name: 'lost' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorUnreachableError);
    expect((error as VendorUnreachableError).outcomeUnknown).toBe(true);
    expect(requests('POST', '/service_accounts')).toHaveLength(1);
    expect(projects().serviceAccounts().all().map((account) => account.name)).toEqual(['lost']);
  });
});

describe('revoking project keys', () => {
  test('a direct delete of a service-account key is rejected with 400 (VendorValidationError)', async () => {
    const { key } = projects().createServiceAccount(projectId, 'ci');
    const error = await apis().projectKeys.delete(projectId, key!.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorValidationError);
    expect((error as VendorValidationError).status).toBe(400);
    expect(projects().keys().get(key!.id)).toBeDefined();
  });

  test('revoke with the service account id deletes the account, checks the key is gone, and never deletes the key directly', async () => {
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    expect(await apis().projectKeys.revoke(projectId, key!.id, account.id)).toBe('service-account-deleted');
    expect(projects().serviceAccounts().get(account.id)).toBeUndefined();
    expect(projects().keys().get(key!.id)).toBeUndefined();
    expect(requests('DELETE', '/service_accounts/').map((record) => record.status)).toEqual([200]);
    expect(requests('DELETE', '/api_keys/')).toHaveLength(0);
  });

  test('revoke without an owner learns it from the 400 and the key, then deletes the service account', async () => {
    const { account, key } = projects().createServiceAccount(projectId, 'imported');
    expect(await apis().projectKeys.revoke(projectId, key!.id)).toBe('service-account-deleted');
    expect(requests('DELETE', '/api_keys/').map((record) => record.status)).toEqual([400]);
    expect(requests('DELETE', `/service_accounts/${account.id}`).map((record) => record.status)).toEqual([200]);
    expect(projects().keys().get(key!.id)).toBeUndefined();
  });

  test('a user-owned key is deleted directly', async () => {
    const key = projects().addUserKey(projectId, { name: 'laptop' });
    expect(await apis().projectKeys.revoke(projectId, key.id, null)).toBe('key-deleted');
    expect(requests('DELETE', '/api_keys/').map((record) => record.status)).toEqual([200]);
    expect(requests('DELETE', '/service_accounts/')).toHaveLength(0);
  });

  test('without the cascade, the leftover key is deleted directly after its account', async () => {
    emulator.openai.configure({ projects: { serviceAccountDeleteCascades: false } });
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    expect(await apis().projectKeys.revoke(projectId, key!.id, account.id)).toBe('service-account-deleted');
    expect(projects().keys().get(key!.id)).toBeUndefined();
    expect(requests('DELETE', `/api_keys/${key!.id}`).map((record) => record.status)).toEqual([200]);
  });

  test('a leftover key OpenAI refuses to delete is an error that says what to do', async () => {
    emulator.openai.configure({ projects: { serviceAccountDeleteCascades: false } });
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    emulator.faults.inject({ vendor: 'openai', method: 'DELETE', pathIncludes: '/api_keys/', action: { kind: 'status', status: 400, body: { error: { message: 'no', type: 'invalid_request_error', param: null, code: null } } } });
    const error = await apis().projectKeys.revoke(projectId, key!.id, account.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).message).toContain(`service account ${account.id} was deleted, but its key ${key!.id} is still listed`);
    expect((error as VendorError).hint).toContain('OpenAI dashboard');
  });

  test('keys and accounts already gone count as revoked', async () => {
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    projects().deleteServiceAccount(projectId, account.id);
    expect(await apis().projectKeys.revoke(projectId, key!.id, account.id)).toBe('already-gone');
    expect(await apis().projectKeys.revoke(projectId, 'key_gone')).toBe('already-gone');
  });
});

describe('rate limits (the emulator token bucket)', () => {
  test('a 429 with Retry-After on a listing is waited out and retried', async () => {
    for (let index = 0; index < 150; index++) projects().addUserKey(projectId, { name: `k${index}` });
    emulator.openai.configure({ rateLimit: { enforce: true, capacity: 1, refillPerSecond: 1 } });
    const started = Date.now();
    const keys = await apis({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } }).projectKeys.list(projectId);
    expect(keys).toHaveLength(150);
    expect(requests('GET', '/api_keys').map((record) => record.status)).toEqual([200, 429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a 429 on a service-account create is retried (refused before processing) and makes exactly one account', async () => {
    emulator.openai.configure({ rateLimit: { enforce: true, capacity: 1, refillPerSecond: 1 } });
    const { serviceAccounts } = apis({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await serviceAccounts.list(projectId);
    const created = await serviceAccounts.create(projectId, { name: 'ci' });
    expect(requests('POST', '/service_accounts').map((record) => record.status)).toEqual([429, 200]);
    expect(projects().serviceAccounts().all().map((account) => account.id)).toEqual([created.id]);
  });

  test('a Retry-After beyond the policy fails fast with VendorRateLimitError', async () => {
    emulator.openai.configure({ rateLimit: { enforce: true, capacity: 1, refillPerSecond: 0.001 } });
    const { projectKeys } = apis({ retry: { maxRetries: 2, maxRetryAfterMs: 5_000 } });
    await projectKeys.list(projectId);
    const error = await projectKeys.list(projectId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorRateLimitError);
    expect((error as VendorRateLimitError).details.vendorCode).toBe('rate_limit_exceeded');
    expect(requests('GET', '/api_keys').map((record) => record.status)).toEqual([200, 429]);
  });
});

describe('errors', () => {
  test('a wrong admin key is a VendorAuthenticationError that does not echo the key', async () => {
    const wrong = 'sk-admin-WRONGwrongWRONGwrong0123456789';
    const error = await apis({ key: wrong }).projectKeys.list(projectId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorAuthenticationError);
    expect((error as Error).message).not.toContain(wrong);
    expect((error as VendorAuthenticationError).hint).toContain('env OPENAI_ADMIN_KEY');
  });

  test('a 5xx on a listing is retried; on a create it is not', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'GET', pathIncludes: '/api_keys', action: { kind: 'status', status: 503 } });
    expect(await apis().projectKeys.list(projectId)).toEqual([]);
    expect(requests('GET', '/api_keys').map((record) => record.status)).toEqual([503, 200]);
    emulator.faults.inject({ vendor: 'openai', method: 'POST', pathIncludes: '/service_accounts', action: { kind: 'status', status: 500 } });
    await expect(apis().serviceAccounts.create(projectId, { name: 'x' })).rejects.toMatchObject({ code: 'APIKEYS_ERR_VENDOR_SERVER' });
    expect(requests('POST', '/service_accounts')).toHaveLength(1);
  });
});
