/**
 * keyResource(): what every key resource's connection does, against a
 * fake family and a fake vendor (no HTTP): the attribute, import ids,
 * tracking, relocation, and refusals told once per connection and cause.
 */
import { armor, Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
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
import { IncompleteApplyError } from '../../../src/provider/framework/resource';
import type { Schema } from '../../../src/provider/framework/schema';

interface FakeKey { id: string; name: string; createdAt: number }
type State = KeyState & { name: string | null; note: string | null };

/** One organization's keys per connection label ('' is the default connection); a label in `refusing` answers 401. */
class FakeVendor {
  readonly organizations = new Map<string, Map<string, FakeKey>>();
  readonly refusing = new Set<string>();
  readonly forbidden = new Set<string>();
  readonly calls: string[] = [];
  refusingDeletes = false;
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
  dates: () => ({ createdAt: 0 }), // due for any rotation: only the tests that set one care
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
    if (vendor.refusingDeletes) throw new VendorPermissionError('OpenAI', 'delete a key', 403, { message: 'not allowed' });
    vendor.organization(clients.label).delete(prior.id!);
  },
  importId: { parse: (id) => (/^key_\d+$/.test(id) ? { id } : undefined), usage: 'a fake key id. Use key_<n>.' },
});

const CONFIG: CtyObject = { openai_connection: { acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }, globex: { admin_key_env: 'GLOBEX_OPENAI_ADMIN_KEY' } } };
const ENV = { OPENAI_ADMIN_KEY: 'sk-admin-default', ACME_OPENAI_ADMIN_KEY: 'sk-admin-acme', GLOBEX_OPENAI_ADMIN_KEY: 'sk-admin-globex' };

const fresh = (config: CtyObject = CONFIG) => new ProviderContext(config, { ...ENV, APIKEYS_CREATE_JOURNAL: '0' });
const state = (values: Partial<Connected<State>>): Connected<State> => ({
  id: null, connection_name: null, name: null, note: null, secret: null, secret_recipients: null, encrypted_secret: null, ...values,
});
const read = (provider: ProviderContext, current: Connected<State>) => resource.read({ provider, diagnostics: new Diagnostics(), current, privateState: {} });
const plan = (provider: ProviderContext, prior: Connected<State> | null, planned: Connected<State>, requiresReplace: string[] = []) =>
  resource.modifyPlan!({ provider, diagnostics: new Diagnostics(), prior, planned, config: planned, privateState: {}, requiresReplace });
const caught = async (promise: Promise<unknown>): Promise<ApiKeysError> => promise.then(() => { throw new Error('expected a rejection'); }, (error: ApiKeysError) => error);

beforeEach(() => {
  vendor.organizations.clear();
  vendor.refusing.clear();
  vendor.forbidden.clear();
  vendor.calls.length = 0;
  vendor.refusingDeletes = false;
  updates.length = 0;
});

test('the family schema gains connection_name right after id, and the lifecycle attributes at the end', () => {
  expect(Object.keys(resource.schema.attributes)).toEqual(['id', 'connection_name', 'name', 'note', 'secret', 'rotation', 'previous_key', 'secret_recipients', 'encrypted_secret']);
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

describe('sealing to secret_recipients', () => {
  let identity: string;
  let recipient: string;
  const receipt = () => new CreateLedger().receipt();
  const decrypt = async (armored: unknown) => {
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    return decrypter.decrypt(armor.decode(String(armored)), 'text');
  };
  const create = (provider: ProviderContext, planned: Connected<State>) =>
    resource.create({ provider, diagnostics: new Diagnostics(), planned, config: planned, receipt: receipt(), privateState: {} });
  /** A provider whose sealer fails only once the vendor made the key (the library and recipients were fine before). */
  const failingSealer = (provider: ProviderContext) => Object.assign(provider, {
    sealing: { prepare: (recipients: readonly string[]) => ({ seal: async () => { throw new Error(`cannot encrypt to ${recipients.length} recipient(s)`); } }) },
  });

  beforeAll(async () => {
    identity = await generateIdentity();
    recipient = await identityToRecipient(identity);
  });

  test('a create seals the secret: secret null, encrypted_secret an armored age file the identity opens', async () => {
    const planned = state({ name: 'ci', secret_recipients: [recipient] });
    const created = await create(fresh(), planned);
    expect(created.secret).toBeNull();
    expect(created.secret_recipients).toEqual([recipient]);
    expect(created.encrypted_secret).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+\n-----END AGE ENCRYPTED FILE-----\n$/);
    expect(await decrypt(created.encrypted_secret)).toBe(`secret-of-${created.id}`);
    expect(JSON.stringify(created)).not.toContain(`secret-of-${created.id}`);
  });

  test('without recipients the secret stays as the family returned it', async () => {
    const created = await create(fresh(), state({ name: 'ci' }));
    expect(created).toMatchObject({ secret: `secret-of-${created.id}`, encrypted_secret: null, secret_recipients: null });
  });

  test('the plan of a new key: the provider default applies unless the key sets its own; secret null, encrypted_secret unknown', async () => {
    const other = await identityToRecipient(await generateIdentity());
    const provider = fresh({ ...CONFIG, secret_recipients: [recipient] });
    const planned = state({ id: UNKNOWN as never, name: 'ci', secret: UNKNOWN as never, encrypted_secret: UNKNOWN as never, secret_recipients: UNKNOWN as never });
    const byDefault = await resource.modifyPlan!({ provider, diagnostics: new Diagnostics(), prior: null, planned, config: { ...planned, secret_recipients: null }, privateState: {}, requiresReplace: [] });
    expect(byDefault.planned).toMatchObject({ secret_recipients: [recipient], secret: null, encrypted_secret: UNKNOWN });
    const own = await resource.modifyPlan!({ provider, diagnostics: new Diagnostics(), prior: null, planned, config: { ...planned, secret_recipients: [other] }, privateState: {}, requiresReplace: [] });
    expect(own.planned).toMatchObject({ secret_recipients: [other], secret: null });
    const none = await resource.modifyPlan!({ provider: fresh(), diagnostics: new Diagnostics(), prior: null, planned, config: { ...planned, secret_recipients: null }, privateState: {}, requiresReplace: [] });
    expect(none.planned).toMatchObject({ secret_recipients: null, secret: UNKNOWN, encrypted_secret: null });
  });

  test('a recipient whose checksum is wrong fails the plan on the attribute, before any vendor call', async () => {
    const broken = `${recipient.slice(0, -1)}${recipient.endsWith('q') ? 'p' : 'q'}`;
    const planned = state({ id: UNKNOWN as never, name: 'ci', secret_recipients: [recipient, broken] });
    const error = await caught(plan(fresh(), null, planned));
    expect(error.message).toBe('secret_recipients[1] is not a valid age recipient: its checksum does not match, so a character was changed, added or lost');
    expect(error.attributePath).toEqual(['secret_recipients']);
    expect(vendor.calls).toEqual([]);
  });

  test('changing the recipients warns that nothing is re-encrypted, and the update sends nothing', async () => {
    const other = await identityToRecipient(await generateIdentity());
    const prior = await create(fresh(), state({ name: 'ci', secret_recipients: [recipient] }));
    const diagnostics = new Diagnostics();
    const changed = { ...prior, secret_recipients: [other] };
    const { planned, requiresReplace } = await resource.modifyPlan!({ provider: fresh(), diagnostics, prior, planned: changed, config: changed, privateState: {}, requiresReplace: [] });
    expect(requiresReplace).toEqual([]);
    expect(planned.encrypted_secret).toBe(prior.encrypted_secret);
    expect(diagnostics.items).toEqual([expect.objectContaining({
      severity: 'warning', summary: `Changing secret_recipients re-encrypts nothing: fake key "ci"`, path: ['secret_recipients'],
    })]);
    expect(diagnostics.items[0].detail).toContain('stays in state as it is (encrypted to the recipients it was created with)');
    const calls = vendor.calls.length;
    const updated = await resource.update!({ provider: fresh(), diagnostics: new Diagnostics(), prior, planned, config: changed, receipt: receipt(), privateState: {} });
    expect(updated).toEqual({ ...prior, secret_recipients: [other] });
    expect(updates).toEqual([]);
    expect(vendor.calls.length).toBe(calls);
  });

  test('a key due for rotation whose secret Terraform holds sealed is rotated; one whose secret it holds in no form is not', async () => {
    const rotation = { every: '1m', overlap: '0s' };
    const due = (prior: Connected<State>) => resource.modifyPlan!({
      provider: fresh(), diagnostics: new Diagnostics(), prior, planned: { ...prior, rotation }, config: { ...prior, rotation }, privateState: { refreshedAt: Date.now() }, requiresReplace: [],
    });
    const sealed = state({ id: 'key_1', name: 'ci', rotation, secret_recipients: [recipient], encrypted_secret: '-----BEGIN AGE ENCRYPTED FILE-----\n...' });
    const { planned } = await due(sealed);
    expect(planned).toMatchObject({ id: UNKNOWN, secret: null, encrypted_secret: UNKNOWN, secret_recipients: [recipient] });
    const error = await caught(due({ ...sealed, encrypted_secret: null }));
    expect(error.message).toContain('is due for rotation, but Terraform does not hold its secret (neither `secret` nor `encrypted_secret`)');
  });

  test('a sealing failure after the vendor made the key revokes the key: nothing is left anywhere', async () => {
    const error = await caught(create(failingSealer(fresh()), state({ name: 'ci', secret_recipients: [recipient] })));
    expect(error.code).toBe('APIKEYS_ERR_SEALING');
    expect(error.message).toBe('Could not encrypt the secret of the new fake key "ci" to secret_recipients (cannot encrypt to 1 recipient(s)), so the key was revoked at once');
    expect(vendor.organization('').size).toBe(0);
  });

  test('when revoking fails too, the key is saved in state without its secret (tainted), never left with no state', async () => {
    vendor.refusingDeletes = true;
    const error = await caught(create(failingSealer(fresh()), state({ name: 'ci', secret_recipients: [recipient] })));
    expect(error).toBeInstanceOf(IncompleteApplyError);
    const saved = (error as IncompleteApplyError<Connected<State>>).state;
    const [key] = vendor.organization('').values();
    expect(saved).toMatchObject({ id: key.id, secret: null, encrypted_secret: null });
    expect((error.cause as ApiKeysError).hint).toBe('The key is kept in state without its secret, which nobody has: the next apply revokes and replaces it.');
  });

  test('a rotation\'s new key, once delivered, is not revoked when Terraform dies (a saved state tracks the old key through it); a plain create\'s key is', async () => {
    const prior = await create(fresh(), state({ name: 'ci' }));
    const ledger = new CreateLedger();
    const config = { ...prior, rotation: { every: '2m', overlap: '1m' } };
    const rotating = ledger.receipt();
    const rotated = await resource.update!({ provider: fresh(), diagnostics: new Diagnostics(), prior, planned: { ...config, id: UNKNOWN as never }, config, receipt: rotating, privateState: {} });
    rotating.delivered();
    expect(rotated.previous_key).toMatchObject({ id: prior.id });
    const creating = ledger.receipt();
    const planned = state({ name: 'other' });
    const plain = await resource.create({ provider: fresh(), diagnostics: new Diagnostics(), planned, config: planned, receipt: creating, privateState: {} });
    creating.delivered();
    // The plain create's key only: the rotated key stays, and with it the state's hold on the previous key.
    expect((await ledger.terraformGone(10_000)).revoked).toEqual([plain.id]);
  });

  test('in a rotation, an unsealable new key that cannot be revoked is kept as the previous key, due now; the current key stays', async () => {
    const prior = await create(fresh(), state({ name: 'ci', secret_recipients: [recipient] }));
    vendor.refusingDeletes = true;
    const config = { ...prior, rotation: { every: '1m', overlap: '0s' } };
    const error = await caught(resource.update!({
      provider: failingSealer(fresh()), diagnostics: new Diagnostics(), prior, planned: { ...config, id: UNKNOWN as never }, config, receipt: receipt(), privateState: {},
    }));
    expect(error).toBeInstanceOf(IncompleteApplyError);
    const saved = (error as IncompleteApplyError<Connected<State>>).state;
    const fresher = [...vendor.organization('').values()].find((key) => key.id !== prior.id)!;
    expect(saved).toMatchObject({ id: prior.id, encrypted_secret: prior.encrypted_secret, previous_key: { id: fresher.id } });
    expect(Date.parse(saved.previous_key!.revoke_after)).toBeLessThanOrEqual(Date.now());
  });
});
