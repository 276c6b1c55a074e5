/**
 * Scrubs secrets out of text that may reach a diagnostic or a log.
 *
 * Two layers: the exact values this process knows to be secret (credentials,
 * and every one-time secret it has received), and patterns for the key
 * formats of the four vendors, so that a vendor echoing a key it was sent
 * (OpenAI echoes masked keys in 401 messages, for instance) cannot leak one
 * we have never seen.
 */
import { secretPatterns } from '../../security/secret-patterns';

const knownSecrets = new Set<string>();

// The key formats of the four vendors, shared with the manifest loader and the validators.
const SECRET_PATTERNS: RegExp[] = secretPatterns();

const REDACTED = '[redacted]';
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
