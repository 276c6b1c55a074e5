import { randomBytes } from 'node:crypto';
import { EDGE_IMPULSE } from '../../core/facts/edgeimpulse';

/** Edge Impulse's rule for a caller-chosen key value (AddApiKeyRequest.apiKey), from the facts. */
const { customKeyPrefix: CUSTOM_KEY_PREFIX, customKeyMinLength: CUSTOM_KEY_MIN_LENGTH } = EDGE_IMPULSE.limits;

/** What is wrong with a caller-chosen key, without repeating any of it; undefined when Edge Impulse would accept it. */
export function customKeyProblem(value: string): string | undefined {
  const problems: string[] = [];
  if (!value.startsWith(CUSTOM_KEY_PREFIX)) problems.push(`start with "${CUSTOM_KEY_PREFIX}"`);
  if (value.length < CUSTOM_KEY_MIN_LENGTH) problems.push(`be at least ${CUSTOM_KEY_MIN_LENGTH} characters long (it has ${value.length})`);
  return problems.length ? `Edge Impulse requires a caller-supplied key to ${problems.join(' and ')}.` : undefined;
}

/** A key value the provider chooses before sending, so that a lost answer does not lose it: `ei_` and 64 hexadecimal digits. */
export function generateCustomKey(): string {
  return `${CUSTOM_KEY_PREFIX}${randomBytes(32).toString('hex')}`;
}

/** Characters the listing uses to hide the middle of a key. */
const MASK = /(?:\*+|…+|\.{3,}|•+)/;
/**
 * Below this many visible characters (besides the prefix), a match could be
 * chance: not proof. Four random hexadecimal digits leave 1 in 65,536, and
 * a candidate must also be new, have the same name and appear within the
 * settle window.
 */
const MIN_VISIBLE_CHARACTERS = 4;

/**
 * Whether the partial key Edge Impulse lists proves to be `secret`: its
 * visible pieces are the secret's start and end, in order, and together
 * show enough of it that a chance match is out of the question. The exact
 * mask format is undocumented, so anything else is "not proven".
 */
export function partialKeyMatches(listed: string | undefined, secret: string): boolean {
  if (typeof listed !== 'string' || listed === '') return false;
  if (listed === secret) return true;
  const pieces = listed.split(MASK);
  if (pieces.length < 2) return false;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!secret.startsWith(first) || !secret.endsWith(last) || first.length + last.length > secret.length) return false;
  const visible = pieces.join('').length - (first.startsWith(CUSTOM_KEY_PREFIX) ? CUSTOM_KEY_PREFIX.length : 0);
  return visible >= MIN_VISIBLE_CHARACTERS;
}
