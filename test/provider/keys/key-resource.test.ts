/**
 * keyResource(): what every key resource's connection does, against a
 * fake family and a fake vendor (no HTTP): the attribute, import ids,
 * tracking, relocation, and refusals told once per connection and cause.
 */
import { ImportIdError, VendorAuthenticationError, VendorPermissionError, type ApiKeysError } from '../../../src/core/errors';
import { OPENAI } from '../../../src/core/facts/openai';
import { Inventory } from '../../../src/reconcile/inventory';
import { CreateLedger } from '../../../src/reconcile/create-ledger';
import { keyResource, type Connected, type KeyState } from '../../../src/provider/keys/key-resource';
import type { VendorConnection } from '../../../src/provider/connections/connection';
import { baseUrlAndCredential, credentialSpec } from '../../../src/provider/connections/credentials';
import { AlreadyReportedError } from '../../../src/provider/connections/refusals';
import { ProviderContext } from '../../../src/provider/context';
import type { CtyObject } from '../../../src/provider/cty/value';
import { UNKNOWN } from '../../../src/provider/cty/value';
import { Diagnostics } from '../../../src/provider/framework/diagnostics';
import type { Schema } from '../../../src/provider/framework/schema';

interface FakeKey { id: string; name: string; createdAt: number }
type State = KeyState & { name: string | null; note: string | null };

/** One organization's keys per connection label ('' is the default connection); a label in `refusing` answers 401. */
class FakeVendor {
  readonly organizations = new Map<string, Map<string, FakeKey>>();
  readonly refusing = new Set<string>();
  readonly forbidden = new Set<string>();
  readonly calls: string[] = [];
  private next = 1;

  organization(label: string): Map<string, FakeKey> {
    if (!this.organizations.has(label)) this.organizations.set(label, new Map());
    return this.organizations.get(label)!;
  }

  async list(label: string): Promise<FakeKey[]> {
    this.calls.push(`list ${label}`);
    if (this.refusing.has(label)) throw new VendorAuthenticationError('OpenAI', 'list keys', 401, { message: 'Incorrect API key provided' });
    if (this.forbidden.has(label)) throw new VendorPermissionError('OpenAI', 'list keys', 403, { message: 'not allowed' });
    return [...this.organization(label).values()];
  }

  add(label: string, name: string): FakeKey {
    const key = { id: `key_${this.next++}`, name, createdAt: Date.now() };
    this.organization(label).set(key.id, key);
    return key;
  }
}

const vendor = new FakeVendor();

interface Clients { readonly label: string; readonly inventory: Inventory<FakeKey> }

const fakeConnection: VendorConnection<Clients> = {
  facts: OPENAI,
  connect(settings, context) {
    const label = settings.label ?? '';
    const { holder } = baseUrlAndCredential(credentialSpec(OPENAI, 'admin_key'), settings, context.env); // as every family resolves its credential
    return {
      credential: { what: 'admin key', holder, resembles: () => false },
      clients: { label, inventory: context.inventories.get(`fake:${label}`, () => vendor.list(label), (key) => key.id) },
    };
  },
};

const schema = {
  version: 0,
  description: 'A fake key.',
  attributes: {
    id: { type: 'string', computed: true, description: 'id' },
    name: { type: 'string', required: true, requiresReplace: true, description: 'name' },
    note: { type: 'string', optional: true, description: 'updated in place' },
    secret: { type: 'string', computed: true, sensitive: true, description: 'secret' },
  },
} as const satisfies Schema;

const updates: string[] = [];

const resource = keyResource<State, Clients, FakeKey>(fakeConnection, {
  typeName: 'apikeys_fake_key',
  schema,
  describe: (state) => `fake key "${String(state.name)}"`,
  where: () => 'the organization',
  dates: () => ({}),
  keys: (clients, state) => (typeof state.name !== 'string' ? undefined : {
    label: `fake key "${state.name}"`, scope: '', name: state.name, inventory: clients.inventory,
    itemId: (key) => key.id, sameName: (key) => key.name === state.name, createdAtMs: (key) => key.createdAt,
    describe: (key) => key.id, importId: (key) => key.id,
  }),
  async create({ clients, planned, createKey }) {
    const created = await createKey<FakeKey>({
      send: async () => vendor.add(clients.label, planned.name!), createdId: (key) => key.id,
      revoke: async () => undefined, revokeCreated: async () => undefined,
    });
    return { id: created.id, name: created.name, note: planned.note, secret: `secret-of-${created.id}` };
  },
  async read({ clients, current }) {
    const key = await clients.inventory.find(current.id!);
    return key ? { id: key.id, name: key.name, note: current.note, secret: current.secret } : null;
  },
  async update({ planned }) {
    updates.push(planned.id!);
    return { id: planned.id, name: planned.name, note: planned.note, secret: planned.secret };
  },
  async delete({ clients, prior }) {
    vendor.organization(clients.label).delete(prior.id!);
  },
  importId: { parse: (id) => (/^key_\d+$/.test(id) ? { id } : undefined), usage: 'a fake key id. Use key_<n>.' },
});

const CONFIG: CtyObject = { openai_connection: { acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }, globex: { admin_key_env: 'GLOBEX_OPENAI_ADMIN_KEY' } } };
const ENV = { OPENAI_ADMIN_KEY: 'sk-admin-default', ACME_OPENAI_ADMIN_KEY: 'sk-admin-acme', GLOBEX_OPENAI_ADMIN_KEY: 'sk-admin-globex' };

const fresh = (config: CtyObject = CONFIG) => new ProviderContext(config, { ...ENV, APIKEYS_CREATE_JOURNAL: '0' });
const state = (values: Partial<Connected<State>>): Connected<State> => ({ id: null, connection_name: null, name: null, note: null, secret: null, ...values });
const read = (provider: ProviderContext, current: Connected<State>) => resource.read({ provider, diagnostics: new Diagnostics(), current, privateState: {} });
const plan = (provider: ProviderContext, prior: Connected<State> | null, planned: Connected<State>, requiresReplace: string[] = []) =>
  resource.modifyPlan!({ provider, diagnostics: new Diagnostics(), prior, planned, config: planned, privateState: {}, requiresReplace });
const caught = async (promise: Promise<unknown>): Promise<ApiKeysError> => promise.then(() => { throw new Error('expected a rejection'); }, (error: ApiKeysError) => error);

beforeEach(() => {
  vendor.organizations.clear();
  vendor.refusing.clear();
  vendor.forbidden.clear();
  vendor.calls.length = 0;
  updates.length = 0;
});

test('the family schema gains connection_name right after id, and the lifecycle attributes at the end', () => {
  expect(Object.keys(resource.schema.attributes)).toEqual(['id', 'connection_name', 'name', 'note', 'secret', 'rotation', 'previous_key']);
  expect(resource.schema.attributes.connection_name.requiresReplace).toBe(true);
});

describe('import ids', () => {
  test('the family reads the id; an optional <connection>: prefix names the connection', () => {
    const provider = fresh();
    expect(resource.importState({ provider, diagnostics: new Diagnostics(), id: 'key_7' })).toEqual({ id: 'key_7', connection_name: null });
    expect(resource.importState({ provider, diagnostics: new Diagnostics(), id: 'acme:key_7' })).toEqual({ id: 'key_7', connection_name: 'acme' });
  });

  test('a malformed id is refused with the family\'s usage and the connection hint', () => {
    const error = (() => {
      try {
        resource.importState({ provider: fresh(), diagnostics: new Diagnostics(), id: 'acme:nope' });
      } catch (thrown) {
        return thrown as ApiKeysError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(ImportIdError);
    expect(error.message).toBe('"acme:nope" is not a fake key id. Use key_<n>.');
    expect(error.hint).toContain('<connection>:<id>');
  });
});

describe('read', () => {
  test('reads through the state\'s connection, tracks the id, and keeps the connection in state', async () => {
    const key = vendor.add('acme', 'ci');
    const provider = fresh();
    expect(await read(provider, state({ id: key.id, connection_name: 'acme', name: 'ci' }))).toEqual(state({ id: key.id, connection_name: 'acme', name: 'ci' }));
    expect(provider.trackedIds.has(key.id)).toBe(true);
    expect(vendor.calls).toEqual(['list acme']);
  });

  test('a state without a connection is found through the named connection that holds the key', async () => {
    const key = vendor.add('globex', 'ci');
    expect(await read(fresh(), state({ id: key.id, name: 'ci' }))).toMatchObject({ id: key.id, connection_name: 'globex' });
  });

  test('a state naming a connection that is gone is found through the others; a key no connection finds is gone', async () => {
    const key = vendor.add('acme', 'ci');
    expect(await read(fresh(), state({ id: key.id, connection_name: 'renamed', name: 'ci' }))).toMatchObject({ connection_name: 'acme' });
    expect(await read(fresh(), state({ id: 'key_999', connection_name: 'acme', name: 'ci' }))).toBeNull();
  });
});

describe('plan', () => {
  test('an unchanged instance needs no connection: no credential, no request', async () => {
    const provider = new ProviderContext(CONFIG, { APIKEYS_CREATE_JOURNAL: '0' });
    const prior = state({ id: 'key_1', connection_name: 'acme', name: 'ci' });
    await expect(plan(provider, prior, { ...prior })).resolves.toEqual({ planned: prior, requiresReplace: [] });
    expect(vendor.calls).toEqual([]);
  });

  test('a changed connection that finds the same key is not a replacement; one that does not is', async () => {
    const key = vendor.add('acme', 'ci');
    const prior = state({ id: key.id, connection_name: 'acme', name: 'ci' });
    vendor.organization('globex').set(key.id, key); // the same organization under another label
    expect((await plan(fresh(), prior, { ...prior, connection_name: 'globex' }, ['connection_name'])).requiresReplace).toEqual([]);
    vendor.organization('globex').clear();
    expect((await plan(fresh(), prior, { ...prior, connection_name: 'globex' }, ['connection_name'])).requiresReplace).toEqual(['connection_name']);
  });

  test('an unknown connection_name waits for apply', async () => {
    const planned = state({ connection_name: UNKNOWN as never, name: 'ci' });
    await expect(plan(fresh(), null, planned)).resolves.toEqual({ planned, requiresReplace: [] });
  });

  test('a create warns about a key of the same name that no state tracks', async () => {
    vendor.add('acme', 'ci');
    const diagnostics = new Diagnostics();
    const planned = state({ connection_name: 'acme', name: 'ci' });
    await resource.modifyPlan!({ provider: fresh(), diagnostics, prior: null, planned, config: planned, privateState: {}, requiresReplace: [] });
    expect(diagnostics.items.map((item) => item.summary)).toEqual(['A key named like fake key "ci" (connection "acme") already exists']);
  });
});

test('an update that only moves the key to another label sends nothing; a real change goes to the family', async () => {
  const prior = state({ id: 'key_1', connection_name: 'acme', name: 'ci', note: 'a' });
  const context = { provider: fresh(), diagnostics: new Diagnostics(), config: prior, receipt: new CreateLedger().receipt(), privateState: {} };
  expect(await resource.update!({ ...context, prior, planned: { ...prior, connection_name: 'globex' } })).toMatchObject({ connection_name: 'globex' });
  expect(updates).toEqual([]);
  expect(await resource.update!({ ...context, prior, planned: { ...prior, note: 'b' } })).toMatchObject({ note: 'b', connection_name: 'acme' });
  expect(updates).toEqual(['key_1']);
});

describe('refusals', () => {
  test('a refusal names the credential\'s variable, the connection and what to do; its cause is reported once', async () => {
    vendor.refusing.add('acme');
    const provider = fresh();
    const first = await caught(read(provider, state({ id: 'key_1', connection_name: 'acme', name: 'a' })));
    expect(first).toBeInstanceOf(VendorAuthenticationError);
    expect(first.code).toBe('APIKEYS_ERR_VENDOR_AUTHENTICATION');
    expect(first.message).toBe('OpenAI rejected the admin key in ACME_OPENAI_ADMIN_KEY (connection "acme") with HTTP 401 when asked to list keys for the organization: Incorrect API key provided');
    expect(first.hint).toBe('Fix or rotate the credential: ACME_OPENAI_ADMIN_KEY must hold a working admin key; this one is wrong, revoked or expired.');
    // Every other instance behind that credential: the refresh keeps its state and adds nothing (the run fails on the first).
    const second = state({ id: 'key_2', connection_name: 'acme', name: 'b' });
    expect(await read(provider, second)).toEqual(second);
    // A create at apply cannot pretend: it fails, pointing at the first report.
    const planned = state({ connection_name: 'acme', name: 'c' });
    const create = await caught(resource.create({ provider, diagnostics: new Diagnostics(), planned, config: planned, receipt: new CreateLedger().receipt(), privateState: {} }));
    expect(create).toBeInstanceOf(AlreadyReportedError);
    expect(create.message).toContain('the same cause as an error reported above');
  });

  test('another connection is another cause; a 403 is told with the role advice', async () => {
    vendor.refusing.add('acme');
    vendor.forbidden.add('globex');
    const provider = fresh();
    await caught(read(provider, state({ id: 'key_1', connection_name: 'acme', name: 'a' })));
    const forbidden = await caught(read(provider, state({ id: 'key_2', connection_name: 'globex', name: 'b' })));
    expect(forbidden).toBeInstanceOf(VendorPermissionError);
    expect(forbidden.hint).toContain('The admin key in GLOBEX_OPENAI_ADMIN_KEY is valid but may not do this in the organization: give it the role');
    expect(forbidden.hint).not.toMatch(/apply again/i);
  });

  test('a plan with a refused credential fails once, and the other instances add nothing', async () => {
    vendor.refusing.add('');
    const provider = fresh();
    const planned = state({ name: 'a' });
    const error = await caught(plan(provider, null, planned));
    expect(error.message).toContain('OpenAI rejected the admin key in OPENAI_ADMIN_KEY with HTTP 401');
    await expect(plan(provider, null, state({ name: 'b' }))).resolves.toMatchObject({ requiresReplace: [] });
  });

  test('a missing credential is one error per variable, before any request', async () => {
    const provider = new ProviderContext(CONFIG, { APIKEYS_CREATE_JOURNAL: '0' });
    const error = await caught(plan(provider, null, state({ connection_name: 'acme', name: 'a' })));
    expect(error.message).toContain('is configured for openai_connection "acme"');
    // Reported above already: this plan says nothing more, and leaves the plan as it was.
    const second = state({ connection_name: 'acme', name: 'b' });
    await expect(plan(provider, null, second)).resolves.toEqual({ planned: second, requiresReplace: [] });
    expect(vendor.calls).toEqual([]);
  });
});
