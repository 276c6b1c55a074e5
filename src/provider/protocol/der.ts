/**
 * A minimal ASN.1 DER writer: just the types an X.509 v3 certificate needs.
 *
 * Hand-written because the only job is one self-signed certificate per
 * provider start, and the X.509 libraries on npm cost more to load (about
 * 65 ms for @peculiar/x509) than the whole handshake budget allows. Terraform
 * starts the provider three or four times per command, so this is on the
 * critical path of every plan.
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (content: Buffer): Buffer => tlv(0x04, content);
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 keeps it positive). */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** BIT STRING with `unusedBits` padding bits in the last byte. */
export const bitString = (content: Buffer, unusedBits = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));

function base128(value: number): number[] {
  const bytes: number[] = [value & 0x7f];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

/** OBJECT IDENTIFIER: the first two arcs share one subidentifier (X.690 8.19), every subidentifier base-128. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const subidentifiers = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  return tlv(0x06, Buffer.from(subidentifiers.flatMap(base128)));
}

/** UTCTime (YYMMDDHHMMSSZ), valid for the years 1950 to 2049. */
export function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-22T07:39:25.830Z
  const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

/** [n] EXPLICIT wrapper (constructed, context-specific). */
export const explicit = (tagNumber: number, content: Buffer): Buffer => tlv(0xa0 | tagNumber, content);

/** [n] IMPLICIT primitive (context-specific), as used by GeneralName. */
export const implicitPrimitive = (tagNumber: number, content: Buffer): Buffer => tlv(0x80 | tagNumber, content);
