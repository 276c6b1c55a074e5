/**
 * The cty codec writes and reads msgpack itself, in one pass with the type.
 * These tests hold it to a general-purpose msgpack library (@msgpack/msgpack,
 * which the provider used before) on many generated values: the same bytes
 * out, the same values in, in every size class of every format.
 */
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import { CtyCodecError, conform, decodeMsgpack, encodeMsgpack } from '../../../src/provider/cty/codec';
import { listOf, mapOf, objectOf, setOf, type CtyType } from '../../../src/provider/cty/types';
import { UNKNOWN, UnknownValue, type CtyValue } from '../../../src/provider/cty/value';

const extensionCodec = new ExtensionCodec();
extensionCodec.register({ type: 0, encode: (input: unknown) => (input instanceof UnknownValue ? new Uint8Array([0]) : null), decode: () => UNKNOWN });
const reference = new Encoder({ extensionCodec, ignoreUndefined: false });
const referenceDecoder = new Decoder({ extensionCodec, useBigInt64: false });

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1, 0.5, -1.25, 1e300, 2 ** 60];
const CHARACTERS = ['a', 'Z', '0', '_', ' ', '-', 'é', 'ß', '✓', '😀', '\u0000', '"'];

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const text = (): string => {
    const length = pick([0, 1, 5, 31, 32, 40, 255, 256, 300]);
    const ascii = next() < 0.6;
    return Array.from({ length }, () => (ascii ? 'x' : pick(CHARACTERS))).join('');
  };
  const type = (depth: number): CtyType => {
    const roll = next();
    if (depth > 1 || roll < 0.45) return pick(['string', 'number', 'bool'] as const);
    if (roll < 0.6) return listOf(type(depth + 1));
    if (roll < 0.7) return setOf(type(depth + 1));
    if (roll < 0.8) return mapOf(type(depth + 1));
    return objectOf(Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 18) }, (_, index) => [`attribute_${index}_${pick(['a', 'b'])}`, type(depth + 1)])));
  };
  const value = (of: CtyType, depth = 0): CtyValue => {
    const roll = next();
    if (roll < 0.08) return null;
    if (roll < 0.12) return UNKNOWN;
    if (typeof of === 'string') return of === 'string' ? text() : of === 'number' ? pick(NUMBERS) : next() < 0.5;
    const [kind, inner] = of;
    const count = depth === 0 ? pick([0, 1, 3, 15, 16, 17]) : pick([0, 1, 2]);
    if (kind === 'object') return Object.fromEntries(Object.entries(inner).map(([name, attribute]) => [name, value(attribute, depth + 1)]));
    if (kind === 'map') return Object.fromEntries(Array.from({ length: count }, (_, index) => [`key ${index} ${Array.from(text()).slice(0, 8).join('')}`, value(inner, depth + 1)]));
    return Array.from({ length: count }, () => value(inner, depth + 1));
  };
  return { type, value };
}

describe('the cty codec against a general msgpack library', () => {
  test('writes the same bytes and reads back the same values, for 600 generated values of generated types', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const { type, value } = generator(seed);
      const ofType = type(0);
      const original = value(ofType);
      const expected = reference.encode(conform(original, ofType, [], true));
      const written = encodeMsgpack(original, ofType);
      if (Buffer.compare(Buffer.from(written), Buffer.from(expected)) !== 0) throw new Error(`seed ${seed}: the bytes differ`);
      const read = decodeMsgpack(expected, ofType);
      expect({ seed, read }).toEqual({ seed, read: conform(referenceDecoder.decode(expected), ofType) });
    }
  });

  test('strings of every length class: fixstr, str 8, str 16 and str 32', () => {
    for (const length of [31, 32, 255, 256, 65_535, 65_536, 70_000]) {
      for (const text of ['x'.repeat(length), 'é'.repeat(Math.ceil(length / 2))]) {
        const written = encodeMsgpack(text, 'string');
        expect(Buffer.compare(Buffer.from(written), Buffer.from(reference.encode(text)))).toBe(0);
        expect(decodeMsgpack(written, 'string')).toBe(text);
      }
    }
  });

  test('numbers sent as floats 32, or as unsigned 64 beyond 2^53, are read as JS numbers', () => {
    expect(decodeMsgpack(Uint8Array.from([0xca, 0x3f, 0xc0, 0x00, 0x00]), 'number')).toBe(1.5);
    expect(decodeMsgpack(Uint8Array.from([0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'number')).toBe(2 ** 64);
  });

  test('truncated or malformed input is a CtyCodecError, never a crash or a wrong value', () => {
    const type = objectOf({ name: 'string', tags: listOf('string') });
    const bytes = encodeMsgpack({ name: 'ci', tags: ['a', 'b'] }, type);
    for (let length = 1; length < bytes.length; length++) {
      expect(() => decodeMsgpack(bytes.subarray(0, length), type)).toThrow(CtyCodecError);
    }
    expect(() => decodeMsgpack(Uint8Array.from([...bytes, 0xc0]), type)).toThrow('extra bytes after the msgpack value');
    expect(() => decodeMsgpack(Uint8Array.from([0xc1]), 'string')).toThrow('expected string, got object');
    expect(() => decodeMsgpack(Uint8Array.from([0x81, 0x01, 0xa1, 0x78]), type)).toThrow('expected a string key');
  });

  test('binary data and foreign extensions in place of a value are refused; as unknown attributes they are passed over', () => {
    const type = objectOf({ name: 'string' });
    expect(() => decodeMsgpack(Uint8Array.from([0xc4, 0x01, 0x00]), type)).toThrow('expected object');
    expect(() => decodeMsgpack(Uint8Array.from([0xd4, 0x05, 0x00]), 'string')).toThrow('expected string, got object');
    const extra = reference.encode({ name: 'ci', blob: Uint8Array.from([1, 2, 3]), nested: { deep: [1, { a: null }] } });
    expect(decodeMsgpack(extra, type)).toEqual({ name: 'ci' });
  });
});
