/**
 * apikeys_atlas_organization_key's definition called directly (no terraform
 * binary), against the in-process emulator: create, read, update in place
 * (description and roles), delete, import ids and plans. The private key is
 * whole only in the create answer; everything else the provider stores of it
 * is masked. The terraform suite next to this one covers the same resource
 * end to end.
 */
import { ImportIdError } from '../../../../src/core/errors';
import { VendorEmulator } from '../../../../src/emulator/server';
import { CreateLedger } from '../../../../src/reconcile/create-ledger';
import type { Connected } from '../../../../src/provider/keys/key-resource';
import { ProviderContext } from '../../../../src/provider/context';
import { UNKNOWN } from '../../../../src/provider/cty/value';
import { atlasOrganizationKeyResource as resource, type AtlasOrganizationKeyState } from '../../../../src/provider/families/atlas/organization-key';
import { Diagnostics } from '../../../../src/provider/framework/diagnostics';
import { planChange } from '../../../../src/provider/framework/planning';

type State = Connected<AtlasOrganizationKeyState>;

let emulator: VendorEmulator;
let provider: ProviderContext;
let diagnostics: Diagnostics;
let org: string;
let otherOrg: string;

const MASK = '********-****-****-';

const state = (values: Partial<State> = {}): State => ({
  id: null, connection_name: null, organization_id: org, description: 'ci', roles: ['ORG_MEMBER'], public_key: null, secret: null,
  redacted_private_key: null, created_at: null, last_used_at: null, rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null, ...values,
});
/** Atlas keys carry no date, but their ObjectId starts with the creation time, to the second. */
const createdAt = (id: string) => new Date(Number.parseInt(id.slice(0, 8), 16) * 1000).toISOString().replace('.000Z', 'Z');

const create = (planned: State) =>
  resource.create({ provider, diagnostics, privateState: {}, planned, config: planned, receipt: new CreateLedger().receipt() });
const read = (current: State, context = provider) => resource.read({ provider: context, diagnostics, privateState: {}, current });
const update = (prior: State, planned: State) =>
  resource.update!({ provider, diagnostics, privateState: {}, prior, planned, config: planned, receipt: new CreateLedger().receipt() });
const importId = (id: string) => resource.importState({ provider, diagnostics, id });
/** Requests to the key API (the OAuth token requests of the service account left out). */
const keyRequests = (method?: string) => emulator.requestsTo('atlas', method, '/apiKeys').map((record) => `${record.method} ${record.status}`);
const storedKey = (id: string, organization = org) => emulator.atlas.organization(organization)!.keys.get(id)!;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const atlas = emulator.describe().vendors.atlas;
  [org, otherOrg] = [String(atlas.orgId), String(atlas.orgId_1)];
  provider = new ProviderContext({ atlas_base_url: atlas.baseUrl, max_retries: 0 }, {
    MONGODB_ATLAS_CLIENT_ID: String(atlas.clientId), MONGODB_ATLAS_CLIENT_SECRET: String(atlas.clientSecret), APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
  });
  diagnostics = new Diagnostics();
});

afterEach(async () => {
  provider.stop();
  await emulator.stop();
});

describe('create', () => {
  test('stores the whole private key as secret only; the stored mask is made from it, and roles are sorted', async () => {
    const created = await create(state({ description: 'ci', roles: ['ORG_READ_ONLY', 'ORG_MEMBER'] }));
    const stored = storedKey(created.id!);
    expect(created).toEqual({
      id: stored.id, connection_name: null, organization_id: org, description: 'ci', roles: ['ORG_MEMBER', 'ORG_READ_ONLY'],
      public_key: stored.publicKey, secret: stored.privateKey, redacted_private_key: `${MASK}${stored.privateKey.slice(-12)}`,
      created_at: createdAt(stored.id), last_used_at: null, rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null,
    });
    expect(stored.orgRoles.sort()).toEqual(['ORG_MEMBER', 'ORG_READ_ONLY']);
    const { secret, ...unprotected } = created;
    expect(JSON.stringify(unprotected)).not.toContain(secret!);
    expect(diagnostics.items).toEqual([]);
    // One listing first (to recognise the key of a lost answer), then the create: the answer has every detail.
    expect(keyRequests()).toEqual(['GET 200', 'POST 200']);
  });

  test('a create answer without desc: the description comes from the plan; roles of projects and other organizations are not this key\'s', async () => {
    const made = emulator.atlas.addKey(org, { desc: 'sparse', roles: ['ORG_MEMBER'] });
    emulator.faults.inject({
      vendor: 'atlas', method: 'POST', pathIncludes: '/apiKeys',
      action: { kind: 'status', status: 200, body: { id: made.id, publicKey: made.publicKey, privateKey: made.privateKey, roles: [{ groupId: 'a'.repeat(24), roleName: 'GROUP_OWNER' }, { orgId: otherOrg, roleName: 'ORG_OWNER' }, { orgId: org, roleName: 'ORG_MEMBER' }] } },
    });
    const created = await create(state({ description: 'sparse', roles: ['ORG_MEMBER'] }));
    expect(created).toMatchObject({ id: made.id, description: 'sparse', roles: ['ORG_MEMBER'], secret: made.privateKey });
    const fresh = new ProviderContext(provider.config, provider.env);
    expect(await read(created, fresh)).toEqual(created);
  });

  test('an answer with a masked private key fails the create instead of storing the mask as the secret', async () => {
    const settling = new ProviderContext({ ...provider.config, create_settle_seconds: 1, create_max_attempts: 1 }, provider.env);
    emulator.faults.inject({
      vendor: 'atlas', method: 'POST', pathIncludes: '/apiKeys', times: 5,
      action: { kind: 'status', status: 200, body: { id: 'c'.repeat(24), desc: 'ci', publicKey: 'abcdefgh', privateKey: `${MASK}123456789012`, roles: [] } },
    });
    await expect(resource.create({ provider: settling, diagnostics, privateState: {}, planned: state(), config: state(), receipt: new CreateLedger().receipt() }))
      .rejects.toThrow(`key ${'c'.repeat(24)} came without its private key`);
  });

  test('Atlas\'s refusal of an unknown role fails the create and makes nothing', async () => {
    const before = emulator.atlas.organization(org)!.keys.size;
    await expect(create(state({ roles: ['ORG_WIZARD'] }))).rejects.toThrow(/HTTP 400/);
    expect(emulator.atlas.organization(org)!.keys.size).toBe(before);
  });
});

describe('read', () => {
  test('one listing per organization and process; project roles and other organizations\' roles are not this key\'s', async () => {
    const key = emulator.atlas.addKey(org, { desc: 'reporting', roles: ['ORG_READ_ONLY'], projectRoles: [{ groupId: 'b'.repeat(24), roleName: 'GROUP_READ_ONLY' }] });
    const other = emulator.atlas.addKey(org, { desc: 'billing', roles: ['ORG_BILLING_READ_ONLY'] });
    const [first, second, gone] = await Promise.all([
      read(state({ id: key.id, description: null, roles: null })),
      read(state({ id: other.id, description: null, roles: null })),
      read(state({ id: 'd'.repeat(24) })),
    ]);
    expect(first).toEqual({
      id: key.id, connection_name: null, organization_id: org, description: 'reporting', roles: ['ORG_READ_ONLY'], public_key: key.publicKey,
      secret: null, redacted_private_key: `${MASK}${key.privateKey.slice(-12)}`, created_at: createdAt(key.id), last_used_at: null,
      rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null,
    });
    expect(second).toMatchObject({ description: 'billing', roles: ['ORG_BILLING_READ_ONLY'] });
    expect(gone).toBeNull();
    expect(keyRequests('GET')).toEqual(['GET 200']);
  });

  test('keeps the secret; a change in the console shows in state', async () => {
    const created = await create(state());
    emulator.atlas.updateKey(org, created.id!, { desc: 'edited', roles: ['ORG_MEMBER', 'ORG_GROUP_CREATOR'] });
    const refreshed = await read(created, new ProviderContext(provider.config, provider.env));
    expect(refreshed).toEqual({ ...created, description: 'edited', roles: ['ORG_GROUP_CREATOR', 'ORG_MEMBER'] });
  });

  test('an imported key has no secret', async () => {
    const legacy = emulator.atlas.addKey(org, { desc: 'legacy', roles: ['ORG_MEMBER'] });
    const partial = importId(` ${org}/${legacy.id} `);
    expect(partial).toEqual({ connection_name: null, organization_id: org, id: legacy.id });
    const imported = await read({ ...state({ description: null, roles: null }), ...partial });
    expect(imported).toMatchObject({ description: 'legacy', roles: ['ORG_MEMBER'], secret: null, public_key: legacy.publicKey });
  });
});

describe('update in place', () => {
  test('a new description is one PATCH of desc alone; the secret and the key stay', async () => {
    const created = await create(state());
    emulator.requests.length = 0;
    const updated = await update(created, { ...created, description: 'ci v2' });
    expect(updated).toEqual({ ...created, description: 'ci v2' });
    expect(storedKey(created.id!).desc).toBe('ci v2');
    expect(keyRequests()).toEqual(['PATCH 200']);
  });

  test('only what the plan changes is sent: roles it leaves alone are not written back', async () => {
    const created = await create(state({ roles: ['ORG_MEMBER'] }));
    emulator.atlas.updateKey(org, created.id!, { roles: ['ORG_READ_ONLY'] }); // changed in the console since the plan
    const updated = await update(created, { ...created, description: 'ci v2' });
    expect(storedKey(created.id!).orgRoles).toEqual(['ORG_READ_ONLY']);
    expect(updated.roles).toEqual(['ORG_READ_ONLY']); // what Atlas holds, so the next plan shows the difference
  });

  test('new roles are sent (in any order) and what Atlas then holds is stored', async () => {
    const created = await create(state({ roles: ['ORG_MEMBER'] }));
    const updated = await update(created, { ...created, roles: ['ORG_READ_ONLY', 'ORG_GROUP_CREATOR'] });
    expect(updated.roles).toEqual(['ORG_GROUP_CREATOR', 'ORG_READ_ONLY']);
    expect(storedKey(created.id!).orgRoles.sort()).toEqual(['ORG_GROUP_CREATOR', 'ORG_READ_ONLY']);
    expect(diagnostics.items).toEqual([]);
  });

  test('the same roles in another order and the same description send nothing', async () => {
    const created = await create(state({ roles: ['ORG_MEMBER', 'ORG_READ_ONLY'] }));
    emulator.requests.length = 0;
    const updated = await update(created, { ...created, connection_name: null, roles: ['ORG_READ_ONLY', 'ORG_MEMBER'] });
    expect(updated.secret).toBe(created.secret);
    expect(emulator.requests).toEqual([]);
  });

  test('when Atlas adds roles instead of replacing them, the update warns and stores what Atlas holds', async () => {
    emulator.atlas.settings.patchRoles = 'merge';
    const created = await create(state({ roles: ['ORG_MEMBER'] }));
    const updated = await update(created, { ...created, roles: ['ORG_READ_ONLY'] });
    expect(updated.roles).toEqual(['ORG_MEMBER', 'ORG_READ_ONLY']);
    expect(diagnostics.items).toEqual([expect.objectContaining({
      severity: 'warning', summary: `Atlas did not set the roles of Atlas organization key "ci" (${created.id}) exactly`, path: ['roles'],
    })]);
    expect(diagnostics.items[0].detail).toContain('Requested ORG_READ_ONLY; Atlas now reports ORG_MEMBER, ORG_READ_ONLY.');
  });

  test('a key gone since the plan fails the update with Atlas\'s 404', async () => {
    const created = await create(state());
    emulator.atlas.revokeKey(org, created.id!);
    await expect(update(created, { ...created, description: 'late' })).rejects.toThrow(/HTTP 404/);
  });
});

describe('delete', () => {
  test('revokes the key; the same process then reads it as gone without listing again; a key already gone counts as deleted', async () => {
    const created = await create(state());
    await resource.delete({ provider, diagnostics, prior: created });
    expect(emulator.atlas.organization(org)!.keys.get(created.id!)).toBeUndefined();
    emulator.requests.length = 0;
    expect(await read(created)).toBeNull();
    expect(emulator.requests).toEqual([]);
    await expect(resource.delete({ provider, diagnostics, prior: created })).resolves.toBeUndefined();
    expect(keyRequests('DELETE')).toEqual(['DELETE 404']);
  });
});

describe('import ids, plans and messages', () => {
  test('a connection label may come first', () => {
    expect(importId(`acme:${org}/${'e'.repeat(24)}`)).toEqual({ connection_name: 'acme', organization_id: org, id: 'e'.repeat(24) });
  });

  test.each(['', 'a'.repeat(24), `${'a'.repeat(24)}/`, `${'a'.repeat(24)}/${'b'.repeat(23)}`, `${'A'.repeat(24)}/${'b'.repeat(24)}`, `${'a'.repeat(24)}/${'b'.repeat(24)}/x`])(
    'import id %p is refused with the expected form', (id) => {
      expect(() => importId(id)).toThrow(ImportIdError);
      expect(() => importId(id)).toThrow('Use <organization_id>/<key_id>, both 24 hexadecimal digits');
    },
  );

  test('organization_id forces replacement; description and roles are updated in place, roles as a set', () => {
    const prior = state({ id: 'f'.repeat(24), secret: 'kept' });
    const plan = (change: Partial<State>) => planChange(resource.schema, true, prior, { ...prior, ...change }, { ...prior, ...change });
    expect(plan({ organization_id: otherOrg }).requiresReplace).toEqual(['organization_id']);
    expect(plan({ description: 'x', roles: ['ORG_OWNER'] }).requiresReplace).toEqual([]);
    expect(plan({ description: 'x' }).planned).toMatchObject({ secret: 'kept' });
  });

  test('the wrapper keeps in-place changes in place: Atlas has an update', async () => {
    const prior = state({ id: 'f'.repeat(24) });
    const planned = { ...prior, description: 'renamed', roles: ['ORG_OWNER'] };
    const change = await resource.modifyPlan!({ provider, diagnostics, prior, planned, config: planned, privateState: {}, requiresReplace: [] });
    expect(change.requiresReplace).toEqual([]);
    expect(emulator.requests).toEqual([]);
  });

  test('validators: a 24-hex organization id, a description of 1 to 250 characters, known roles', () => {
    const problems = (attribute: 'organization_id' | 'description' | 'roles', value: unknown) =>
      resource.schema.attributes[attribute].validators!.map((validate) => validate(value as never)).filter(Boolean);
    expect(problems('organization_id', org)).toEqual([]);
    expect(problems('organization_id', 'acme')).not.toEqual([]);
    expect(problems('description', 'x'.repeat(250))).toEqual([]);
    expect(problems('description', 'x'.repeat(251))).not.toEqual([]);
    expect(problems('roles', ['ORG_MEMBER'])).toEqual([]);
    expect(problems('roles', [])).not.toEqual([]);
    expect(problems('roles', ['ORG_WIZARD'])).not.toEqual([]);
  });

  test('describe ignores unknown values', () => {
    expect(resource.describe({ description: 'ci', id: 'f'.repeat(24) })).toBe(`Atlas organization key "ci" (${'f'.repeat(24)})`);
    expect(resource.describe({ description: UNKNOWN as never, id: UNKNOWN as never })).toBe('Atlas organization key');
  });
});
