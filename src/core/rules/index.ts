import { looksLikeSecret, quoteForMessage } from '../security/secret-patterns';

import type { Rule } from './rule';

export type { Rule };

/** The first problem the rules find, or undefined. */
export function firstProblem(rules: readonly Rule[], value: unknown): string | undefined {
  for (const rule of rules) {
    const problem = rule(value);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * C0 and C1 control characters (tab and newline included: no name spans
 * lines) and the bidirectional overrides that make text read differently
 * from what it is.
 */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const notBlank: Rule = (value) =>
  typeof value === 'string' && value.trim() === '' ? 'must not be empty or only white space.' : undefined;

export const maxLength = (limit: number): Rule => (value) =>
  typeof value === 'string' && value.length > limit ? `must be at most ${limit} characters (it has ${value.length}).` : undefined;

export const lengthBetween = (min: number, max: number): Rule => (value) =>
  typeof value === 'string' && (value.length < min || value.length > max)
    ? `must be ${min} to ${max} characters long (it has ${value.length}).`
    : undefined;

export const integerBetween = (min: number, max: number, unit = ''): Rule => (value) =>
  typeof value === 'number' && (!Number.isInteger(value) || value < min || value > max)
    ? `must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''} (got ${Number.isFinite(value) ? value : 'a number out of range'}).`
    : undefined;

/** A whole number of at least 1, e.g. an organization id: `what` says what it is. */
export const positiveWholeNumber = (what: string): Rule => (value) =>
  typeof value === 'number' && (!Number.isSafeInteger(value) || value < 1)
    ? `must be ${what}: a whole number, at least 1 (got ${Number.isFinite(value) ? value : 'a number out of range'}).`
    : undefined;

/** A string that matches `pattern`; `what` names the expected form, e.g. "an OpenAI project id such as proj_abc123". */
export const matches = (pattern: RegExp, what: string): Rule => (value) =>
  typeof value === 'string' && !pattern.test(value) ? `must be ${what} (got ${quoteForMessage(value)}).` : undefined;

/** A rule admitting only some strings; it keeps the list, so generated bindings can type the attribute as their union. */
export interface OneOfRule extends Rule {
  readonly allowed: readonly string[];
}

export const oneOf = (allowed: readonly string[]): OneOfRule => Object.assign((value: unknown) =>
  typeof value === 'string' && !allowed.includes(value)
    ? `must be one of ${allowed.map((item) => `"${item}"`).join(', ')} (got ${quoteForMessage(value)}).`
    : undefined, { allowed });

export const eachOneOf = (allowed: readonly string[]): Rule => (value) => {
  if (!Array.isArray(value)) return undefined;
  const bad = value.filter((item) => typeof item === 'string' && !allowed.includes(item));
  return bad.length ? `contains ${bad.map((item) => quoteForMessage(item)).join(', ')}; allowed values are ${allowed.join(', ')}.` : undefined;
};

export const notEmptyCollection: Rule = (value) =>
  Array.isArray(value) && value.length === 0 ? 'must contain at least one element.' : undefined;

/** Text a vendor shows to everyone with read access (names, descriptions): one printable line, never a credential. */
export const printableText: Rule = (value) => {
  if (typeof value !== 'string') return undefined;
  if (CONTROL_CHARACTER.test(value)) return 'contains a control character; it must be printable text on one line.';
  if (looksLikeSecret(value)) return 'looks like a credential; it is shown to everyone with read access.';
  return undefined;
};

/** The rules of a key's name as the vendor shows it: not blank, at most `max` characters, printable. */
export const keyNameRules = (max: number): readonly Rule[] => [notBlank, maxLength(max), printableText];

/** A named connection's label (`openai_connection "acme"`, a resource's `connection`): an identifier Terraform and the bindings can carry. */
export const CONNECTION_LABEL = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const connectionLabel: Rule = matches(CONNECTION_LABEL, 'a connection name: a letter or underscore, then up to 63 letters, digits, underscores or hyphens');

export { quoteForMessage };
export { ageRecipient, AGE_X25519_RECIPIENT, MAX_SECRET_RECIPIENTS, secretRecipients } from './recipients';
export { duration, durationAtLeast, formatDuration, overlapProblem, parseDuration, ROTATION_RULES, MIN_ROTATION_EVERY_MS, type RotationDurations } from './durations';
