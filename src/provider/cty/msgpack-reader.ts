/**
 * Reads msgpack one item at a time, so that the cty decoder (codec.ts) can
 * build values straight from the bytes, guided by the schema type, instead
 * of decoding everything generically and copying it into shape afterwards.
 */

/** What the next item is, as far as cty cares. Binary data and extensions other than unknowns are `other`. */
export type ItemKind = 'nil' | 'bool' | 'number' | 'string' | 'array' | 'map' | 'unknown' | 'other';

/** Extension types cty uses for unknown values: 0, and 12 (an unknown with refinements, which are dropped). */
const UNKNOWN_EXTENSIONS = new Set([0, 12]);

export class MsgpackFormatError extends Error {}

export class MsgpackReader {
  private position = 0;
  private readonly view: DataView;
  private readonly bytes: Buffer;

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  private need(count: number): void {
    if (this.position + count > this.bytes.length) throw new MsgpackFormatError('msgpack value truncated');
  }

  private uint(size: 1 | 2 | 4): number {
    this.need(size);
    const value = size === 1 ? this.view.getUint8(this.position) : size === 2 ? this.view.getUint16(this.position) : this.view.getUint32(this.position);
    this.position += size;
    return value;
  }

  /** The next item's kind, without consuming it. */
  peek(): ItemKind {
    this.need(1);
    const kind = KINDS[this.bytes[this.position]];
    if (kind !== 'extension') return kind;
    return UNKNOWN_EXTENSIONS.has(this.extensionType()) ? 'unknown' : 'other';
  }

  /** The type byte of the extension at the current position. */
  private extensionType(): number {
    const format = this.bytes[this.position];
    const offset = format >= 0xd4 ? 1 : format === 0xc7 ? 2 : format === 0xc8 ? 3 : 5;
    if (this.position + offset >= this.bytes.length) throw new MsgpackFormatError('msgpack value truncated');
    return this.view.getInt8(this.position + offset);
  }

  bool(): boolean {
    return this.bytes[this.position++] === 0xc3;
  }

  number(): number {
    const format = this.bytes[this.position++];
    if (format <= 0x7f) return format;
    if (format >= 0xe0) return format - 0x100;
    const size = NUMBER_SIZES[format - 0xca];
    this.need(size);
    const at = this.position;
    this.position += size;
    switch (format) {
      case 0xca: return this.view.getFloat32(at);
      case 0xcb: return this.view.getFloat64(at);
      case 0xcc: return this.view.getUint8(at);
      case 0xcd: return this.view.getUint16(at);
      case 0xce: return this.view.getUint32(at);
      case 0xcf: return Number(this.view.getBigUint64(at));
      case 0xd0: return this.view.getInt8(at);
      case 0xd1: return this.view.getInt16(at);
      case 0xd2: return this.view.getInt32(at);
      default: return Number(this.view.getBigInt64(at));
    }
  }

  string(): string {
    const format = this.bytes[this.position++];
    const length = format <= 0xbf ? format & 0x1f : this.uint(format === 0xd9 ? 1 : format === 0xda ? 2 : 4);
    this.need(length);
    const start = this.position;
    this.position += length;
    return this.bytes.toString('utf8', start, start + length);
  }

  /**
   * Whether the next item is the short ASCII string `expected` (an attribute
   * name, which Terraform sends in the order the schema sorts them); it is
   * then consumed. Comparing bytes costs less than decoding a string.
   */
  skipString(expected: string): boolean {
    const length = expected.length;
    if (length >= 32 || this.bytes[this.position] !== (0xa0 | length) || this.position + 1 + length > this.bytes.length) return false;
    for (let index = 0; index < length; index++) {
      if (this.bytes[this.position + 1 + index] !== expected.charCodeAt(index)) return false;
    }
    this.position += 1 + length;
    return true;
  }

  arrayHeader(): number {
    const format = this.bytes[this.position++];
    return format <= 0x9f ? format & 0x0f : this.uint(format === 0xdc ? 2 : 4);
  }

  mapHeader(): number {
    const format = this.bytes[this.position++];
    return format <= 0x8f ? format & 0x0f : this.uint(format === 0xde ? 2 : 4);
  }

  /** After the format byte of binary data or an extension (and its length, which this reads): the bytes to pass over. */
  private payloadLength(format: number): number {
    if (format >= 0xc4 && format <= 0xc6) return this.uint(format === 0xc4 ? 1 : format === 0xc5 ? 2 : 4); // bin: data
    if (format >= 0xd4 && format <= 0xd8) return 1 + (1 << (format - 0xd4)); // fixext: type, data
    if (format >= 0xc7 && format <= 0xc9) return 1 + this.uint(format === 0xc7 ? 1 : format === 0xc8 ? 2 : 4); // ext: type, data
    throw new MsgpackFormatError(`unsupported msgpack format 0x${format.toString(16)}`);
  }

  /** Passes over the next item, whatever it is (an attribute the schema does not have). */
  skip(): void {
    this.need(1);
    const format = this.bytes[this.position];
    switch (this.peek()) {
      case 'nil':
      case 'bool':
        this.position++;
        return;
      case 'number':
        this.number();
        return;
      case 'string':
        this.string();
        return;
      case 'array':
        for (let count = this.arrayHeader(); count > 0; count--) this.skip();
        return;
      case 'map':
        for (let count = this.mapHeader() * 2; count > 0; count--) this.skip();
        return;
      default:
        this.position++;
        const payload = this.payloadLength(format); // reads a length first: the position moves before the addition
        this.position += payload;
        if (this.position > this.bytes.length) throw new MsgpackFormatError('msgpack value truncated');
    }
  }
}

/** The kind of item each format byte starts; extensions are looked at further. */
const KINDS: (ItemKind | 'extension')[] = Array.from({ length: 256 }, (_, format) => {
  if (format <= 0x7f || format >= 0xe0 || (format >= 0xca && format <= 0xd3)) return 'number';
  if (format <= 0x8f || format === 0xde || format === 0xdf) return 'map';
  if (format <= 0x9f || format === 0xdc || format === 0xdd) return 'array';
  if (format <= 0xbf || (format >= 0xd9 && format <= 0xdb)) return 'string';
  if (format === 0xc0) return 'nil';
  if (format === 0xc2 || format === 0xc3) return 'bool';
  if ((format >= 0xc7 && format <= 0xc9) || (format >= 0xd4 && format <= 0xd8)) return 'extension';
  return 'other';
});

/** Bytes after the format byte of float 32, float 64, uint 8..64, int 8..64 (formats 0xca..0xd3). */
const NUMBER_SIZES = [4, 8, 1, 2, 4, 8, 1, 2, 4, 8];
