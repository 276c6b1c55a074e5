/**
 * The resource's own logic, in process against the emulator: what lands in
 * state on create (and what never does), the follow-up listing, imports.
 * The terraform suite next to this one covers the same resource end to end.
 */
import { CreateLedger } from '../../../../src/reconcile/create-ledger';
import { ConfigurationError, ImportIdError } from '../../../../src/core/errors';
import { VendorEmulator } from '../../../../src/emulator/server';
import type { CtyObject } from '../../../../src/provider/cty/value';
import { connectionTo } from '../../../../src/provider/connections/connection';
import type { Connected } from '../../../../src/provider/keys/key-resource';
import { edgeImpulseConnection } from '../../../../src/provider/families/edgeimpulse/connection';
import { ProviderContext } from '../../../../src/provider/context';
import { Diagnostics } from '../../../../src/provider/framework/diagnostics';
import {
  edgeImpulseOrganizationKeyResource as resource, type EdgeImpulseOrganizationKeyState,
} from '../../../../src/provider/families/edgeimpulse/organization-key';

let emulator: VendorEmulator;
let org: number;
let provider: ProviderContext;
let diagnostics: Diagnostics;

const SUPPLIED = `ei_supplied_${'s'.repeat(24)}`;

type State = Connected<EdgeImpulseOrganizationKeyState>;

function planned(overrides: Partial<State> = {}): State {
  return {
    id: null, connection_name: null, organization_id: org, name: 'ci', role: 'admin', ttl_seconds: null, api_key_wo: null, api_key_wo_version: null,
    secret: null, redacted_value: null, created_at: null, expires_at: null, last_used_at: null, last_used_country: null, last_used_ip: null,
    ...overrides,
  };
}

const create = (plan: State, config: State = plan) =>
  resource.create({ provider, diagnostics, privateState: {}, planned: plan, config, receipt: new CreateLedger().receipt() });

/** The listing a create takes first, done now so that an injected GET fault hits the listing after the create. */
const warmListing = () => connectionTo(provider, edgeImpulseConnection, null).clients.organization(org).inventory.all();

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const described = emulator.describe().vendors.edgeimpulse;
  org = Number(described.organizationId);
  provider = new ProviderContext({ edgeimpulse_base_url: described.baseUrl, max_retries: 0 } as CtyObject, { EI_API_KEY: String(described.apiKey), APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });
  diagnostics = new Diagnostics();
});

afterEach(async () => {
  await emulator.stop();
});

describe('create', () => {
  test('stores the generated key as secret and fills the details from a listing made after the create', async () => {
    const state = await create(planned({ ttl_seconds: 600 }));
    const stored = emulator.edgeimpulse.findKey(org, Number(state.id))!;
    expect(state).toEqual({
      id: String(stored.id), connection_name: null, organization_id: org, name: 'ci', role: 'admin', ttl_seconds: 600, api_key_wo: null, api_key_wo_version: null,
      secret: stored.apiKey, redacted_value: `${stored.apiKey.slice(0, 7)}…`, created_at: new Date(stored.created).toISOString(),
      expires_at: new Date(stored.created + 600_000).toISOString(), last_used_at: null, last_used_country: null, last_used_ip: null,
      rotation: null, previous_key: null, secret_recipients: null, encrypted_secret: null,
    });
    expect(diagnostics.items).toEqual([]);
    // One listing before the create (to recognise a lost answer's key), the create, one listing for the details.
    expect(emulator.requestsTo('edgeimpulse').map((record) => record.method)).toEqual(['GET', 'POST', 'GET']);
  });

  test('the provider chooses the key value before sending it, so a lost answer cannot lose it', async () => {
    const state = await create(planned());
    expect(state.secret).toMatch(/^ei_[0-9a-f]{64}$/);
    expect(emulator.edgeimpulse.findKey(org, Number(state.id))!.apiKey).toBe(state.secret);
  });

  test('a lost answer: the key that appears carries the chosen value and is adopted with it, not revoked', async () => {
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'drop-response' } });
    const state = await create(planned({ name: 'lost' }));
    const stored = emulator.edgeimpulse.findKey(org, Number(state.id))!;
    expect(state.secret).toBe(stored.apiKey);
    expect(emulator.requestsTo('edgeimpulse', 'POST')).toHaveLength(1);
    expect(emulator.requestsTo('edgeimpulse', 'DELETE')).toHaveLength(0);
    expect(diagnostics.items[0]).toMatchObject({ severity: 'warning', summary: `Recovered Edge Impulse organization key "lost" in organization ${org} from a lost answer` });
    expect(JSON.stringify(diagnostics.items)).not.toContain(stored.apiKey);
  });

  test('a caller-supplied key is sent from config, and neither it nor the answer is copied into state', async () => {
    const plan = planned({ api_key_wo_version: 3 });
    const state = await create(plan, { ...plan, api_key_wo: SUPPLIED });
    expect(emulator.edgeimpulse.findKey(org, Number(state.id))!.apiKey).toBe(SUPPLIED);
    expect(state).toMatchObject({ secret: null, api_key_wo: null, api_key_wo_version: 3, redacted_value: `${SUPPLIED.slice(0, 7)}…` });
    expect(JSON.stringify(state)).not.toContain(SUPPLIED);
    expect(diagnostics.items).toEqual([]);
  });

  test('if Edge Impulse answers a different key than the one supplied, that key is kept as secret, with a warning', async () => {
    const other = `ei_${'9'.repeat(64)}`;
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'POST', action: { kind: 'status', status: 200, body: { success: true, id: 77, apiKey: other } } });
    const state = await create(planned(), { ...planned(), api_key_wo: SUPPLIED });
    expect(state.secret).toBe(other);
    expect(diagnostics.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ severity: 'warning', summary: 'Edge Impulse generated a different key than the one supplied in api_key_wo', path: ['api_key_wo'] }),
    ]));
  });

  test('an invalid supplied key (unknown at validate time) fails before any request', async () => {
    const error = await create(planned(), { ...planned(), api_key_wo: 'ei_short' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).attribute).toBe('api_key_wo');
    expect((error as Error).message).not.toContain('ei_short');
    expect(emulator.requests).toHaveLength(0);
  });

  test('when the listing after the create fails, the secret is still returned, with a warning', async () => {
    await warmListing();
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', action: { kind: 'status', status: 503, body: { success: false, error: 'busy' } } });
    const state = await create(planned({ name: 'no details' }));
    const stored = emulator.edgeimpulse.findKey(org, Number(state.id))!;
    expect(state).toMatchObject({ secret: stored.apiKey, created_at: null, redacted_value: null });
    expect(diagnostics.items).toHaveLength(1);
    expect(diagnostics.items[0]).toMatchObject({ severity: 'warning', summary: `Created Edge Impulse organization key "no details" (organization ${org}, key ${stored.id}); its details are not known yet` });
    expect(diagnostics.items[0].detail).toContain('HTTP 503: busy');
    expect(diagnostics.items[0].detail).not.toContain(stored.apiKey);
  });

  test('a listing that does not show the new key yet also only warns', async () => {
    await warmListing();
    emulator.faults.inject({ vendor: 'edgeimpulse', method: 'GET', action: { kind: 'status', status: 200, body: { success: true, apiKeys: [] } } });
    const state = await create(planned());
    expect(state.secret).toMatch(/^ei_/);
    expect(diagnostics.items[0].detail).toContain(`does not show key ${state.id} yet`);
  });

  test('creates that finish together share the follow-up listing', async () => {
    const states = await Promise.all(Array.from({ length: 6 }, (_, index) => create(planned({ name: `parallel-${index}` }))));
    for (const state of states) expect(state.created_at).not.toBeNull();
    expect(emulator.requestsTo('edgeimpulse', 'POST')).toHaveLength(6);
    expect(emulator.requestsTo('edgeimpulse', 'GET').length).toBeLessThan(6);
  });
});

describe('read, delete and import', () => {
  test('read answers from one listing and keeps what only Terraform knows', async () => {
    const state = await create(planned({ ttl_seconds: 60, api_key_wo_version: 1 }));
    emulator.requests.length = 0;
    const fresh = new ProviderContext(provider.config, provider.env);
    const [again, missing] = await Promise.all([
      resource.read({ provider: fresh, diagnostics, privateState: {}, current: state }),
      resource.read({ provider: fresh, diagnostics, privateState: {}, current: { ...state, id: '999999' } }),
    ]);
    expect(again).toEqual(state);
    expect(missing).toBeNull();
    expect(emulator.requestsTo('edgeimpulse', 'GET')).toHaveLength(1);
  });

  test('an imported key gets ttl_seconds from its dates and no secret', async () => {
    const legacy = emulator.edgeimpulse.addKey(org, { name: 'legacy', role: 'member', ttlSeconds: 7200 });
    const partial = resource.importState({ provider, diagnostics, id: ` ${org}/${legacy.id} ` });
    expect(partial).toEqual({ connection_name: null, organization_id: org, id: String(legacy.id) });
    const current = { ...planned({ name: null, role: null }), ...partial } as State;
    const state = await resource.read({ provider, diagnostics, privateState: {}, current });
    expect(state).toMatchObject({ name: 'legacy', role: 'member', ttl_seconds: 7200, secret: null, api_key_wo: null });
  });

  test.each(['12', '12/', 'a/b', '12/34/56', 'org-1/2'])('import id %p is refused with the expected format', (id) => {
    expect(() => resource.importState({ provider, diagnostics, id })).toThrow(ImportIdError);
    expect(() => resource.importState({ provider, diagnostics, id })).toThrow('Use <organization_id>/<key_id>');
  });

  test('delete revokes, and a key already gone counts as deleted', async () => {
    const state = await create(planned());
    await resource.delete({ provider, diagnostics, prior: state });
    expect(emulator.edgeimpulse.findKey(org, Number(state.id))).toBeUndefined();
    await expect(resource.delete({ provider, diagnostics, prior: state })).resolves.toBeUndefined();
  });

  test('describe ignores unknown values', () => {
    expect(resource.describe({ name: 'x', organization_id: 5, id: '9' })).toBe('Edge Impulse organization key "x" (organization 5, key 9)');
    expect(resource.describe({ name: {} as never, organization_id: {} as never })).toBe('Edge Impulse organization key');
  });

  test('validateConfig warns when api_key_wo has no api_key_wo_version', () => {
    const local = new Diagnostics();
    resource.validateConfig!(planned({ api_key_wo: SUPPLIED }), local);
    expect(local.items).toEqual([expect.objectContaining({ severity: 'warning', path: ['api_key_wo_version'] })]);
    const quiet = new Diagnostics();
    resource.validateConfig!(planned({ api_key_wo: SUPPLIED, api_key_wo_version: 1 }), quiet);
    resource.validateConfig!(planned(), quiet);
    expect(quiet.items).toEqual([]);
  });
});
