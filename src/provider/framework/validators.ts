import type { CtyValue } from '../cty/value';
import { quoteForMessage } from '../../security/secret-patterns';
import type { Validator } from './schema';

/**
 * Reusable attribute checks. Each message says what is wrong and what would
 * be right. None throws, whatever the value, and none repeats a value that
 * looks like a key, or more than a short prefix of any value (quoteForMessage).
 */

export const notBlank: Validator = (value) =>
  typeof value === 'string' && value.trim() === '' ? 'must not be empty or only white space.' : undefined;

export const maxLength = (limit: number): Validator => (value) =>
  typeof value === 'string' && value.length > limit ? `must be at most ${limit} characters (it has ${value.length}).` : undefined;

export const lengthBetween = (min: number, max: number): Validator => (value) =>
  typeof value === 'string' && (value.length < min || value.length > max)
    ? `must be ${min} to ${max} characters long (it has ${value.length}).`
    : undefined;

export const integerBetween = (min: number, max: number, unit = ''): Validator => (value) =>
  typeof value === 'number' && (!Number.isInteger(value) || value < min || value > max)
    ? `must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''} (got ${Number.isFinite(value) ? value : 'a number out of range'}).`
    : undefined;

export const oneOf = (allowed: readonly string[]): Validator => (value) =>
  typeof value === 'string' && !allowed.includes(value) ? `must be one of ${allowed.map((item) => `"${item}"`).join(', ')} (got ${quoteForMessage(value)}).` : undefined;

export const eachOneOf = (allowed: readonly string[]): Validator => (value) => {
  if (!Array.isArray(value)) return undefined;
  const bad = (value as CtyValue[]).filter((item) => typeof item === 'string' && !allowed.includes(item));
  return bad.length ? `contains ${bad.map((item) => quoteForMessage(item as string)).join(', ')}; allowed values are ${allowed.join(', ')}.` : undefined;
};

export const notEmptyCollection: Validator = (value) =>
  Array.isArray(value) && value.length === 0 ? 'must contain at least one element.' : undefined;

/** A user value as a message may repeat it: never one that looks like a key, never more than a short prefix. */
export { quoteForMessage as quoted } from '../../security/secret-patterns';
