/**
 * Scrubs secrets out of text that may reach a diagnostic, a log or a
 * terminal: the last step before anything the provider or the CLI prints.
 *
 * Two layers: the exact values this process knows to be secret (the
 * credentials it sends, and every one-time secret it receives), and the
 * vendors' key formats (./secret-patterns.ts), so that a vendor echoing a key
 * it was sent cannot leak one this process has never seen. The known values
 * are kept for the life of the process on purpose: a secret received by one
 * resource's create must be scrubbed from any later message, whichever part
 * of the provider writes it.
 */
import { secretPatterns } from './secret-patterns';

const knownSecrets = new Set<string>();
const SECRET_PATTERNS: RegExp[] = secretPatterns();

export const REDACTED = '[redacted]';
const MIN_KNOWN_SECRET_LENGTH = 8;

export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= MIN_KNOWN_SECRET_LENGTH) knownSecrets.add(secret);
}

export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
  return result;
}
