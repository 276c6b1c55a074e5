import { chmodSync, mkdirSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * Terraform state, its backups and saved plans hold every secret the
 * pipeline creates. Files that Terraform (or we) create while this umask is
 * in force are 0600 and directories 0700; children inherit the umask.
 */
export const PRIVATE_UMASK = 0o077;

export function usePrivateUmask(): void {
  // process.umask() cannot be changed from a worker thread; the main thread's setting applies there.
  if (isMainThread) process.umask(PRIVATE_UMASK);
}

/** Creates `path` (and missing parents) as 0700, and tightens it if it already exists with looser bits. */
export function ensurePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}
