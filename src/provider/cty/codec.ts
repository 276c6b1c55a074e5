import { describeType, type CtyType } from './types';
import { MsgpackFormatError, MsgpackReader, type ItemKind } from './msgpack-reader';
import { MsgpackWriter } from './msgpack-writer';
import { UNKNOWN, isUnknown, type CtyObject, type CtyValue } from './value';

/**
 * cty's msgpack wire format, driven by the schema type:
 * - an object carries every attribute of its type, nil where absent;
 * - unknown is extension type 0 (Go writes d4 00 00). Terraform also sends
 *   type 12, an unknown with refinements (not-null, a string prefix...);
 *   both decode to UNKNOWN and refinements are dropped, which is allowed;
 * - numbers travel as msgpack ints or floats, or as decimal strings when
 *   they do not fit either;
 * - sets travel as arrays.
 * Values are checked against the type while they are written or read, in
 * one pass: Terraform sends about eight values per resource instance and plan.
 */
export class CtyCodecError extends Error {
  readonly code = 'APIKEYS_ERR_CTY_CODEC';
  constructor(message: string, readonly path: (string | number)[]) {
    super(path.length ? `${message} at ${path.join('.')}` : message);
    this.name = 'CtyCodecError';
  }
}

/**
 * A value that does not match its type. The path is collected while the
 * error unwinds (innermost step first), so a value that matches costs no
 * path bookkeeping at all.
 */
class Mismatch extends Error {
  readonly reversedPath: (string | number)[] = [];
}

/** An error from inside the element at `key`: a mismatch learns its place. (Inline try/catch, not a callback: no closure per element.) */
function located(error: unknown, key: string | number): unknown {
  if (error instanceof Mismatch) error.reversedPath.push(key);
  return error;
}

/** Turns a mismatch into the public error, below `path`. */
function reported<T>(path: (string | number)[], run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Mismatch) throw new CtyCodecError(error.message, [...path, ...error.reversedPath.reverse()]);
    if (error instanceof MsgpackFormatError) throw new CtyCodecError(error.message, path);
    throw error;
  }
}

/** An object type's attribute names, in the order cty writes them. */
const attributeNames = (attributes: Readonly<Record<string, CtyType>>): string[] => Object.keys(attributes).sort();

/**
 * Checks and normalises a value against its type. `strict` rejects object
 * attributes the type does not have: on the way out, an unknown key is a
 * provider bug that Terraform would reject anyway, so it is caught here with
 * its path. On the way in (old states), extra keys are dropped.
 */
export function conform(value: unknown, type: CtyType, path: (string | number)[] = [], strict = false): CtyValue {
  return reported(path, () => conformValue(value, type, strict));
}

function conformPrimitive(value: unknown, type: 'string' | 'number' | 'bool'): CtyValue {
  if (type === 'string' ? typeof value === 'string' : type === 'bool' ? typeof value === 'boolean' : typeof value === 'number') return value as CtyValue;
  if (type === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new Mismatch(`expected ${type}, got ${typeof value}`);
}

function conformValue(value: unknown, type: CtyType, strict: boolean): CtyValue {
  if (value === null || value === undefined) return null;
  if (isUnknown(value)) return UNKNOWN;
  if (typeof type === 'string') return conformPrimitive(value, type);
  const [kind, inner] = type;
  if (kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch('expected object');
    const source = value as Record<string, unknown>;
    if (strict) {
      for (const name in source) if (!(name in inner)) throw new Mismatch(`attribute "${name}" is not in the schema`);
    }
    const result: CtyObject = {};
    for (const name of attributeNames(inner)) {
      try {
        result[name] = conformValue(source[name], inner[name], strict);
      } catch (error) {
        throw located(error, name);
      }
    }
    return result;
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch(`expected ${describeType(type)}`);
    const result: CtyObject = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      try {
        result[key] = conformValue(item, inner, strict);
      } catch (error) {
        throw located(error, key);
      }
    }
    return result;
  }
  if (!Array.isArray(value)) throw new Mismatch(`expected ${describeType(type)}`);
  const items: CtyValue[] = [];
  for (let index = 0; index < value.length; index++) {
    try {
      items.push(conformValue(value[index], inner, strict));
    } catch (error) {
      throw located(error, index);
    }
  }
  return items;
}

export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  const writer = new MsgpackWriter();
  reported([], () => write(writer, value, type));
  return writer.finish();
}

/** Writes a value of `type`, checking it as conform(…, strict) does; numeric strings are written as numbers. */
function write(writer: MsgpackWriter, value: unknown, type: CtyType): void {
  if (value === null || value === undefined) return writer.nil();
  if (isUnknown(value)) return writer.unknown();
  if (typeof type === 'string') {
    const known = conformPrimitive(value, type);
    if (type === 'string') writer.string(known as string);
    else if (type === 'number') writer.number(known as number);
    else writer.bool(known as boolean);
    return;
  }
  const [kind, inner] = type;
  if (kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch('expected object');
    const source = value as Record<string, unknown>;
    for (const name in source) if (!(name in inner)) throw new Mismatch(`attribute "${name}" is not in the schema`);
    const names = attributeNames(inner);
    writer.mapHeader(names.length);
    for (const name of names) {
      writer.string(name);
      try {
        write(writer, source[name], inner[name]);
      } catch (error) {
        throw located(error, name);
      }
    }
    return;
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch(`expected ${describeType(type)}`);
    const entries = Object.entries(value as Record<string, unknown>);
    writer.mapHeader(entries.length);
    for (const [key, item] of entries) {
      writer.string(key);
      try {
        write(writer, item, inner);
      } catch (error) {
        throw located(error, key);
      }
    }
    return;
  }
  if (!Array.isArray(value)) throw new Mismatch(`expected ${describeType(type)}`);
  writer.arrayHeader(value.length);
  for (let index = 0; index < value.length; index++) {
    try {
      write(writer, value[index], inner);
    } catch (error) {
      throw located(error, index);
    }
  }
}

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  if (bytes.length === 0) return null;
  const reader = new MsgpackReader(bytes);
  return reported([], () => {
    const value = read(reader, type);
    if (!reader.done) throw new MsgpackFormatError('extra bytes after the msgpack value');
    return value;
  });
}

/** What `typeof` said of the generic decoder's value for each kind, so that messages stay as they were. */
const JS_TYPE_OF: Record<ItemKind, string> = { nil: 'object', bool: 'boolean', number: 'number', string: 'string', array: 'object', map: 'object', unknown: 'object', other: 'object' };

/** Reads a value of `type` (extra object attributes are dropped, missing ones are null). */
function read(reader: MsgpackReader, type: CtyType): CtyValue {
  const kind = reader.peek();
  if (kind === 'nil') {
    reader.skip();
    return null;
  }
  if (kind === 'unknown') {
    reader.skip();
    return UNKNOWN;
  }
  if (typeof type === 'string') {
    if (type === 'string' && kind === 'string') return reader.string();
    if (type === 'bool' && kind === 'bool') return reader.bool();
    if (type === 'number' && kind === 'number') return reader.number();
    if (type === 'number' && kind === 'string') return conformPrimitive(reader.string(), 'number');
    throw new Mismatch(`expected ${type}, got ${JS_TYPE_OF[kind]}`);
  }
  const [container, inner] = type;
  if (container === 'object') {
    if (kind !== 'map') throw new Mismatch('expected object');
    const result: CtyObject = {};
    const names = attributeNames(inner);
    for (const name of names) result[name] = null;
    for (let count = reader.mapHeader(), index = 0; count > 0; count--, index++) {
      const name = index < names.length && reader.skipString(names[index]) ? names[index] : readKey(reader);
      if (!Object.prototype.hasOwnProperty.call(inner, name)) {
        reader.skip();
        continue;
      }
      try {
        result[name] = read(reader, inner[name]);
      } catch (error) {
        throw located(error, name);
      }
    }
    return result;
  }
  if (container === 'map') {
    if (kind !== 'map') throw new Mismatch(`expected ${describeType(type)}`);
    const result: CtyObject = {};
    for (let count = reader.mapHeader(); count > 0; count--) {
      const key = readKey(reader);
      try {
        result[key] = read(reader, inner);
      } catch (error) {
        throw located(error, key);
      }
    }
    return result;
  }
  if (kind !== 'array') throw new Mismatch(`expected ${describeType(type)}`);
  const items: CtyValue[] = [];
  for (let index = 0, count = reader.arrayHeader(); index < count; index++) {
    try {
      items.push(read(reader, inner));
    } catch (error) {
      throw located(error, index);
    }
  }
  return items;
}

function readKey(reader: MsgpackReader): string {
  if (reader.peek() !== 'string') throw new Mismatch('expected a string key');
  return reader.string();
}

/** Terraform's JSON state encoding (UpgradeResourceState raw_state.json). */
export function decodeJson(bytes: Uint8Array, type: CtyType): CtyValue {
  if (bytes.length === 0) return null;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'); // a view, not a copy
  return conform(JSON.parse(text), type);
}
