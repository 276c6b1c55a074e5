import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import { CtyCodecError, conform, decodeJson, decodeMsgpack, encodeMsgpack } from '../../../src/provider/cty/codec';
import { describeType, listOf, mapOf, objectOf, setOf, typeToJsonBytes, type CtyType } from '../../../src/provider/cty/types';
import { UNKNOWN, containsUnknown, isUnknown, valuesEqual, type CtyValue } from '../../../src/provider/cty/value';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Plain msgpack decoding (no cty), with ext types kept as ExtData so the raw wire shape can be checked. */
const rawDecode = (bytes: Uint8Array): unknown => new Decoder().decode(bytes);

const schema: CtyType = objectOf({
  name: 'string',
  count: 'number',
  enabled: 'bool',
  tags: listOf('string'),
  scopes: setOf('string'),
  labels: mapOf('string'),
});

describe('cty msgpack codec', () => {
  test('round-trips an object with string, number, bool, list, set and map attributes', () => {
    const value = {
      name: 'ci',
      count: 42,
      enabled: true,
      tags: ['a', 'b'],
      scopes: ['read', 'write'],
      labels: { team: 'infra', env: 'prod' },
    };
    const bytes = encodeMsgpack(value, schema);
    expect(decodeMsgpack(bytes, schema)).toEqual(value);
  });

  test('round-trips floats and negative numbers', () => {
    const type = objectOf({ a: 'number', b: 'number' });
    expect(decodeMsgpack(encodeMsgpack({ a: 1.5, b: -7 }, type), type)).toEqual({ a: 1.5, b: -7 });
  });

  test('absent attributes become null, and every attribute key is present in the encoded map', () => {
    const bytes = encodeMsgpack({ name: 'only-name' }, schema);
    const raw = rawDecode(bytes) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(['count', 'enabled', 'labels', 'name', 'scopes', 'tags']);
    expect(raw).toEqual({ name: 'only-name', count: null, enabled: null, tags: null, scopes: null, labels: null });
    expect(decodeMsgpack(bytes, schema)).toEqual({
      name: 'only-name', count: null, enabled: null, tags: null, scopes: null, labels: null,
    });
  });

  test('null encodes to msgpack nil (c0) and empty bytes decode to null', () => {
    expect(hex(encodeMsgpack(null, schema))).toBe('c0');
    expect(decodeMsgpack(new Uint8Array(), schema)).toBeNull();
    expect(decodeMsgpack(Uint8Array.from([0xc0]), schema)).toBeNull();
  });

  test('unknown encodes to exactly d4 00 00 on its own', () => {
    expect(hex(encodeMsgpack(UNKNOWN, 'string'))).toBe('d40000');
    expect(hex(encodeMsgpack(UNKNOWN, schema))).toBe('d40000');
  });

  test('unknown encodes to d4 00 00 inside an object', () => {
    const type = objectOf({ id: 'string' });
    // fixmap(1) "id" -> fixext1 type 0 data 0
    expect(hex(encodeMsgpack({ id: UNKNOWN }, type))).toBe('81' + 'a26964' + 'd40000');
    const decoded = decodeMsgpack(encodeMsgpack({ id: UNKNOWN }, type), type) as Record<string, CtyValue>;
    expect(isUnknown(decoded.id)).toBe(true);
  });

  test('decodes extension type 0 as UNKNOWN', () => {
    expect(decodeMsgpack(Uint8Array.from([0xd4, 0x00, 0x00]), 'string')).toBe(UNKNOWN);
  });

  test('decodes extension type 12 (refined unknown) from raw bytes as UNKNOWN', () => {
    expect(decodeMsgpack(Uint8Array.from([0xd4, 0x0c, 0x00]), 'string')).toBe(UNKNOWN);
    expect(decodeMsgpack(Uint8Array.from([0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3]), 'string')).toBe(UNKNOWN);
  });

  test('decodes extension type 12 built with @msgpack/msgpack inside an object as UNKNOWN', () => {
    class Refined { constructor(readonly data: Uint8Array) {} }
    const codec = new ExtensionCodec();
    codec.register({ type: 12, encode: (input: unknown) => (input instanceof Refined ? input.data : null), decode: () => null });
    const bytes = new Encoder({ extensionCodec: codec }).encode({ id: new Refined(Uint8Array.from([0x81, 0x01, 0xc3])), name: 'x' });
    expect(bytes).toContain(0x0c);
    const decoded = decodeMsgpack(bytes, objectOf({ id: 'string', name: 'string' })) as Record<string, CtyValue>;
    expect(decoded.id).toBe(UNKNOWN);
    expect(decoded.name).toBe('x');
  });

  test('a number sent as a decimal string (cty big-number form) decodes to a JS number', () => {
    const type = objectOf({ n: 'number' });
    const bytes = new Encoder().encode({ n: '12345678901234567890' });
    const decoded = decodeMsgpack(bytes, type) as Record<string, CtyValue>;
    expect(typeof decoded.n).toBe('number');
    expect(decoded.n).toBe(Number('12345678901234567890'));
    expect(decodeMsgpack(new Encoder().encode('2.5'), 'number')).toBe(2.5);
  });

  test('a blank string is not accepted as a number', () => {
    expect(() => decodeMsgpack(new Encoder().encode(' '), 'number')).toThrow(CtyCodecError);
  });

  test('a wrong type throws CtyCodecError naming the path', () => {
    const type = objectOf({ outer: objectOf({ flag: 'bool' }) });
    const bytes = new Encoder().encode({ outer: { flag: 'yes' } });
    let caught: unknown;
    try {
      decodeMsgpack(bytes, type);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CtyCodecError);
    const error = caught as CtyCodecError;
    expect(error.path).toEqual(['outer', 'flag']);
    expect(error.message).toBe('expected bool, got string at outer.flag');
    expect(error.code).toBe('APIKEYS_ERR_CTY_CODEC');
  });

  test('a wrong element type in a list names the index in the path', () => {
    const type = objectOf({ tags: listOf('string') });
    expect(() => decodeMsgpack(new Encoder().encode({ tags: ['a', 7] }), type)).toThrow('expected string, got number at tags.1');
  });

  test('a non-array where a set is expected throws', () => {
    expect(() => conform('x', setOf('string'), ['scopes'])).toThrow('expected set of string at scopes');
  });

  test('encodeMsgpack rejects an attribute that is not in the type (strict mode)', () => {
    const type = objectOf({ name: 'string' });
    expect(() => encodeMsgpack({ name: 'a', extra: 'b' }, type)).toThrow(CtyCodecError);
    expect(() => encodeMsgpack({ name: 'a', extra: 'b' }, type)).toThrow('attribute "extra" is not in the schema');
  });

  test('decodeMsgpack drops extra keys (non-strict on the way in)', () => {
    const type = objectOf({ name: 'string' });
    expect(decodeMsgpack(new Encoder().encode({ name: 'a', extra: 'b' }), type)).toEqual({ name: 'a' });
  });

  test('decodeJson drops keys a newer schema removed and fills new ones with null (state upgrade)', () => {
    const type = objectOf({ id: 'string', name: 'string', added: 'number' });
    const bytes = Buffer.from(JSON.stringify({ id: 'key_1', name: 'ci', removed_attribute: 'old' }));
    expect(decodeJson(bytes, type)).toEqual({ id: 'key_1', name: 'ci', added: null });
    expect(decodeJson(new Uint8Array(), type)).toBeNull();
  });
});

describe('cty values', () => {
  test('valuesEqual compares structurally', () => {
    expect(valuesEqual({ a: [1, 2], b: { c: 'x' } }, { a: [1, 2], b: { c: 'x' } })).toBe(true);
    expect(valuesEqual({ a: [1, 2] }, { a: [1, 3] })).toBe(false);
    expect(valuesEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(valuesEqual({ a: 1, c: 2 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual(null, {})).toBe(false);
    expect(valuesEqual('1', 1)).toBe(false);
    expect(valuesEqual([], {})).toBe(false);
  });

  test('valuesEqual is order-sensitive for lists and order-insensitive for sets when unordered=true', () => {
    expect(valuesEqual(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(valuesEqual(['a', 'b'], ['b', 'a'], true)).toBe(true);
    expect(valuesEqual(['a', 'b'], ['b', 'c'], true)).toBe(false);
    expect(valuesEqual(['a'], ['a', 'b'], true)).toBe(false);
  });

  test('valuesEqual: an unknown never equals a known value', () => {
    expect(valuesEqual(UNKNOWN, 'x')).toBe(false);
    expect(valuesEqual('x', UNKNOWN)).toBe(false);
    expect(valuesEqual(UNKNOWN, null)).toBe(false);
    expect(valuesEqual(UNKNOWN, {})).toBe(false);
    expect(valuesEqual({}, UNKNOWN)).toBe(false);
    expect(valuesEqual(UNKNOWN, [])).toBe(false);
    expect(valuesEqual({ id: UNKNOWN }, { id: 'key_1' })).toBe(false);
    expect(valuesEqual([UNKNOWN], ['a'], true)).toBe(false);
    expect(valuesEqual(UNKNOWN, UNKNOWN)).toBe(false); // two unknowns may turn out different
  });

  test('containsUnknown looks inside lists and objects', () => {
    expect(containsUnknown(UNKNOWN)).toBe(true);
    expect(containsUnknown({ a: { b: [1, UNKNOWN] } })).toBe(true);
    expect(containsUnknown({ a: { b: [1, 2] }, c: null })).toBe(false);
    expect(containsUnknown('x')).toBe(false);
    expect(containsUnknown(null)).toBe(false);
  });

  test('UNKNOWN serialises to JSON as a readable marker', () => {
    expect(JSON.stringify({ id: UNKNOWN })).toBe('{"id":"(known after apply)"}');
  });
});

describe('cty types', () => {
  test('typeToJsonBytes produces Terraform type JSON', () => {
    expect(typeToJsonBytes('string').toString('utf8')).toBe('"string"');
    expect(typeToJsonBytes(setOf('string')).toString('utf8')).toBe('["set","string"]');
    expect(typeToJsonBytes(listOf(mapOf('number'))).toString('utf8')).toBe('["list",["map","number"]]');
    expect(JSON.parse(typeToJsonBytes(objectOf({ name: 'string', ok: 'bool' })).toString('utf8'))).toEqual(['object', { name: 'string', ok: 'bool' }]);
  });

  test('describeType reads naturally', () => {
    expect(describeType('bool')).toBe('bool');
    expect(describeType(setOf(listOf('string')))).toBe('set of list of string');
    expect(describeType(objectOf({}))).toBe('object');
  });
});
