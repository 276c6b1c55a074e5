import { VendorEmulator } from '../../../../src/emulator/server';
import { redactOpenAiKey } from '../../../../src/emulator/vendors/openai';
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

const call = <T = any>(method: Method, path: string, options: { bearer?: string | null; json?: unknown } = {}): Promise<Answer<T>> => // eslint-disable-line @typescript-eslint/no-explicit-any
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
