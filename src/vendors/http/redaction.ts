/**
 * Scrubs secrets out of text that may reach a diagnostic or a log.
 *
 * Two layers: the exact values this process knows to be secret (credentials,
 * and every one-time secret it has received), and patterns for the key
 * formats of the four vendors, so that a vendor echoing a key it was sent
 * (OpenAI echoes masked keys in 401 messages, for instance) cannot leak one
 * we have never seen.
 */
const knownSecrets = new Set<string>();

// Real keys are long; requiring 20+ characters keeps hints such as "sk-admin-..." readable.
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{20,}/g, // OpenAI admin, project and service-account keys
  /\bei_[A-Za-z0-9_-]{20,}/g, // Edge Impulse keys
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // Atlas private keys (UUIDs)
  /\bmdb_sa_sk_[A-Za-z0-9_-]{20,}/g, // Atlas service-account client secrets
];

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
