import { AGE_IDENTITY_FORMATS, SECRET_FORMATS } from '../facts/secret-formats';

/**
 * What a vendor credential looks like, written once: the redactor scrubs
 * these from text, the manifest loader refuses them (a manifest lives in
 * git), and validators never repeat a value that matches. The patterns are
 * data (src/core/facts/secret-formats.ts), so the rules, which quote values
 * through this module, depend on no vendor's facts file.
 */
const SOURCES: readonly string[] = [...Object.values(SECRET_FORMATS).flat(), ...AGE_IDENTITY_FORMATS];
const ANY_SECRET = new RegExp(SOURCES.join('|'));

/** Fresh global patterns, for replacing every occurrence. */
export function secretPatterns(): RegExp[] {
  return SOURCES.map((source) => new RegExp(source, 'g'));
}

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
