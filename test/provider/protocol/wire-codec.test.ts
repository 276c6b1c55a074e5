/**
 * The provider's protobuf codec against protobufjs, an independent
 * implementation, on the protocol's own messages: each decodes what the
 * other encodes, to the same objects.
 */
import { WireCodec, WireFormatError } from '../../../src/provider/protocol/wire-codec';
import { MESSAGES, type GetProviderSchemaResponse, type PlanResourceChangeResponse } from '../../../src/provider/protocol/tfplugin6.generated';
import { loadProto } from './grpc-client';

const codec = new WireCodec(MESSAGES);
const root = loadProto('tfplugin6.proto');
const reference = (name: string) => root.lookupType(`tfplugin6.${name}`);
const theirs = (name: string, value: object): Buffer => Buffer.from(reference(name).encode(reference(name).fromObject(value)).finish());
const theirDecode = (name: string, bytes: Buffer, defaults = false) => reference(name).toObject(reference(name).decode(bytes), { longs: Number, defaults });

const schemaResponse: GetProviderSchemaResponse = {
  provider: { version: 0, block: { attributes: [{ name: 'key', type: Buffer.from('"string"'), sensitive: true, optional: true, description_kind: 1 }] } },
  resource_schemas: {
    apikeys_a: { version: 3, block: { description: 'ünïcode ✓', block_types: [{ type_name: 'conn', nesting: 4, block: { attributes: [] }, max_items: 2 ** 40 }] } },
    apikeys_b: { block: {} },
  },
  server_capabilities: { get_provider_schema_optional: true },
  diagnostics: [{ severity: 2, summary: 'careful', detail: '' }],
};

const planResponse: PlanResourceChangeResponse = {
  planned_state: { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0xd4, 0x00, 0x00]) },
  requires_replace: [{ steps: [{ attribute_name: 'name' }, { element_key_int: 0 }, { element_key_int: -1 }, { element_key_string: '' }] }],
  diagnostics: [{ severity: 1, summary: 'bad', attribute: { steps: [{ attribute_name: 'x' }] } }],
};

describe('WireCodec against protobufjs', () => {
  test.each([
    ['GetProviderSchema.Response', 'GetProviderSchemaResponse', schemaResponse],
    ['PlanResourceChange.Response', 'PlanResourceChangeResponse', planResponse],
    ['RawState', 'RawState', { json: Buffer.from('{}'), flatmap: { a: 'b', '': 'empty key' } }],
    // Nested messages whose length takes 2 and 3 bytes: the codec writes them in place and moves them up.
    ['PlanResourceChange.Response', 'PlanResourceChangeResponse', {
      planned_state: { msgpack: Buffer.alloc(20_000, 7) }, diagnostics: [{ severity: 1, summary: 'x'.repeat(200), detail: 'é'.repeat(70) }],
    }],
    ['UpgradeResourceState.Request', 'UpgradeResourceStateRequest', { type_name: 'apikeys_a', version: 7, raw_state: { json: Buffer.from('{"id":"x"}') } }],
  ])('%s: ours decodes theirs and theirs decodes ours', (theirName, ourName, value) => {
    expect(codec.decode(ourName, theirs(theirName, value))).toEqual(theirDecode(theirName, theirs(theirName, value)));
    // protobufjs writes explicit defaults (version 0) that proto3 lets us leave out: compare with defaults filled in.
    expect(theirDecode(theirName, codec.encode(ourName, value), true)).toEqual(theirDecode(theirName, theirs(theirName, value), true));
  });

  test('a oneof member equal to its default is still sent: element_key_int 0 is a list index', () => {
    const step = codec.decode('AttributePathStep', codec.encode('AttributePathStep', { element_key_int: 0 }));
    expect(step).toEqual({ element_key_int: 0 });
  });

  test('headroom leaves bytes free before the message, for the caller\'s prefix', () => {
    const plain = codec.encode('PlanResourceChangeResponse', planResponse);
    const withRoom = codec.encode('PlanResourceChangeResponse', planResponse, 5);
    expect(withRoom.subarray(5)).toEqual(plain);
  });

  test('proto3 defaults outside a oneof are left out, as protobufjs decodes them', () => {
    expect(codec.encode('SchemaAttribute', { name: '', required: false, type: Buffer.alloc(0) })).toHaveLength(0);
  });

  test('fields this provider does not know are skipped', () => {
    // ReadResource.Request's fields 3 to 5 (private, provider_meta, client_capabilities) are unknown to ValidateResourceConfig.Request.
    const bytes = theirs('ReadResource.Request', { type_name: 'x', private: Buffer.from('p'), client_capabilities: { deferral_allowed: true } });
    expect(codec.decode('ValidateResourceConfigRequest', bytes)).toEqual({ type_name: 'x' });
  });

  test('a truncated message and a wrong value type fail with the message and field named', () => {
    const bytes = codec.encode('ValidateResourceConfigRequest', { type_name: 'apikeys_a' });
    expect(() => codec.decode('ValidateResourceConfigRequest', bytes.subarray(0, bytes.length - 2))).toThrow(WireFormatError);
    expect(() => codec.decode('ValidateResourceConfigRequest', bytes.subarray(0, bytes.length - 2))).toThrow('ValidateResourceConfigRequest: message truncated');
    expect(() => codec.encode('DynamicValue', { msgpack: 'not bytes' })).toThrow('DynamicValue.msgpack: expected bytes');
  });
});
