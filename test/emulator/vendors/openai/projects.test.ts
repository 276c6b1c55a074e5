import { VendorEmulator } from '../../../../src/emulator/server';
import { redactOpenAiKey, type EmulatedOpenAiOrganization } from '../../../../src/emulator/vendors/openai';
import { expectOpenAiError, rawCall, type Answer, type Method } from '../../../support/raw-http';

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

const call = <T = any>(method: Method, path: string, options: { bearer?: string | null; json?: unknown } = {}): Promise<Answer<T>> => // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
  rawCall<T>(method, `${baseUrl}${path}`, { bearer: options.bearer === undefined ? adminKey : options.bearer, json: options.json });
const control = (method: Method, path: string, json?: unknown) => rawCall(method, `${emulator.url}/_emulator/openai${path}`, { json });

const keys = (project = projectId) => `/organization/projects/${project}/api_keys`;
const accounts = (project = projectId) => `/organization/projects/${project}/service_accounts`;
const projects = () => emulator.openai.projects;

describe('the default project', () => {
  test('exists at start and its id is in the description line', async () => {
    expect(projectId).toMatch(/^proj_[A-Za-z0-9]{24}$/);
    expect(projectId).toBe(projects().defaultProjectId);
    const answer = await call('GET', `/organization/projects/${projectId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ object: 'organization.project', id: projectId, name: 'Default project', status: 'active', archived_at: null });
  });

  test('its id can be fixed by option', async () => {
    const fixed = await VendorEmulator.start({ openai: { projects: { defaultProjectId: 'proj_demo' } } });
    try {
      expect(fixed.describe().vendors.openai.projectId).toBe('proj_demo');
    } finally {
      await fixed.stop();
    }
  });

  test('an unknown project is 404 in OpenAI error shape', async () => {
    const answer = await call('GET', keys('proj_nope'));
    expectOpenAiError(answer, 404);
    expect(answer.body.error.code).toBe('not_found');
  });
});

describe('auth on project routes', () => {
  test('missing or wrong admin key is 401; no key is listed', async () => {
    expectOpenAiError(await call('GET', keys(), { bearer: null }), 401);
    const wrong = await call('GET', keys(), { bearer: 'sk-admin-WRONGWRONGWRONGWRONGWRONG' });
    expectOpenAiError(wrong, 401);
    expect(wrong.body.error.code).toBe('invalid_api_key');
    expectOpenAiError(await call('POST', accounts(), { bearer: null, json: { name: 'x' } }), 401);
    expect(projects().serviceAccounts().size).toBe(0);
  });
});

describe('service-account create', () => {
  test('answers the account with api_key.value once; the key is listed under api_key.id, owner service_account, redacted', async () => {
    const created = await call('POST', accounts(), { json: { name: 'ci' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: 'organization.project.service_account', name: 'ci', role: 'member' });
    expect(created.body.id).toMatch(/^svc_acct_/);
    expect(created.body.api_key).toMatchObject({ object: 'organization.project.service_account.api_key', name: 'Secret Key' });
    expect(created.body.api_key.value).toMatch(/^sk-svcacct-[A-Za-z0-9]{48}$/);
    expect(created.body.api_key.id).toMatch(/^key_/);
    expect(created.body.api_key.created_at).toBe(created.body.created_at);

    const listed = await call('GET', keys());
    expect(listed.body.data).toHaveLength(1);
    const [key] = listed.body.data;
    expect(key).toEqual({
      object: 'organization.project.api_key', id: created.body.api_key.id, name: 'Secret Key',
      redacted_value: redactOpenAiKey(created.body.api_key.value), created_at: created.body.created_at, last_used_at: null,
      owner_project_access: 'active',
      owner: { type: 'service_account', service_account: { id: created.body.id, name: 'ci', created_at: created.body.created_at, role: 'member' } },
    });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.api_key.value);
    const fetched = await call('GET', `${keys()}/${key.id}`);
    expect(fetched.body).toEqual(key);
    const account = await call('GET', `${accounts()}/${created.body.id}`);
    expect(account.body).toEqual({ object: 'organization.project.service_account', id: created.body.id, name: 'ci', role: 'member', created_at: created.body.created_at });
  });

  test('create_service_account_only gives role none and api_key null, and no key', async () => {
    const created = await call('POST', accounts(), { json: { name: 'bare', create_service_account_only: true } });
    expect(created.status).toBe(200);
    expect(created.body.role).toBe('none');
    expect(created.body.api_key).toBeNull();
    expect(projects().keys().size).toBe(0);
  });

  test('a missing name, a bad flag and a non-JSON body are 400', async () => {
    const missing = await call('POST', accounts(), { json: {} });
    expectOpenAiError(missing, 400, 'name');
    expect(missing.body.error.code).toBe('missing_required_parameter');
    expectOpenAiError(await call('POST', accounts(), { json: { name: 'x', create_service_account_only: 'yes' } }), 400, 'create_service_account_only');
    expect(projects().serviceAccounts().size).toBe(0);
  });

  test('an archived project answers 400 to service-account create and list, but still lists keys', async () => {
    projects().addUserKey(projectId, { name: 'old' });
    const archived = await call('POST', `/organization/projects/${projectId}/archive`);
    expect(archived.body.status).toBe('archived');
    const create = await call('POST', accounts(), { json: { name: 'late' } });
    expectOpenAiError(create, 400);
    expect(create.body.error.message).toContain('archived');
    expectOpenAiError(await call('GET', accounts()), 400);
    expect((await call('GET', keys())).body.data).toHaveLength(1);
  });
});

describe('deletes', () => {
  test('a direct delete of a service account key is 400 and changes nothing', async () => {
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    const answer = await call('DELETE', `${keys()}/${key!.id}`);
    expectOpenAiError(answer, 400);
    expect(answer.body.error.message).toContain('Delete the service account');
    expect(projects().keys().get(key!.id)).toBeDefined();
    expect(projects().serviceAccounts().get(account.id)).toBeDefined();
  });

  test('deleting the service account answers {object, id, deleted} and removes its key (cascade on)', async () => {
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    const other = projects().createServiceAccount(projectId, 'other');
    const answer = await call('DELETE', `${accounts()}/${account.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ object: 'organization.project.service_account.deleted', id: account.id, deleted: true });
    expect(projects().keys().get(key!.id)).toBeUndefined();
    expect(projects().keys().get(other.key!.id)).toBeDefined();
    expectOpenAiError(await call('DELETE', `${accounts()}/${account.id}`), 404);
  });

  test('with the cascade off, the key outlives its account and can then be deleted directly', async () => {
    const changed = await control('PATCH', '/options', { projects: { serviceAccountDeleteCascades: false } });
    expect(changed.body.projects.serviceAccountDeleteCascades).toBe(false);
    const { account, key } = projects().createServiceAccount(projectId, 'ci');
    expect((await call('DELETE', `${accounts()}/${account.id}`)).status).toBe(200);
    const listed = await call('GET', keys());
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([key!.id]);
    const direct = await call('DELETE', `${keys()}/${key!.id}`);
    expect(direct.body).toEqual({ object: 'organization.project.api_key.deleted', id: key!.id, deleted: true });
  });

  test('a user-owned key is deleted directly, then 404', async () => {
    const key = projects().addUserKey(projectId, { name: 'laptop' });
    const answer = await call('DELETE', `${keys()}/${key.id}`);
    expect(answer.body).toEqual({ object: 'organization.project.api_key.deleted', id: key.id, deleted: true });
    expectOpenAiError(await call('DELETE', `${keys()}/${key.id}`), 404);
    expectOpenAiError(await call('GET', `${keys()}/${key.id}`), 404);
  });
});

describe('service-account update', () => {
  test('POST renames and re-roles; bad values are 400', async () => {
    const { account } = projects().createServiceAccount(projectId, 'ci');
    const renamed = await call('POST', `${accounts()}/${account.id}`, { json: { name: 'ci-2', role: 'owner' } });
    expect(renamed.body).toMatchObject({ id: account.id, name: 'ci-2', role: 'owner' });
    expect((await call('GET', keys())).body.data[0].owner.service_account.name).toBe('ci-2');
    expectOpenAiError(await call('POST', `${accounts()}/${account.id}`, { json: { role: 'none' } }), 400, 'role');
    expectOpenAiError(await call('POST', `${accounts()}/${account.id}`, { json: { name: '' } }), 400, 'name');
    expectOpenAiError(await call('POST', `${accounts()}/svc_acct_missing`, { json: { name: 'x' } }), 404);
  });
});

describe('key listing', () => {
  test('cursor pagination: default 20, after=last_id, limit bounds', async () => {
    for (let index = 0; index < 25; index++) projects().addUserKey(projectId, { name: `k${index}` });
    const first = await call('GET', keys());
    expect(first.body.data).toHaveLength(20);
    expect(first.body.has_more).toBe(true);
    expect(first.body.first_id).toBe(first.body.data[0].id);
    expect(first.body.last_id).toBe(first.body.data[19].id);
    const rest = await call('GET', `${keys()}?after=${first.body.last_id}&limit=100`);
    expect(rest.body.data.map((key: { name: string }) => key.name)).toEqual(['k20', 'k21', 'k22', 'k23', 'k24']);
    expect(rest.body.has_more).toBe(false);
    expectOpenAiError(await call('GET', `${keys()}?limit=0`), 400, 'limit');
    expectOpenAiError(await call('GET', `${keys()}?limit=101`), 400, 'limit');
    expectOpenAiError(await call('GET', `${keys()}?after=key_never`), 400, 'after');
  });

  test('user-owned keys show owner.user and never their value', async () => {
    const key = projects().addUserKey(projectId, { name: 'laptop', user: { name: 'Ada', email: 'ada@example.com' } });
    const [listed] = (await call('GET', keys())).body.data;
    expect(listed.owner.type).toBe('user');
    expect(listed.owner.user).toMatchObject({ name: 'Ada', email: 'ada@example.com', role: 'owner' });
    expect(listed.redacted_value).toBe(redactOpenAiKey(key.value));
    expect(key.value).toMatch(/^sk-proj-/);
    expect(JSON.stringify(listed)).not.toContain(key.value);
  });

  test('owner_project_access: omitted hides inactive keys; active, inactive and any filter; other values are 400', async () => {
    const active = projects().addUserKey(projectId, { name: 'active' });
    const inactive = projects().addUserKey(projectId, { name: 'inactive', ownerProjectAccess: 'inactive' });
    const names = async (query: string) => (await call('GET', `${keys()}${query}`)).body.data.map((key: { id: string }) => key.id);
    expect(await names('')).toEqual([active.id]);
    expect(await names('?owner_project_access=active')).toEqual([active.id]);
    expect(await names('?owner_project_access=inactive')).toEqual([inactive.id]);
    expect(await names('?owner_project_access=any')).toEqual([active.id, inactive.id]);
    expectOpenAiError(await call('GET', `${keys()}?owner_project_access=all`), 400, 'owner_project_access');
  });

  test('the pre-2026 variants: the parameter rejected or ignored, the field absent', async () => {
    projects().addUserKey(projectId, { name: 'inactive', ownerProjectAccess: 'inactive' });
    emulator.openai.configure({ projects: { ownerProjectAccessParameter: 'rejected', ownerProjectAccessField: false } });
    expectOpenAiError(await call('GET', `${keys()}?owner_project_access=any`), 400, 'owner_project_access');
    const plain = await call('GET', keys());
    expect(plain.status).toBe(200);
    emulator.openai.configure({ projects: { ownerProjectAccessParameter: 'ignored' } });
    expect((await call('GET', `${keys()}?owner_project_access=any`)).body.data).toHaveLength(0);
    projects().addUserKey(projectId, { name: 'active' });
    const [listed] = (await call('GET', keys())).body.data;
    expect(listed).not.toHaveProperty('owner_project_access');
  });

  test('keyListOrder desc reverses the list', async () => {
    const made = [0, 1, 2].map((index) => projects().addUserKey(projectId, { name: `k${index}` }).id);
    emulator.openai.configure({ projects: { keyListOrder: 'desc' } });
    expect((await call('GET', keys())).body.data.map((key: { id: string }) => key.id)).toEqual([...made].reverse());
  });

  test('service accounts list with the same cursor pagination', async () => {
    for (let index = 0; index < 5; index++) projects().createServiceAccount(projectId, `sa${index}`);
    const first = await call('GET', `${accounts()}?limit=2`);
    expect(first.body.data.map((account: { name: string }) => account.name)).toEqual(['sa0', 'sa1']);
    expect(first.body.has_more).toBe(true);
    const second = await call('GET', `${accounts()}?limit=2&after=${first.body.last_id}`);
    expect(second.body.data.map((account: { name: string }) => account.name)).toEqual(['sa2', 'sa3']);
  });
});

describe('projects', () => {
  test('create, list (archived hidden unless asked) and archive', async () => {
    const created = await call('POST', '/organization/projects', { json: { name: 'research' } });
    expect(created.body).toMatchObject({ object: 'organization.project', name: 'research', status: 'active' });
    await call('POST', `/organization/projects/${created.body.id}/archive`);
    const visible = await call('GET', '/organization/projects');
    expect(visible.body.data.map((project: { id: string }) => project.id)).toEqual([projectId]);
    const all = await call('GET', '/organization/projects?include_archived=true');
    expect(all.body.data.map((project: { id: string }) => project.id)).toEqual([projectId, created.body.id]);
  });
});

describe('control routes', () => {
  test('add a user key, change it, list everything, delete it out of band', async () => {
    const added = await control('POST', `/projects/${projectId}/api_keys`, { name: 'dashboard', owner_project_access: 'inactive', user: { name: 'Bob' } });
    expect(added.status).toBe(200);
    expect(added.body).not.toHaveProperty('value');
    expect(added.body).toMatchObject({ name: 'dashboard', owner_project_access: 'inactive', owner: { type: 'user', user: { name: 'Bob' } } });
    const patched = await control('PATCH', `/projects/${projectId}/api_keys/${added.body.id}`, { last_used_at: 1_800_000_000, value: 'ignored' });
    expect(patched.body.last_used_at).toBe(1_800_000_000);
    const all = await control('GET', '/projects');
    expect(all.body[0].api_keys.map((key: { id: string }) => key.id)).toEqual([added.body.id]);
    expect((await control('DELETE', `/projects/${projectId}/api_keys/${added.body.id}`)).body).toEqual({ deleted: true });
    expect(projects().keys().size).toBe(0);
    expect((await control('DELETE', `/projects/${projectId}/api_keys/${added.body.id}`)).status).toBe(404);
  });

  test('create, rename and delete a service account out of band; archive a project', async () => {
    const made = await control('POST', `/projects/${projectId}/service_accounts`, { name: 'console' });
    expect(made.body.api_key_id).toMatch(/^key_/);
    expect(made.body).not.toHaveProperty('api_key');
    await control('PATCH', `/projects/${projectId}/service_accounts/${made.body.id}`, { name: 'console-renamed' });
    expect((await call('GET', keys())).body.data[0].owner.service_account.name).toBe('console-renamed');
    expect((await control('DELETE', `/projects/${projectId}/service_accounts/${made.body.id}`)).body).toEqual({ deleted: true });
    expect(projects().keys().size).toBe(0);
    const archived = await control('PATCH', `/projects/${projectId}`, { archived: true });
    expect(archived.body.status).toBe('archived');
    expect((await control('PATCH', '/projects/proj_nope', {})).status).toBe(404);
  });

  test('a project can be added with a chosen id, once', async () => {
    const added = await control('POST', '/projects', { name: 'demo', id: 'proj_demo' });
    expect(added.body).toMatchObject({ id: 'proj_demo', name: 'demo', status: 'active' });
    expect((await call('GET', keys('proj_demo'))).status).toBe(200);
    expect((await control('POST', '/projects', { id: 'proj_demo' })).status).toBe(400);
    expect((await control('POST', '/projects', { id: 'project-x' })).status).toBe(400);
  });

  test('GET /options shows the defaults', async () => {
    const options = await control('GET', '/options');
    expect(options.body).toEqual({
      rateLimit: { enforce: false, capacity: 500, refillPerSecond: 500 / 60, headers: true },
      projects: { serviceAccountDeleteCascades: true, ownerProjectAccessParameter: 'supported', ownerProjectAccessField: true, keyListOrder: 'asc', serviceAccountKeyExpiry: false },
    });
  });
});

/*
 * What key rotation, expiry and audits need of the emulated OpenAI: every
 * key it makes authenticates where OpenAI would accept it and records its
 * last use; expired keys are refused; tests age keys through the control
 * API (any organization) or in process.
 */
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
