/**
 * gRPC over HTTP/2, the parts above the HTTP/2 stream: length-prefixed
 * messages, status codes and the percent-encoded grpc-message trailer
 * (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md).
 */

/** The status codes this server answers with (google.golang.org/grpc/codes). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

/** A call's failure as the client sees it: a status code and a message. */
export class GrpcError extends Error {
  readonly code = 'APIKEYS_ERR_PROTOCOL_GRPC';
  constructor(readonly status: GrpcStatusCode, message: string) {
    super(message);
  }
}

/** Compressed flag (1 byte) + big-endian length (4 bytes). */
export const PREFIX_BYTES = 5;

/** Fills in the prefix of a frame whose message follows PREFIX_BYTES free bytes (WireCodec.encode's headroom). */
export function writeFramePrefix(frame: Buffer): Buffer {
  frame[0] = 0;
  frame.writeUInt32BE(frame.length - PREFIX_BYTES, 1);
  return frame;
}

/** One message as a gRPC length-prefixed frame, uncompressed. */
export function frameMessage(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + body.length);
  body.copy(frame, PREFIX_BYTES);
  return writeFramePrefix(frame);
}

/**
 * Collects the length-prefixed messages of one request stream, however the
 * HTTP/2 DATA frames split them. A message longer than `maxMessageBytes` is
 * refused from its prefix, before its bytes are buffered.
 */
export class MessageReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  readonly messages: Buffer[] = [];

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds received bytes; throws GrpcError when a message is too large or compressed. */
  push(chunk: Buffer): void {
    // Usually a request arrives as one chunk holding one whole message.
    if (this.buffered === 0 && chunk.length >= PREFIX_BYTES && chunk[0] === 0 && chunk.readUInt32BE(1) === chunk.length - PREFIX_BYTES &&
      chunk.length - PREFIX_BYTES <= this.maxMessageBytes) {
      this.messages.push(chunk.subarray(PREFIX_BYTES));
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= PREFIX_BYTES) {
      const prefix = this.peek(PREFIX_BYTES);
      if (prefix[0] !== 0) {
        // We never advertise grpc-accept-encoding, so a client may not compress.
        throw new GrpcError(GrpcStatus.UNIMPLEMENTED, 'compressed messages are not supported');
      }
      const length = prefix.readUInt32BE(1);
      if (length > this.maxMessageBytes) {
        throw new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, `received message larger than max (${length} vs. ${this.maxMessageBytes})`);
      }
      if (this.buffered < PREFIX_BYTES + length) return;
      this.messages.push(this.take(PREFIX_BYTES + length).subarray(PREFIX_BYTES));
    }
  }

  /** Bytes of a message whose frame has not been completed. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0].length < bytes) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks));
    return this.chunks[0];
  }

  private take(bytes: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const taken = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.chunks.splice(0, this.chunks.length, ...(rest.length ? [rest] : []));
    this.buffered = rest.length;
    return taken;
  }
}

/** grpc-message is percent-encoded: everything outside printable ASCII, and '%' itself. */
export function encodeGrpcMessage(message: string): string {
  let encoded = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    encoded += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
