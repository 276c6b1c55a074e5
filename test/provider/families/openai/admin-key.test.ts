/**
 * apikeys_openai_admin_key's definition called directly (no terraform
 * binary), against the in-process emulator: create, read, delete, import ids,
 * plans (OpenAI has no update, so every change replaces the key), and what a
 * create answer that lacks details leaves for the next refresh to fill. The
 * terraform suite next to this one covers the same resource end to end.
 */
import { ImportIdError } from '../../../../src/core/errors';
import { VendorEmulator } from '../../../../src/emulator/server';
import { CreateLedger } from '../../../../src/reconcile/create-ledger';
import type { Connected } from '../../../../src/provider/keys/key-resource';
import { ProviderContext } from '../../../../src/provider/context';
import { UNKNOWN } from '../../../../src/provider/cty/value';
import { openAiAdminKeyResource as resource, type OpenAiAdminKeyState } from '../../../../src/provider/families/openai/admin-key';
import { Diagnostics } from '../../../../src/provider/framework/diagnostics';
import { planChange } from '../../../../src/provider/framework/planning';

type State = Connected<OpenAiAdminKeyState>;

let emulator: VendorEmulator;
let provider: ProviderContext;
let diagnostics: Diagnostics;

const state = (values: Partial<State> = {}): State => ({
  id: null, connection_name: null, name: 'ci', expires_in_seconds: null, secret: null, redacted_value: null,
  created_at: null, expires_at: null, last_used_at: null, rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null, ...values,
});

/** A provider process of its own: what the next terraform command sees (no cached listing). */
const freshProvider = () => new ProviderContext(provider.config, provider.env);

const create = (planned: State, context = provider) =>
  resource.create({ provider: context, diagnostics, privateState: {}, planned, config: planned, receipt: new CreateLedger().receipt() });
const read = (current: State, context = provider) => resource.read({ provider: context, diagnostics, privateState: {}, current });
const importId = (id: string) => resource.importState({ provider, diagnostics, id });
const redacted = (value: string) => `${value.slice(0, 8)}...${value.slice(-3)}`;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const openai = emulator.describe().vendors.openai;
  provider = new ProviderContext({ openai_base_url: openai.baseUrl, max_retries: 0 }, { OPENAI_ADMIN_KEY: String(openai.adminKey), APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });
  diagnostics = new Diagnostics();
});

afterEach(async () => {
  provider.stop();
  await emulator.stop();
});

describe('create', () => {
  test('stores the one-time value as secret, with every detail from the create answer and no request after it', async () => {
    const created = await create(state({ name: 'ci', expires_in_seconds: 3600 }));
    const stored = emulator.openai.adminKeys.get(created.id!)!;
    expect(created).toEqual({
      id: stored.id, connection_name: null, name: 'ci', expires_in_seconds: 3600, secret: stored.value, redacted_value: redacted(stored.value),
      created_at: stored.created_at, expires_at: stored.created_at + 3600, last_used_at: null, rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null,
    });
    expect(stored.expires_at).toBe(stored.created_at + 3600);
    expect(diagnostics.items).toEqual([]);
    // One listing first (to recognise the key of a lost answer), then the create: nothing more.
    expect(emulator.requestsTo('openai').map((record) => `${record.method} ${record.status}`)).toEqual(['GET 200', 'POST 200']);
  });

  test('without expires_in_seconds the key never expires', async () => {
    const created = await create(state({ name: 'forever' }));
    expect(created).toMatchObject({ expires_in_seconds: null, expires_at: null });
    expect(emulator.openai.adminKeys.get(created.id!)!.expires_at).toBeNull();
  });

  test('a create answer without its details: the secret is kept, and the next refresh fills the rest from the listing', async () => {
    // The vendor made the key, but its answer carries only the id and the value.
    const made = emulator.openai.addAdminKey('sparse', 7200);
    emulator.faults.inject({ vendor: 'openai', method: 'POST', action: { kind: 'status', status: 200, body: { object: 'organization.admin_api_key', id: made.id, value: made.value } } });
    const created = await create(state({ name: 'sparse', expires_in_seconds: 7200 }));
    expect(created).toEqual(state({ id: made.id, name: 'sparse', expires_in_seconds: 7200, secret: made.value }));

    const refreshed = await read(created, freshProvider());
    expect(refreshed).toEqual({
      ...created, redacted_value: redacted(made.value), created_at: made.created_at, expires_at: made.created_at + 7200, expires_in_seconds: 7200,
    });
    expect(JSON.stringify(diagnostics.items)).not.toContain(made.value);
  });

  test('an answer without the value is an unknown outcome: the provider looks for the key, finds none, and sends again', async () => {
    const settling = new ProviderContext({ ...provider.config, create_settle_seconds: 1 }, provider.env);
    emulator.faults.inject({ vendor: 'openai', method: 'POST', action: { kind: 'status', status: 200, body: { object: 'organization.admin_api_key', id: 'key_novalue', name: 'ci', created_at: 1 } } });
    const created = await create(state({ name: 'ci' }), settling);
    expect(created.id).not.toBe('key_novalue');
    expect(created.secret).toBe(emulator.openai.adminKeys.get(created.id!)!.value);
    expect(emulator.requestsTo('openai', 'POST').map((record) => record.status)).toEqual([200, 200]);
    expect(emulator.requestsTo('openai', 'DELETE')).toEqual([]);
  });

  test('a lost answer: the key it made has a secret nobody saw, so it is revoked and the create sent again', async () => {
    emulator.faults.inject({ vendor: 'openai', method: 'POST', action: { kind: 'drop-response' } });
    const created = await create(state({ name: 'lost' }));
    const named = emulator.openai.adminKeys.all().filter((key) => key.name === 'lost');
    expect(named.map((key) => key.id)).toEqual([created.id]);
    expect(created.secret).toBe(named[0].value);
    expect(emulator.requestsTo('openai', 'POST').map((record) => record.status)).toEqual(['dropped', 200]);
    expect(emulator.requestsTo('openai', 'DELETE').map((record) => record.status)).toEqual([200]);
    expect(diagnostics.items.map((item) => item.severity)).toContain('warning');
    expect(JSON.stringify(diagnostics.items)).not.toContain(named[0].value);
  });

  test('OpenAI\'s refusal of a name fails the create and makes nothing', async () => {
    const before = emulator.openai.adminKeys.size;
    await expect(create(state({ name: '' }))).rejects.toThrow(/HTTP 400.*Missing required parameter: 'name'/);
    expect(emulator.openai.adminKeys.size).toBe(before);
  });
});

describe('read', () => {
  test('reads come from one listing per provider process; a key that is gone reads as null', async () => {
    const a = emulator.openai.addAdminKey('a');
    const b = emulator.openai.addAdminKey('b', 60);
    const [readA, readB, gone] = await Promise.all([read(state({ id: a.id, name: 'a' })), read(state({ id: b.id, name: 'b' })), read(state({ id: 'key_gone' }))]);
    expect(readA).toMatchObject({ id: a.id, name: 'a', expires_at: null, redacted_value: redacted(a.value) });
    expect(readB).toMatchObject({ id: b.id, name: 'b', expires_at: b.created_at + 60 });
    expect(gone).toBeNull();
    expect(emulator.requestsTo('openai', 'GET').map((record) => record.path)).toEqual(['/openai/v1/organization/admin_api_keys']);
  });

  test('keeps the secret and the configured lifetime; a name changed in the dashboard shows in state', async () => {
    const created = await create(state({ name: 'ci', expires_in_seconds: 600 }));
    emulator.openai.adminKeys.get(created.id!)!.name = 'renamed';
    const refreshed = await read(created, freshProvider());
    expect(refreshed).toEqual({ ...created, name: 'renamed' });
  });

  test('an imported key: no secret, and expires_in_seconds derived from the vendor\'s dates so the config can match it', async () => {
    const legacy = emulator.openai.addAdminKey('legacy', 86_400);
    const partial = importId(legacy.id);
    expect(partial).toEqual({ connection_name: null, id: legacy.id });
    const imported = await read(state({ name: null, ...partial }));
    expect(imported).toEqual({
      id: legacy.id, connection_name: null, name: 'legacy', expires_in_seconds: 86_400, secret: null, redacted_value: redacted(legacy.value),
      created_at: legacy.created_at, expires_at: legacy.created_at + 86_400, last_used_at: null, rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null,
    });
  });

  test('the key\'s use shows in last_used_at', async () => {
    const key = emulator.openai.addAdminKey('used');
    key.last_used_at = 1_750_000_000;
    expect(await read(state({ id: key.id }))).toMatchObject({ last_used_at: 1_750_000_000 });
  });
});

describe('delete', () => {
  test('revokes the key, and the same process then reads it as gone without listing again', async () => {
    const created = await create(state({ name: 'doomed' }));
    await resource.delete({ provider, diagnostics, prior: created });
    expect(emulator.openai.adminKeys.get(created.id!)).toBeUndefined();
    emulator.requests.length = 0;
    expect(await read(created)).toBeNull();
    expect(emulator.requests).toEqual([]);
  });

  test('a key already gone counts as deleted', async () => {
    const key = emulator.openai.addAdminKey('gone');
    emulator.openai.adminKeys.delete(key.id);
    await expect(resource.delete({ provider, diagnostics, prior: state({ id: key.id, name: 'gone' }) })).resolves.toBeUndefined();
    expect(emulator.requestsTo('openai', 'DELETE').map((record) => record.status)).toEqual([404]);
  });
});

describe('import ids', () => {
  test('a key id, optionally after a connection label', () => {
    expect(importId(' key_abc123 ')).toEqual({ connection_name: null, id: 'key_abc123' });
    expect(importId('acme:key_abc123')).toEqual({ connection_name: 'acme', id: 'key_abc123' });
  });

  test.each(['abc123', 'key_', 'proj_abc/key_abc', 'key_abc/extra', 'key-abc', ''])('%p is refused with the expected form', (id) => {
    expect(() => importId(id)).toThrow(ImportIdError);
    expect(() => importId(id)).toThrow('is not an OpenAI admin key id. Use the key\'s id');
  });

  test('a malformed connection label is refused before the id is read', () => {
    expect(() => importId('9acme:key_abc')).toThrow('the connection label before ":" in import id');
  });
});

describe('schema, plan and messages', () => {
  test('name and expires_in_seconds force replacement; computed values keep their prior values', () => {
    const prior = state({ id: 'key_a', name: 'ci', expires_in_seconds: 60, secret: 'kept', created_at: 5 });
    for (const change of [{ name: 'ci-2' }, { expires_in_seconds: 120 }]) {
      const plan = planChange(resource.schema, true, prior, { ...prior, ...change }, { ...prior, ...change });
      expect(plan.requiresReplace).toEqual(Object.keys(change));
      expect(plan.planned).toMatchObject({ secret: 'kept', created_at: 5 });
    }
  });

  test('the wrapper plans every change of the family\'s attributes as a replacement, without a vendor call', async () => {
    const prior = state({ id: 'key_a', name: 'ci' });
    const planned = { ...prior, name: 'ci-2' };
    const change = await resource.modifyPlan!({ provider, diagnostics, prior, planned, config: planned, privateState: {}, requiresReplace: [] });
    expect(change.requiresReplace).toEqual(['name']);
    expect(emulator.requests).toEqual([]);
  });

  test('a planned create warns about a key of the same name that no state tracks', async () => {
    const namesake = emulator.openai.addAdminKey('ci');
    const planned = state({ id: UNKNOWN as never, name: 'ci' });
    await resource.modifyPlan!({ provider, diagnostics, prior: null, planned, config: planned, privateState: {}, requiresReplace: [] });
    expect(diagnostics.items).toHaveLength(1);
    expect(diagnostics.items[0].severity).toBe('warning');
    expect(`${diagnostics.items[0].summary} ${diagnostics.items[0].detail}`).toContain(namesake.id);
  });

  test('validators: a name of 1 to 256 characters, a lifetime of 1 to 365 days', () => {
    const problems = (attribute: 'name' | 'expires_in_seconds', value: unknown) =>
      resource.schema.attributes[attribute].validators!.map((validate) => validate(value as never)).filter(Boolean);
    expect(problems('name', 'ci')).toEqual([]);
    expect(problems('name', 'x'.repeat(257))).not.toEqual([]);
    expect(problems('expires_in_seconds', 31_536_000)).toEqual([]);
    expect(problems('expires_in_seconds', 31_536_001)).not.toEqual([]);
    expect(problems('expires_in_seconds', 0)).not.toEqual([]);
  });

  test('connection_name follows id in the schema, and secret is sensitive', () => {
    expect(Object.keys(resource.schema.attributes).slice(0, 3)).toEqual(['id', 'connection_name', 'name']);
    expect(resource.schema.attributes.secret).toMatchObject({ computed: true, sensitive: true });
  });

  test('describe ignores unknown values', () => {
    expect(resource.describe({ name: 'ci', id: 'key_a' })).toBe('OpenAI admin key "ci" (key_a)');
    expect(resource.describe({ name: UNKNOWN as never, id: UNKNOWN as never })).toBe('OpenAI admin key');
  });
});
