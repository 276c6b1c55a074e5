/**
 * The msgpack formats cty values need, written into one growing buffer
 * (https://github.com/msgpack/msgpack/blob/master/spec.md). Integers take the
 * smallest format that holds them and other numbers float 64, as Go's cty does.
 */
export class MsgpackWriter {
  private buffer = Buffer.allocUnsafe(512);
  private length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** A format byte followed by a big-endian unsigned length or value of `size` bytes. */
  private head(format: number, value: number, size: 1 | 2 | 4): void {
    this.reserve(1 + size);
    this.buffer[this.length++] = format;
    this.buffer.writeUIntBE(value, this.length, size);
    this.length += size;
  }

  nil(): void {
    this.byte(0xc0);
  }

  bool(value: boolean): void {
    this.byte(value ? 0xc3 : 0xc2);
  }

  /** cty's unknown value: extension type 0 with one zero byte (Go writes d4 00 00). */
  unknown(): void {
    this.reserve(3);
    this.buffer[this.length++] = 0xd4;
    this.buffer[this.length++] = 0;
    this.buffer[this.length++] = 0;
  }

  number(value: number): void {
    if (!Number.isSafeInteger(value)) {
      this.reserve(9);
      this.buffer[this.length++] = 0xcb;
      this.length = this.buffer.writeDoubleBE(value, this.length);
    } else if (value >= 0) {
      if (value < 0x80) this.byte(value);
      else if (value < 0x100) this.head(0xcc, value, 1);
      else if (value < 0x10000) this.head(0xcd, value, 2);
      else if (value < 0x100000000) this.head(0xce, value, 4);
      else this.int64(0xcf, value);
    } else if (value >= -0x20) {
      this.byte(value & 0xff);
    } else if (value >= -0x80) {
      this.reserve(2);
      this.buffer[this.length++] = 0xd0;
      this.length = this.buffer.writeInt8(value, this.length);
    } else if (value >= -0x8000) {
      this.reserve(3);
      this.buffer[this.length++] = 0xd1;
      this.length = this.buffer.writeInt16BE(value, this.length);
    } else if (value >= -0x80000000) {
      this.reserve(5);
      this.buffer[this.length++] = 0xd2;
      this.length = this.buffer.writeInt32BE(value, this.length);
    } else {
      this.int64(0xd3, value);
    }
  }

  private int64(format: number, value: number): void {
    this.reserve(9);
    this.buffer[this.length++] = format;
    this.length = format === 0xcf ? this.buffer.writeBigUInt64BE(BigInt(value), this.length) : this.buffer.writeBigInt64BE(BigInt(value), this.length);
  }

  string(text: string): void {
    // Most strings are short and ASCII: written byte by byte, without a native call.
    if (text.length < 32) {
      this.reserve(1 + text.length);
      const start = this.length;
      this.buffer[this.length++] = 0xa0 | text.length;
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code >= 0x80) {
          this.length = start;
          return this.utf8(text);
        }
        this.buffer[this.length++] = code;
      }
      return;
    }
    this.utf8(text);
  }

  private utf8(text: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes < 32) this.byte(0xa0 | bytes);
    else if (bytes < 0x100) this.head(0xd9, bytes, 1);
    else if (bytes < 0x10000) this.head(0xda, bytes, 2);
    else this.head(0xdb, bytes, 4);
    this.reserve(bytes);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  arrayHeader(count: number): void {
    if (count < 16) this.byte(0x90 | count);
    else if (count < 0x10000) this.head(0xdc, count, 2);
    else this.head(0xdd, count, 4);
  }

  mapHeader(count: number): void {
    if (count < 16) this.byte(0x80 | count);
    else if (count < 0x10000) this.head(0xde, count, 2);
    else this.head(0xdf, count, 4);
  }

  /** The bytes written (the writer is done with them). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
