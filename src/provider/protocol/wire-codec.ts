/**
 * Protocol Buffers encoding for the plugin protocol's messages, driven by the
 * wire layout generated from our .proto files (*.generated.ts).
 *
 * Hand-written instead of protobufjs because the provider starts three or
 * four times per Terraform command: protobufjs/light cost about 12 ms of each
 * start (bundled, measured), and this codec, limited to what the protocol's
 * messages use, costs well under 1 ms. Decoded messages look like
 * protobufjs's `toObject` output, which the provider used before: absent
 * fields are absent, bytes are Buffers, 64-bit integers are numbers.
 */
export type ScalarKind = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'enum';

export type FieldDescriptor =
  | { no: number; name: string; kind: ScalarKind; repeated?: boolean; oneof?: boolean }
  | { no: number; name: string; kind: 'message'; type: string; repeated?: boolean; oneof?: boolean }
  | { no: number; name: string; kind: 'map'; key: string; value: ScalarKind | 'message'; type?: string };

export type MessageDescriptors = Record<string, FieldDescriptor[]>;

/** A unary service: its qualified name and each method's request and response message names. */
export interface ServiceDescriptor<Methods> {
  name: string;
  messages: MessageDescriptors;
  methods: { [Method in keyof Methods]: { request: string; response: string } };
}

export class WireFormatError extends Error {
  readonly code = 'APIKEYS_ERR_PROTOCOL_WIRE';
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

const wireType = (kind: ScalarKind | 'message' | 'map'): number =>
  (kind === 'string' || kind === 'bytes' || kind === 'message' || kind === 'map' ? WIRE_LENGTH : WIRE_VARINT);

const varintSize = (value: number): number => {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
};

class Writer {
  private buffer: Buffer;
  private length: number;

  /** `headroom`: bytes left free at the start, for a prefix the caller writes (gRPC's message frame). */
  constructor(headroom = 0) {
    this.buffer = Buffer.allocUnsafe(Math.max(256, headroom * 2));
    this.length = headroom;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  varint(value: number): void {
    this.reserve(10);
    if (value < 0 || !Number.isSafeInteger(value)) {
      // Negative (two's complement, 10 bytes) or beyond 2^53: exact through BigInt.
      let big = BigInt.asUintN(64, BigInt(Math.trunc(value)));
      while (big > 0x7fn) {
        this.buffer[this.length++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buffer[this.length++] = Number(big);
      return;
    }
    while (value > 0x7f) {
      this.buffer[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.length++] = value;
  }

  bytes(content: Uint8Array): void {
    this.varint(content.length);
    this.reserve(content.length);
    this.buffer.set(content, this.length);
    this.length += content.length;
  }

  string(text: string): void {
    const size = Buffer.byteLength(text, 'utf8');
    this.varint(size);
    this.reserve(size);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /**
   * Starts a length-delimited field written in place: one byte is kept for
   * the length, and endDelimited moves the content up in the rare case it
   * needs more. (Encoding nested messages apart and copying them cost an
   * allocation each.) Returns where the content starts.
   */
  beginDelimited(): number {
    this.reserve(1);
    return ++this.length;
  }

  endDelimited(start: number): void {
    const size = this.length - start;
    const extra = varintSize(size) - 1;
    if (extra > 0) {
      this.reserve(extra);
      this.buffer.copyWithin(start + extra, start, this.length);
      this.length += extra;
    }
    let at = start - 1;
    let value = size;
    while (value > 0x7f) {
      this.buffer[at++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[at] = value;
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function isDefault(kind: ScalarKind, value: unknown): boolean {
  if (kind === 'string') return value === '';
  if (kind === 'bool') return value === false;
  if (kind === 'bytes') return (value as Uint8Array).length === 0;
  return value === 0;
}

function writeScalar(writer: Writer, kind: ScalarKind, value: unknown, typeName: string, fieldName: string): void {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw new WireFormatError(`${typeName}.${fieldName}: expected a string`);
      return writer.string(value);
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw new WireFormatError(`${typeName}.${fieldName}: expected bytes (a Uint8Array)`);
      return writer.bytes(value);
    case 'bool':
      if (typeof value !== 'boolean') throw new WireFormatError(`${typeName}.${fieldName}: expected a boolean`);
      return writer.varint(value ? 1 : 0);
    default:
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new WireFormatError(`${typeName}.${fieldName}: expected an integer`);
      return writer.varint(value);
  }
}

export class WireCodec {
  private readonly byNumber = new Map<string, Map<number, FieldDescriptor>>();

  constructor(private readonly messages: MessageDescriptors) {}

  /** `headroom`: bytes left free at the start of the result, for a prefix the caller writes. */
  encode(typeName: string, value: object, headroom = 0): Buffer {
    const writer = new Writer(headroom);
    this.writeMessage(writer, typeName, value as Record<string, unknown>);
    return writer.finish();
  }

  decode(typeName: string, bytes: Buffer): Record<string, unknown> {
    return this.readMessage(typeName, bytes, 0, bytes.length);
  }

  private fields(typeName: string): FieldDescriptor[] {
    const fields = this.messages[typeName];
    if (!fields) throw new WireFormatError(`unknown message ${typeName}`);
    return fields;
  }

  private fieldsByNumber(typeName: string): Map<number, FieldDescriptor> {
    let fields = this.byNumber.get(typeName);
    if (!fields) {
      fields = new Map(this.fields(typeName).map((field) => [field.no, field]));
      this.byNumber.set(typeName, fields);
    }
    return fields;
  }

  private writeMessage(writer: Writer, typeName: string, value: Record<string, unknown>): void {
    for (const field of this.fields(typeName)) {
      const fieldValue = value[field.name];
      if (fieldValue === undefined || fieldValue === null) continue;
      if (field.kind === 'map') {
        for (const [key, entry] of Object.entries(fieldValue as Record<string, unknown>)) {
          if (entry === undefined || entry === null) continue;
          writer.varint((field.no << 3) | WIRE_LENGTH);
          const entryStart = writer.beginDelimited();
          writer.varint((1 << 3) | WIRE_LENGTH);
          writer.string(key);
          writer.varint((2 << 3) | wireType(field.value));
          if (field.value === 'message') this.writeNested(writer, field.type!, entry);
          else writeScalar(writer, field.value, entry, typeName, field.name);
          writer.endDelimited(entryStart);
        }
      } else if (!field.repeated) {
        this.writeField(writer, typeName, field, fieldValue);
      } else {
        if (!Array.isArray(fieldValue)) throw new WireFormatError(`${typeName}.${field.name}: expected an array`);
        for (const item of fieldValue) this.writeField(writer, typeName, field, item);
      }
    }
  }

  /** One value of a scalar or message field (one element of a repeated one). */
  private writeField(writer: Writer, typeName: string, field: Exclude<FieldDescriptor, { kind: 'map' }>, item: unknown): void {
    if (field.kind === 'message') {
      writer.varint((field.no << 3) | WIRE_LENGTH);
      this.writeNested(writer, field.type, item);
    } else if (field.repeated || field.oneof || !isDefault(field.kind, item)) {
      // proto3 leaves default scalars out, except in a oneof, where presence is the value.
      writer.varint((field.no << 3) | wireType(field.kind));
      writeScalar(writer, field.kind, item, typeName, field.name);
    }
  }

  private writeNested(writer: Writer, typeName: string, value: unknown): void {
    const start = writer.beginDelimited();
    this.writeMessage(writer, typeName, value as Record<string, unknown>);
    writer.endDelimited(start);
  }

  private readMessage(typeName: string, bytes: Buffer, start: number, end: number): Record<string, unknown> {
    const fields = this.fieldsByNumber(typeName);
    const reader = new Reader(bytes, start, end, typeName);
    const message: Record<string, unknown> = {};
    while (reader.position < end) {
      const tag = reader.varint();
      const number = Math.floor(tag / 8);
      const wire = tag & 7;
      const field = fields.get(number);
      if (!field) {
        reader.skip(wire);
        continue;
      }
      const expected = wireType(field.kind);
      if (wire !== expected) throw new WireFormatError(`${typeName}.${field.name}: wire type ${wire}, expected ${expected}`);
      if (field.kind === 'map') {
        const [entryStart, entryEnd] = reader.lengthDelimited();
        const [key, value] = this.readMapEntry(field, bytes, entryStart, entryEnd, `${typeName}.${field.name}`);
        const map = (message[field.name] ??= {}) as Record<string, unknown>;
        map[key] = value;
        continue;
      }
      let value: unknown;
      if (field.kind === 'message') {
        const [nestedStart, nestedEnd] = reader.lengthDelimited();
        value = this.readMessage(field.type, bytes, nestedStart, nestedEnd);
      } else {
        value = reader.scalar(field.kind);
      }
      if (field.repeated) ((message[field.name] ??= []) as unknown[]).push(value);
      else message[field.name] = value;
    }
    return message;
  }

  private readMapEntry(field: Extract<FieldDescriptor, { kind: 'map' }>, bytes: Buffer, start: number, end: number, where: string): [string, unknown] {
    const reader = new Reader(bytes, start, end, where);
    let key = '';
    let value: unknown = field.value === 'message' ? {} : undefined;
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === ((1 << 3) | WIRE_LENGTH)) key = reader.scalar('string') as string;
      else if (tag === ((2 << 3) | wireType(field.value))) {
        if (field.value === 'message') {
          const [nestedStart, nestedEnd] = reader.lengthDelimited();
          value = this.readMessage(field.type!, bytes, nestedStart, nestedEnd);
        } else value = reader.scalar(field.value);
      } else reader.skip(tag & 7);
    }
    return [key, value ?? defaultScalar(field.value as ScalarKind)];
  }
}

function defaultScalar(kind: ScalarKind): unknown {
  if (kind === 'string') return '';
  if (kind === 'bool') return false;
  if (kind === 'bytes') return Buffer.alloc(0);
  return 0;
}

class Reader {
  constructor(private readonly bytes: Buffer, public position: number, private readonly end: number, private readonly where: string) {}

  private truncated(): never {
    throw new WireFormatError(`${this.where}: message truncated`);
  }

  varint(): number {
    let value = 0;
    let multiplier = 1;
    const start = this.position;
    for (;;) {
      if (this.position >= this.end) this.truncated();
      const byte = this.bytes[this.position++];
      if (this.position - start > 10) throw new WireFormatError(`${this.where}: varint longer than 10 bytes`);
      value += (byte & 0x7f) * multiplier;
      multiplier *= 0x80;
      if (byte < 0x80) break;
    }
    if (value <= Number.MAX_SAFE_INTEGER) return value;
    // Beyond 2^53, or a negative number in two's complement: exact through BigInt.
    let big = 0n;
    for (let index = this.position - 1; index >= start; index--) big = (big << 7n) | BigInt(this.bytes[index] & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }

  lengthDelimited(): [number, number] {
    const length = this.varint();
    const start = this.position;
    if (start + length > this.end) this.truncated();
    this.position += length;
    return [start, start + length];
  }

  scalar(kind: ScalarKind): unknown {
    switch (kind) {
      case 'string': {
        const [start, end] = this.lengthDelimited();
        return this.bytes.toString('utf8', start, end);
      }
      case 'bytes': {
        const [start, end] = this.lengthDelimited();
        return this.bytes.subarray(start, end);
      }
      case 'bool':
        return this.varint() !== 0;
      case 'int32':
      case 'enum':
        return this.varint() | 0;
      case 'uint32':
        return this.varint() >>> 0;
      case 'uint64': {
        const value = this.varint();
        return value < 0 ? Number(BigInt.asUintN(64, BigInt(value))) : value;
      }
      default:
        return this.varint();
    }
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_LENGTH) this.lengthDelimited();
    else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      this.position += wire === WIRE_FIXED64 ? 8 : 4;
      if (this.position > this.end) this.truncated();
    } else throw new WireFormatError(`${this.where}: unsupported wire type ${wire}`);
  }
}
