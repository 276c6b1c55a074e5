/**
 * What a vendor credential looks like, written once: the redactor scrubs
 * these from text, the manifest loader refuses them (a manifest lives in
 * git), and validators never repeat a value that matches.
 *
 * The patterns are each vendor's facts (src/facts/<vendor>.ts).
 */
// Loaded on first use, not at import: the facts' rules (src/rules) quote values through this module,
// so an import here would make a cycle in which the rules are still undefined while the facts load.
let sources: readonly string[] | undefined;
const secretPatternSources = (): readonly string[] =>
  (sources ??= (require('../facts') as typeof import('../facts')).VENDOR_FACTS.flatMap((facts) => facts.secretPatterns)); // eslint-disable-line @typescript-eslint/no-require-imports

/** Fresh global patterns, for replacing every occurrence. */
export function secretPatterns(): RegExp[] {
  return secretPatternSources().map((source) => new RegExp(source, 'g'));
}

let anySecret: RegExp | undefined;

export function looksLikeSecret(text: string): boolean {
  return (anySecret ??= new RegExp(secretPatternSources().join('|'))).test(text);
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
