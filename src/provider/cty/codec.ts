import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import { describeType, type CtyType } from './types';
import { UNKNOWN, UnknownValue, isUnknown, type CtyObject, type CtyValue } from './value';

/**
 * cty's msgpack wire format, driven by the schema type:
 * - an object carries every attribute of its type, nil where absent;
 * - unknown is extension type 0 (Go writes d4 00 00). Terraform also sends
 *   type 12, an unknown with refinements (not-null, a string prefix...);
 *   both decode to UNKNOWN and refinements are dropped, which is allowed;
 * - numbers travel as msgpack ints or floats, or as decimal strings when
 *   they do not fit either;
 * - sets travel as arrays.
 */
const UNKNOWN_EXTENSION = 0;
const REFINED_UNKNOWN_EXTENSION = 12;

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: UNKNOWN_EXTENSION,
  encode: (input: unknown) => (input instanceof UnknownValue ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
extensionCodec.register({ type: REFINED_UNKNOWN_EXTENSION, encode: () => null, decode: () => UNKNOWN });

const encoder = new Encoder({ extensionCodec, ignoreUndefined: false });
const decoder = new Decoder({ extensionCodec, useBigInt64: false });

export class CtyCodecError extends Error {
  readonly code = 'APIKEYS_ERR_CTY_CODEC';
  constructor(message: string, readonly path: (string | number)[]) {
    super(path.length ? `${message} at ${path.join('.')}` : message);
    this.name = 'CtyCodecError';
  }
}

/**
 * Checks and normalises a value against its type. `strict` rejects object
 * attributes the type does not have: on the way out, an unknown key is a
 * provider bug that Terraform would reject anyway, so it is caught here with
 * its path. On the way in (old states), extra keys are dropped.
 */
export function conform(value: unknown, type: CtyType, path: (string | number)[] = [], strict = false): CtyValue {
  if (value === null || value === undefined) return null;
  if (isUnknown(value)) return UNKNOWN;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value === 'string') return value;
        break;
      case 'bool':
        if (typeof value === 'boolean') return value;
        break;
      case 'number':
        if (typeof value === 'number') return value;
        if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
        break;
    }
    throw new CtyCodecError(`expected ${type}, got ${typeof value}`, path);
  }
  const [kind, inner] = type;
  if (kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new CtyCodecError('expected object', path);
    const source = value as Record<string, unknown>;
    if (strict) {
      const extra = Object.keys(source).find((name) => !(name in inner));
      if (extra !== undefined) throw new CtyCodecError(`attribute "${extra}" is not in the schema`, path);
    }
    const result: CtyObject = {};
    for (const name of Object.keys(inner).sort()) {
      result[name] = conform(source[name], inner[name], [...path, name], strict);
    }
    return result;
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new CtyCodecError(`expected ${describeType(type)}`, path);
    const result: CtyObject = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      result[key] = conform(item, inner, [...path, key], strict);
    }
    return result;
  }
  if (!Array.isArray(value)) throw new CtyCodecError(`expected ${describeType(type)}`, path);
  return value.map((item, index) => conform(item, inner, [...path, index], strict));
}

export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  return encoder.encode(conform(value, type, [], true));
}

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  if (bytes.length === 0) return null;
  return conform(decoder.decode(bytes), type);
}

/** Terraform's JSON state encoding (UpgradeResourceState raw_state.json). */
export function decodeJson(bytes: Uint8Array, type: CtyType): CtyValue {
  if (bytes.length === 0) return null;
  return conform(JSON.parse(Buffer.from(bytes).toString('utf8')), type);
}
