/**
 * What a vendor credential looks like, written once: the redactor scrubs
 * these from text, the manifest loader refuses them (a manifest lives in
 * git), and validators never repeat a value that matches.
 *
 * Real keys are long; requiring 16+ characters after the prefix keeps hints such as
 * "sk-admin-..." readable.
 */
const SECRET_PATTERN_SOURCES = [
  String.raw`\bsk-[A-Za-z0-9_-]{16,}`, // OpenAI admin, project and service-account keys
  String.raw`\bei_[A-Za-z0-9_-]{16,}`, // Edge Impulse keys
  String.raw`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`, // Atlas private keys (UUIDs)
  String.raw`\bmdb_sa_sk_[A-Za-z0-9_-]{16,}`, // Atlas service-account client secrets
];

/** Fresh global patterns, for replacing every occurrence. */
export function secretPatterns(): RegExp[] {
  return SECRET_PATTERN_SOURCES.map((source) => new RegExp(source, 'g'));
}

const ANY_SECRET = new RegExp(SECRET_PATTERN_SOURCES.join('|'));

export function looksLikeSecret(text: string): boolean {
  return ANY_SECRET.test(text);
}

/**
 * A value as an error message may quote it: strings in quotes, other values
 * as they print; never one that looks like a credential, never more than 60
 * characters of it.
 */
export function quoteForMessage(value: unknown): string {
  const text = String(value);
  if (looksLikeSecret(text)) return 'a value that looks like a credential (not repeated here)';
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return typeof value === 'string' ? JSON.stringify(shown) : shown;
}
