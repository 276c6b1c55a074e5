import { decodeMsgpack, encodeMsgpack } from '../../../src/provider/cty/codec';
import { UNKNOWN, isUnknown, type CtyObject } from '../../../src/provider/cty/value';
import { setOf } from '../../../src/provider/cty/types';
import { planChange as planChangeOf } from '../../../src/provider/framework/planning';
import { ProviderServer } from '../../../src/provider/framework/provider-server';
import { toProtoPath } from '../../../src/provider/framework/translation';
import { IncompleteApplyError, type ProviderDefinition, type ResourceDefinition } from '../../../src/provider/framework/resource';
import { schemaType, type Schema } from '../../../src/provider/framework/schema';
import { notBlank } from '../../../src/provider/framework/validators';
import { VendorServerError } from '../../../src/core/errors';
import type { AttributePath, Diagnostic, PlanResourceChangeResponse } from '../../../src/provider/protocol/tfplugin6.generated';

/* A small in-memory key store that plays the vendor. */
interface FakeVendor {
  keys: Map<string, CtyObject>;
  nextId: number;
  createError?: unknown;
  deleteError?: unknown;
  updateError?: unknown;
  calls: string[];
}

const TYPE = 'fake_key';

const schema: Schema = {
  version: 1,
  description: 'A fake key.',
  attributes: {
    id: { type: 'string', computed: true, description: 'id' },
    name: { type: 'string', required: true, requiresReplace: true, validators: [notBlank], description: 'name' },
    note: { type: 'string', optional: true, description: 'updatable in place' },
    scopes: { type: setOf('string'), optional: true, description: 'updatable set' },
    region: { type: 'string', optional: true, computed: true, description: 'optional+computed' },
    secret: { type: 'string', computed: true, sensitive: true, description: 'secret' },
    created_at: { type: 'number', computed: true, description: 'created' },
    password: { type: 'string', optional: true, writeOnly: true, sensitive: true, description: 'write-only' },
  },
};

const stateType = schemaType(schema);

function fakeResource(options: { withUpdate?: boolean } = {}): ResourceDefinition<CtyObject, FakeVendor> {
  const resource: ResourceDefinition<CtyObject, FakeVendor> = {
    typeName: TYPE,
    schema,
    describe: (state) => `fake key${state.name ? ` "${state.name as string}"` : ''}`,
    async create({ provider, planned }) {
      provider.calls.push('create');
      if (provider.createError) throw provider.createError;
      const id = `fk_${provider.nextId++}`;
      const state = { ...planned, id, secret: `secret-of-${id}`, created_at: 1_700_000_000, region: planned.region === UNKNOWN ? 'eu' : planned.region, password: 'echoed-write-only' };
      provider.keys.set(id, state);
      return state;
    },
    async read({ provider, current }) {
      provider.calls.push('read');
      return provider.keys.get(current.id as string) ?? null;
    },
    async delete({ provider, prior }) {
      provider.calls.push('delete');
      if (provider.deleteError) throw provider.deleteError;
      provider.keys.delete(prior.id as string);
    },
    importState({ id }) {
      if (!id.startsWith('fk_')) throw new Error(`bad id ${id}`);
      return { id };
    },
  };
  if (options.withUpdate !== false) {
    resource.update = async ({ provider, planned }) => {
      provider.calls.push('update');
      if (provider.updateError) throw provider.updateError;
      provider.keys.set(planned.id as string, planned);
      return planned;
    };
  }
  return resource;
}

function makeServer(options: { withUpdate?: boolean } = {}): { server: ProviderServer<FakeVendor>; vendor: FakeVendor } {
  const vendor: FakeVendor = { keys: new Map(), nextId: 1, calls: [] };
  const definition: ProviderDefinition<FakeVendor> = {
    typeName: 'fake',
    schema: { version: 0, description: 'fake provider', attributes: {} },
    configure: () => vendor,
    resources: [fakeResource(options)],
    dataSources: [],
  };
  const server = new ProviderServer(definition);
  server.configureProvider({ config: { msgpack: encodeMsgpack({}, schemaType(definition.schema)) } });
  return { server, vendor };
}

const full = (values: CtyObject): CtyObject => Object.fromEntries(Object.keys(schema.attributes).map((name) => [name, values[name] ?? null]));
const dv = (value: CtyObject | null) => ({ msgpack: encodeMsgpack(value === null ? null : full(value), stateType) });
const decode = (value: { msgpack?: Uint8Array } | undefined): CtyObject | null =>
  decodeMsgpack(value?.msgpack ?? new Uint8Array(), stateType) as CtyObject | null;

const diagnosticsOf = (response: { diagnostics?: Diagnostic[] }): Diagnostic[] => response.diagnostics ?? [];
const replacePaths = (response: PlanResourceChangeResponse): AttributePath[] => response.requires_replace ?? [];

/** The framework's planning rules for a resource definition. */
const planChange = (resource: ResourceDefinition<CtyObject, FakeVendor>, prior: CtyObject | null, proposed: CtyObject, config: CtyObject) =>
  planChangeOf(resource.schema, resource.update !== undefined, prior, proposed, config);

const priorState: CtyObject = full({
  id: 'fk_7', name: 'ci', note: 'old note', scopes: ['a', 'b'], region: 'us', secret: 'the-secret', created_at: 1_600_000_000,
});

describe('planChange (planning rules)', () => {
  const resource = fakeResource();

  test('on create, computed attributes the config leaves unset become unknown', () => {
    const config = full({ name: 'ci', note: 'n' });
    const { planned, requiresReplace } = planChange(resource, null, config, config);
    expect(planned.id).toBe(UNKNOWN);
    expect(planned.secret).toBe(UNKNOWN);
    expect(planned.created_at).toBe(UNKNOWN);
    expect(planned.region).toBe(UNKNOWN);
    expect(planned.name).toBe('ci');
    expect(planned.note).toBe('n');
    expect(planned.scopes).toBeNull(); // optional, not computed: stays null
    expect(requiresReplace).toEqual([]);
  });

  test('on create, an optional+computed attribute set in config keeps its value', () => {
    const config = full({ name: 'ci', region: 'eu' });
    expect(planChange(resource, null, config, config).planned.region).toBe('eu');
  });

  test('write-only attributes are null in the plan, on create and update', () => {
    const config = full({ name: 'ci', password: 'hunter2-password' });
    expect(planChange(resource, null, config, config).planned.password).toBeNull();
    const proposed = { ...priorState, password: 'hunter2-password' };
    expect(planChange(resource, priorState, proposed, proposed).planned.password).toBeNull();
  });

  test('on update, a change to a requiresReplace attribute requires replacement', () => {
    const proposed = { ...priorState, name: 'renamed' };
    expect(planChange(resource, priorState, proposed, proposed).requiresReplace).toEqual(['name']);
  });

  test('on update, a change to an updatable attribute does not require replacement when update() exists', () => {
    const proposed = { ...priorState, note: 'new note' };
    const { planned, requiresReplace } = planChange(resource, priorState, proposed, proposed);
    expect(requiresReplace).toEqual([]);
    expect(planned.note).toBe('new note');
  });

  test('without update(), any change to a configurable attribute requires replacement', () => {
    const proposed = { ...priorState, note: 'new note' };
    expect(planChange(fakeResource({ withUpdate: false }), priorState, proposed, proposed).requiresReplace).toEqual(['note']);
  });

  test('a set that only changes order is not a change', () => {
    const proposed = { ...priorState, scopes: ['b', 'a'] };
    expect(planChange(fakeResource({ withUpdate: false }), priorState, proposed, proposed).requiresReplace).toEqual([]);
  });

  test('computed-only attributes keep their prior values on update', () => {
    const proposed = { ...priorState, note: 'new note', id: UNKNOWN, secret: UNKNOWN, created_at: null };
    const { planned } = planChange(resource, priorState, proposed, proposed);
    expect(planned.id).toBe('fk_7');
    expect(planned.secret).toBe('the-secret');
    expect(planned.created_at).toBe(1_600_000_000);
  });

  test('no change plans nothing to replace and keeps the prior values', () => {
    const { planned, requiresReplace } = planChange(resource, priorState, { ...priorState }, { ...priorState });
    expect(requiresReplace).toEqual([]);
    expect(planned).toEqual(priorState);
  });
});

describe('ProviderServer.planResourceChange', () => {
  test('create: planned_state carries unknowns for computed attributes', async () => {
    const { server } = makeServer();
    const config = dv({ name: 'ci', password: 'pw-value-123' });
    const response = await server.planResourceChange({ type_name: TYPE, prior_state: dv(null), proposed_new_state: config, config });
    const planned = decode(response.planned_state as { msgpack: Uint8Array })!;
    expect(isUnknown(planned.id)).toBe(true);
    expect(isUnknown(planned.secret)).toBe(true);
    expect(planned.name).toBe('ci');
    expect(planned.password).toBeNull();
    expect(replacePaths(response)).toEqual([]);
    expect(diagnosticsOf(response)).toEqual([]);
  });

  test('update: requires_replace names the requiresReplace attribute as an attribute path', async () => {
    const { server } = makeServer();
    const proposed = dv({ ...priorState, name: 'renamed', note: 'new' });
    const response = await server.planResourceChange({ type_name: TYPE, prior_state: dv(priorState), proposed_new_state: proposed, config: proposed });
    expect(replacePaths(response)).toEqual([{ steps: [{ attribute_name: 'name' }] }]);
  });

  test('update: a change to an updatable attribute is planned in place', async () => {
    const { server } = makeServer();
    const proposed = dv({ ...priorState, note: 'new' });
    const response = await server.planResourceChange({ type_name: TYPE, prior_state: dv(priorState), proposed_new_state: proposed, config: proposed });
    expect(replacePaths(response)).toEqual([]);
    expect(decode(response.planned_state as { msgpack: Uint8Array })!.note).toBe('new');
  });

  test('destroy: a null proposed state plans null', async () => {
    const { server } = makeServer();
    const response = await server.planResourceChange({ type_name: TYPE, prior_state: dv(priorState), proposed_new_state: dv(null), config: dv(null) });
    expect(Buffer.from((response.planned_state as { msgpack: Uint8Array }).msgpack).toString('hex')).toBe('c0');
  });

  test('an unknown resource type is an error diagnostic', async () => {
    const { server } = makeServer();
    const response = await server.planResourceChange({ type_name: 'nope', proposed_new_state: dv(null) });
    expect(diagnosticsOf(response)).toEqual([expect.objectContaining({ severity: 1, summary: 'Unknown resource type' })]);
  });
});

describe('ProviderServer.applyResourceChange', () => {
  const createRequest = () => {
    const config = dv({ name: 'ci', note: 'n' });
    const planned = { msgpack: encodeMsgpack(full({ name: 'ci', note: 'n', id: UNKNOWN, secret: UNKNOWN, created_at: UNKNOWN, region: UNKNOWN }), stateType) };
    return { type_name: TYPE, prior_state: dv(null), planned_state: planned, config };
  };

  test('a successful create returns the vendor values for unknowns and keeps planned values', async () => {
    const { server, vendor } = makeServer();
    const response = await server.applyResourceChange(createRequest());
    const state = decode(response.new_state as { msgpack: Uint8Array })!;
    // password is write-only: never stored even though create returned a value for it
    expect(state).toEqual(full({ id: 'fk_1', name: 'ci', note: 'n', region: 'eu', secret: 'secret-of-fk_1', created_at: 1_700_000_000, password: null }));
    expect(diagnosticsOf(response)).toEqual([]);
    expect(vendor.calls).toEqual(['create']);
  });

  test('write-only values are never stored, even when the planned state carries one', async () => {
    const { server } = makeServer();
    const request = createRequest();
    request.planned_state = { msgpack: encodeMsgpack(full({ name: 'ci', note: 'n', password: 'pw-in-plan', id: UNKNOWN, secret: UNKNOWN, created_at: UNKNOWN, region: UNKNOWN }), stateType) };
    request.config = dv({ name: 'ci', note: 'n', password: 'pw-in-plan' });
    const state = decode((await server.applyResourceChange(request)).new_state as { msgpack: Uint8Array })!;
    expect(state.id).toBe('fk_1');
    expect(state.password).toBeNull();
  });

  test('a create that throws IncompleteApplyError returns new_state with the secret plus an error diagnostic', async () => {
    const { server, vendor } = makeServer();
    vendor.createError = new IncompleteApplyError(
      full({ id: 'fk_9', name: 'ci', secret: 'sk-the-one-time-secret', created_at: 1_700_000_001, region: 'eu' }),
      new VendorServerError('FakeVendor', 'tag key', 500, { message: 'tagging failed' }, undefined, 'Run again later.'),
    );
    const response = await server.applyResourceChange(createRequest());
    const state = decode(response.new_state as { msgpack: Uint8Array })!;
    expect(state).not.toBeNull();
    expect(state.id).toBe('fk_9');
    expect(state.secret).toBe('sk-the-one-time-secret');
    expect(state.name).toBe('ci');
    expect(state.note).toBe('n'); // planned values win
    const diagnostics = diagnosticsOf(response);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe(1);
    expect(diagnostics[0].summary).toBe('Created fake key "ci", but could not finish');
    expect(diagnostics[0].detail).toContain('tagging failed');
    expect(diagnostics[0].detail).toContain('Terraform marks it tainted');
    expect(diagnostics[0].detail).toContain('Run again later.');
  });

  test('a create that throws a plain error returns a null new_state (c0) and an error diagnostic', async () => {
    const { server, vendor } = makeServer();
    vendor.createError = new Error('boom');
    const response = await server.applyResourceChange(createRequest());
    expect(Buffer.from((response.new_state as { msgpack: Uint8Array }).msgpack).toString('hex')).toBe('c0');
    const diagnostics = diagnosticsOf(response);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe(1);
    expect(diagnostics[0].summary).toBe('Could not create fake key "ci"');
    expect(diagnostics[0].detail).toContain('unexpected provider error: boom');
    expect(diagnostics[0].detail).toContain('This is a bug in the apikeys provider');
  });

  test('a successful delete returns a null new_state', async () => {
    const { server, vendor } = makeServer();
    vendor.keys.set('fk_7', priorState);
    const response = await server.applyResourceChange({ type_name: TYPE, prior_state: dv(priorState), planned_state: dv(null), config: dv(null) });
    expect(Buffer.from((response.new_state as { msgpack: Uint8Array }).msgpack).toString('hex')).toBe('c0');
    expect(vendor.keys.has('fk_7')).toBe(false);
    expect(diagnosticsOf(response)).toEqual([]);
  });

  test('a delete failure returns the prior state and an error diagnostic', async () => {
    const { server, vendor } = makeServer();
    vendor.deleteError = new VendorServerError('FakeVendor', 'delete key', 503, { message: 'maintenance' });
    const response = await server.applyResourceChange({ type_name: TYPE, prior_state: dv(priorState), planned_state: dv(null), config: dv(null) });
    expect(decode(response.new_state as { msgpack: Uint8Array })).toEqual(priorState);
    const diagnostics = diagnosticsOf(response);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].summary).toBe('Could not delete fake key "ci"');
    expect(diagnostics[0].detail).toContain('FakeVendor rejected "delete key" with HTTP 503: maintenance');
    expect(diagnostics[0].detail).toContain('The resource stays in state');
  });

  test('an update failure keeps the prior state', async () => {
    const { server, vendor } = makeServer();
    vendor.updateError = new Error('nope');
    const planned = dv({ ...priorState, note: 'new' });
    const response = await server.applyResourceChange({ type_name: TYPE, prior_state: dv(priorState), planned_state: planned, config: planned });
    expect(decode(response.new_state as { msgpack: Uint8Array })).toEqual(priorState);
    expect(diagnosticsOf(response)[0].summary).toBe('Could not update fake key "ci"');
  });

  test('a successful update stores the planned values', async () => {
    const { server, vendor } = makeServer();
    const planned = dv({ ...priorState, note: 'new' });
    const response = await server.applyResourceChange({ type_name: TYPE, prior_state: dv(priorState), planned_state: planned, config: planned });
    expect(decode(response.new_state as { msgpack: Uint8Array })).toEqual({ ...priorState, note: 'new' });
    expect(vendor.calls).toEqual(['update']);
  });

  test('apply before configure is a "Provider not configured" diagnostic', async () => {
    const definition: ProviderDefinition<FakeVendor> = {
      typeName: 'fake', schema: { version: 0, description: '', attributes: {} }, configure: () => ({ keys: new Map(), nextId: 1, calls: [] }),
      resources: [fakeResource()], dataSources: [],
    };
    const response = await new ProviderServer(definition).applyResourceChange(createRequest());
    expect(diagnosticsOf(response).map((diagnostic) => diagnostic.summary)).toEqual(['Provider not configured']);
  });
});

describe('ProviderServer.validateResourceConfig', () => {
  test('runs attribute validators and points the diagnostic at the attribute', () => {
    const { server } = makeServer();
    const response = server.validateResourceConfig({ type_name: TYPE, config: dv({ name: '   ' }) });
    const diagnostics = diagnosticsOf(response);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toEqual({
      severity: 1,
      summary: 'Invalid name',
      detail: 'must not be empty or only white space.',
      attribute: { steps: [{ attribute_name: 'name' }] },
    });
  });

  test('a valid config has no diagnostics', () => {
    const { server } = makeServer();
    expect(diagnosticsOf(server.validateResourceConfig({ type_name: TYPE, config: dv({ name: 'ci' }) }))).toEqual([]);
  });

  test('unknown values are not validated', () => {
    const { server } = makeServer();
    const config = { msgpack: encodeMsgpack(full({ name: UNKNOWN }), stateType) };
    expect(diagnosticsOf(server.validateResourceConfig({ type_name: TYPE, config }))).toEqual([]);
  });
});

describe('redaction of diagnostics', () => {
  test('a secret-looking string in an error message is redacted from the diagnostic detail', async () => {
    const { server, vendor } = makeServer();
    vendor.createError = new Error('vendor said: key sk-admin-abcdefghijklmnop is invalid');
    const config = dv({ name: 'ci' });
    const response = await server.applyResourceChange({ type_name: TYPE, prior_state: dv(null), planned_state: config, config });
    const [diagnostic] = diagnosticsOf(response);
    expect(diagnostic.detail).not.toContain('sk-admin-abcdefghijklmnop');
    expect(diagnostic.detail).not.toContain('abcdefghijklmnop');
    expect(diagnostic.detail).toContain('vendor said: key [redacted] is invalid');
  });
});

describe('other lifecycle calls', () => {
  test('readResource returns null state when the vendor no longer has the key', async () => {
    const { server } = makeServer();
    const response = await server.readResource({ type_name: TYPE, current_state: dv(priorState) });
    expect(Buffer.from((response.new_state as { msgpack: Uint8Array }).msgpack).toString('hex')).toBe('c0');
  });

  test('importResourceState fills every attribute, null except the id', () => {
    const { server } = makeServer();
    const response = server.importResourceState({ type_name: TYPE, id: 'fk_3' });
    const [imported] = response.imported_resources as { type_name: string; state: { msgpack: Uint8Array } }[];
    expect(imported.type_name).toBe(TYPE);
    expect(decode(imported.state)).toEqual(full({ id: 'fk_3' }));
  });

  test('upgradeResourceState drops removed attributes and adds new ones as null', () => {
    const { server } = makeServer();
    const json = Buffer.from(JSON.stringify({ id: 'fk_1', name: 'ci', legacy: true }));
    const response = server.upgradeResourceState({ type_name: TYPE, version: 0, raw_state: { json } });
    expect(decode(response.upgraded_state as { msgpack: Uint8Array })).toEqual(full({ id: 'fk_1', name: 'ci' }));
  });

  test('toProtoPath maps names and indexes to steps', () => {
    expect(toProtoPath(['scopes', 2])).toEqual({ steps: [{ attribute_name: 'scopes' }, { element_key_int: 2 }] });
  });
});
