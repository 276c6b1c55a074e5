/**
 * apikeys_openai_project_key's definition called directly (no terraform
 * binary), against the emulator: the paths that are slow or awkward to reach
 * end to end.
 */
import { CreateLedger } from '../../../../src/reconcile/create-ledger';
import { ApiKeysError, ImportIdError } from '../../../../src/core/errors';
import { VendorEmulator } from '../../../../src/emulator/server';
import { UNKNOWN } from '../../../../src/provider/cty/value';
import { connectionTo } from '../../../../src/provider/connections/connection';
import type { Connected } from '../../../../src/provider/keys/key-resource';
import { openAiConnection } from '../../../../src/provider/families/openai/connection';
import { ProviderContext } from '../../../../src/provider/context';
import { Diagnostics } from '../../../../src/provider/framework/diagnostics';
import { planChange } from '../../../../src/provider/framework/planning';
import { openAiProjectKeyResource as resource, type OpenAiProjectKeyState } from '../../../../src/provider/families/openai/project-key';

let emulator: VendorEmulator;
let projectId: string;
let provider: ProviderContext;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const openai = emulator.describe().vendors.openai;
  projectId = String(openai.projectId);
  provider = new ProviderContext({ openai_base_url: openai.baseUrl, max_retries: 0 }, { OPENAI_ADMIN_KEY: String(openai.adminKey), APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });
});

afterEach(async () => {
  provider.stop();
  await emulator.stop();
});

const emptyState = (values: Partial<Connected<OpenAiProjectKeyState>>): Connected<OpenAiProjectKeyState> => ({
  id: null, connection_name: null, project_id: null, name: null, service_account_id: null, secret: null, redacted_value: null,
  created_at: null, expires_at: null, last_used_at: null, owner_type: null, ...values,
});

describe('import ids', () => {
  test('<project_id>/<key_id> becomes project_id and id', () => {
    expect(resource.importState({ provider, diagnostics: new Diagnostics(), id: ' proj_abc/key_xyz ' })).toEqual({ connection_name: null, project_id: 'proj_abc', id: 'key_xyz' });
  });

  test('<connection>:<project_id>/<key_id> also names the connection, so the imported state keeps it', () => {
    expect(resource.importState({ provider, diagnostics: new Diagnostics(), id: 'acme:proj_abc/key_xyz' })).toEqual({ connection_name: 'acme', project_id: 'proj_abc', id: 'key_xyz' });
    expect(() => resource.importState({ provider, diagnostics: new Diagnostics(), id: '9acme:proj_abc/key_xyz' })).toThrow('the connection label before ":" in import id');
  });

  test.each(['key_xyz', 'proj_abc', 'proj_abc/', 'proj-abc/key_xyz', 'proj_abc/key_xyz/extra', 'proj_abc/svc_acct_x'])('"%s" is refused with the expected form', (id) => {
    expect(() => resource.importState({ provider, diagnostics: new Diagnostics(), id })).toThrow(ImportIdError);
    expect(() => resource.importState({ provider, diagnostics: new Diagnostics(), id })).toThrow('Use <project_id>/<key_id>');
  });
});

describe('schema and plan', () => {
  test('project_id forces replacement; name is updated in place', () => {
    const prior = emptyState({ id: 'key_a', project_id: 'proj_a', name: 'ci', service_account_id: 'svc_acct_a', owner_type: 'service_account' });
    const renamed = planChange(resource.schema, true, prior, { ...prior, name: 'ci-2' }, { ...prior, name: 'ci-2' });
    expect(renamed.requiresReplace).toEqual([]);
    expect(renamed.planned).toMatchObject({ name: 'ci-2', id: 'key_a', service_account_id: 'svc_acct_a' });
    const moved = planChange(resource.schema, true, prior, { ...prior, project_id: 'proj_b' }, { ...prior, project_id: 'proj_b' });
    expect(moved.requiresReplace).toEqual(['project_id']);
  });

  test('project_id is validated as proj_ followed by letters and digits', () => {
    const [validator] = resource.schema.attributes.project_id.validators!;
    expect(validator('proj_abc123')).toBeUndefined();
    expect(validator(UNKNOWN)).toBeUndefined();
    expect(validator('abc123')).toMatch(/^must be an OpenAI project id such as proj_abc123; .* \(got "abc123"\)\.$/);
    expect(validator('proj_')).toContain('must be an OpenAI project id');
  });

  test('describe ignores unknown values', () => {
    expect(resource.describe({ name: UNKNOWN as never, id: UNKNOWN as never, project_id: 'proj_a' })).toBe('OpenAI project key in proj_a');
    expect(resource.describe({ name: 'ci', id: 'key_a', project_id: 'proj_a' })).toBe('OpenAI project key "ci" (key_a) in proj_a');
  });

  test('renaming a user-owned key is refused at plan, naming the value to set', async () => {
    const prior = emptyState({ id: 'key_a', project_id: projectId, name: 'laptop', owner_type: 'user' });
    const planned = { ...prior, name: 'laptop-2' };
    const error = await resource.modifyPlan!({ provider, diagnostics: new Diagnostics(), prior, planned, config: planned, privateState: {}, requiresReplace: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiKeysError);
    expect((error as ApiKeysError).message).toContain('OpenAI has no API to rename a user\'s key');
    expect((error as ApiKeysError).hint).toContain('Set name = "laptop"');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('create', () => {
  /** The listing a create takes first, done now so that the test sees only the GETs after the create. */
  const warmListing = () => connectionTo(provider, openAiConnection, null).clients.projectKeyInventory(projectId).all();

  test('fills redacted_value with one GET of the new key', async () => {
    const diagnostics = new Diagnostics();
    await warmListing();
    emulator.requests.length = 0;
    const planned = emptyState({ project_id: projectId, name: 'ci' });
    const state = await resource.create({ provider, diagnostics, privateState: {}, planned, config: planned, receipt: new CreateLedger().receipt() });
    const key = emulator.openai.projects.keys().get(state.id!)!;
    expect(state).toEqual({
      id: key.id, connection_name: null, project_id: projectId, name: 'ci', service_account_id: emulator.openai.projects.serviceAccounts().all()[0].id,
      secret: key.value, redacted_value: `${key.value.slice(0, 8)}...${key.value.slice(-3)}`, created_at: key.created_at, expires_at: null, last_used_at: null,
      owner_type: 'service_account', rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null,
    });
    expect(diagnostics.items).toEqual([]);
    expect(emulator.requestsTo('openai', 'GET').map((record) => record.path)).toEqual([`/openai/v1/organization/projects/${projectId}/api_keys/${key.id}`]);
  });

  test('a failing GET after the create keeps the secret and warns without leaking it', async () => {
    await warmListing();
    emulator.faults.inject({ vendor: 'openai', method: 'GET', action: { kind: 'status', status: 503 } });
    const diagnostics = new Diagnostics();
    const planned = emptyState({ project_id: projectId, name: 'ci' });
    const state = await resource.create({ provider, diagnostics, privateState: {}, planned, config: planned, receipt: new CreateLedger().receipt() });
    const key = emulator.openai.projects.keys().get(state.id!)!;
    expect(state).toMatchObject({ id: key.id, secret: key.value, redacted_value: null, owner_type: 'service_account' });
    expect(diagnostics.items).toHaveLength(1);
    expect(diagnostics.items[0]).toMatchObject({ severity: 'warning', summary: `Created OpenAI project key "ci" (${key.id}) in ${projectId}, but could not read its redacted value` });
    expect(diagnostics.items[0].detail).toContain('the next refresh fills redacted_value');
    expect(JSON.stringify(diagnostics.items)).not.toContain(key.value);
  });

  test('an archived project fails the create with OpenAI\'s 400 and makes nothing', async () => {
    emulator.openai.projects.archiveProject(projectId);
    const planned = emptyState({ project_id: projectId, name: 'ci' });
    await expect(resource.create({ provider, diagnostics: new Diagnostics(), privateState: {}, planned, config: planned, receipt: new CreateLedger().receipt() })).rejects.toThrow(/HTTP 400.*is archived/);
    expect(emulator.openai.projects.serviceAccounts().size).toBe(0);
  });
});

describe('read', () => {
  test('a user-owned key reads with owner_type user and no service account; the name is the key\'s own', async () => {
    const key = emulator.openai.projects.addUserKey(projectId, { name: 'laptop' });
    const state = await resource.read({ provider, diagnostics: new Diagnostics(), privateState: {}, current: emptyState({ id: key.id, project_id: projectId }) });
    expect(state).toMatchObject({ id: key.id, name: 'laptop', service_account_id: null, secret: null, owner_type: 'user' });
  });

  test('without owner.type (the seed marks it optional) the owner is inferred from owner.service_account', async () => {
    emulator.faults.inject({
      vendor: 'openai', method: 'GET',
      action: {
        kind: 'status', status: 200,
        body: { object: 'list', has_more: false, data: [{ object: 'organization.project.api_key', id: 'key_x', name: 'Secret Key', redacted_value: 'sk-svcac...abc', created_at: 5, owner: { service_account: { id: 'svc_acct_x', name: 'ci' } } }] },
      },
    });
    const state = await resource.read({ provider, diagnostics: new Diagnostics(), privateState: {}, current: emptyState({ id: 'key_x', project_id: projectId, secret: 'kept' }) });
    expect(state).toMatchObject({ name: 'ci', service_account_id: 'svc_acct_x', owner_type: 'service_account', secret: 'kept', last_used_at: null });
  });

  test('reads of several keys share one listing per project', async () => {
    const keys = [0, 1, 2].map((index) => emulator.openai.projects.createServiceAccount(projectId, `sa${index}`).key!);
    const states = await Promise.all(keys.map((key) => resource.read({ provider, diagnostics: new Diagnostics(), privateState: {}, current: emptyState({ id: key.id, project_id: projectId }) })));
    expect(states.map((state) => state?.name)).toEqual(['sa0', 'sa1', 'sa2']);
    expect(emulator.requestsTo('openai', 'GET')).toHaveLength(1);
    expect(await resource.read({ provider, diagnostics: new Diagnostics(), privateState: {}, current: emptyState({ id: 'key_gone', project_id: projectId }) })).toBeNull();
  });
});
