import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** The largest manifest we read: far beyond any real one (thousands of keys), small enough to parse at once. */
export const MANIFEST_MAX_BYTES = 1024 * 1024;

/** Why a manifest could not be read, with the line when the problem is in its bytes. */
export class ManifestReadProblem {
  constructor(readonly message: string, readonly line?: number, readonly column?: number) {}
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device (such as /dev/zero)';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const notRegular = (stats: Stats): ManifestReadProblem =>
  new ManifestReadProblem(`is ${kindOf(stats)}; a manifest must be a regular file (symbolic links to one are fine). Nothing was read.`);

/**
 * Reads a manifest's bytes safely: only a regular file (checked with fstat on
 * the opened descriptor, so a swapped path cannot slip a device in), at most
 * MANIFEST_MAX_BYTES. Opening never blocks: O_NONBLOCK keeps a FIFO without
 * a writer from hanging the open.
 */
export function readManifestBytes(path: string): Buffer | ManifestReadProblem {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    try {
      const stats = statSync(path);
      if (!stats.isFile()) return notRegular(stats);
    } catch {
      // Fall through to the open error, which says why.
    }
    return new ManifestReadProblem(`cannot read the manifest: ${code}${code === 'ENOENT' ? ' (no such file)' : ''}`);
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return notRegular(stats);
    if (stats.size > MANIFEST_MAX_BYTES) {
      return new ManifestReadProblem(`is ${stats.size} bytes; a manifest may be at most ${MANIFEST_MAX_BYTES} bytes (1 MiB). Split it, or check that this is the right file.`);
    }
    // Read at most one byte past the cap, in case the file grew after fstat.
    const buffer = Buffer.alloc(MANIFEST_MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MANIFEST_MAX_BYTES) {
        return new ManifestReadProblem(`is larger than ${MANIFEST_MAX_BYTES} bytes (1 MiB), the most a manifest may be.`);
      }
    }
    return buffer.subarray(0, length);
  } catch (error) {
    return new ManifestReadProblem(`cannot read the manifest: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  } finally {
    closeSync(descriptor);
  }
}

const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The manifest's text: UTF-8 only. A UTF-8 byte order mark is allowed (YAML
 * allows it, and editors on Windows write it) and dropped; UTF-16, NUL bytes
 * (binary files) and invalid UTF-8 are refused with the line they occur on.
 */
export function decodeManifest(bytes: Buffer): string | ManifestReadProblem {
  if (UTF16_BOMS.some((bom) => bytes.subarray(0, 2).equals(bom))) {
    return new ManifestReadProblem('is UTF-16 encoded; save the manifest as UTF-8', 1, 1);
  }
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lineStart = 0;
  for (let line = 1; lineStart <= body.length; line++) {
    const newline = body.indexOf(0x0a, lineStart);
    const end = newline === -1 ? body.length : newline;
    const lineBytes = body.subarray(lineStart, end);
    const nul = lineBytes.indexOf(0);
    if (nul !== -1) return new ManifestReadProblem('contains a NUL byte: this looks like a binary file, not a YAML manifest', line, nul + 1);
    try {
      decoder.decode(lineBytes);
    } catch {
      return new ManifestReadProblem('is not valid UTF-8; save the manifest as UTF-8', line, 1);
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return body.toString('utf8');
}
