import type { CtyValue } from '../cty/value';
import type { Validator } from './schema';

/** Reusable attribute checks. Each message says what is wrong and what would be right. */

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
    ? `must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''} (got ${value}).`
    : undefined;

export const oneOf = (allowed: readonly string[]): Validator => (value) =>
  typeof value === 'string' && !allowed.includes(value) ? `must be one of ${allowed.map((item) => `"${item}"`).join(', ')} (got "${value}").` : undefined;

export const eachOneOf = (allowed: readonly string[]): Validator => (value) => {
  if (!Array.isArray(value)) return undefined;
  const bad = (value as CtyValue[]).filter((item) => typeof item === 'string' && !allowed.includes(item));
  return bad.length ? `contains ${bad.map((item) => `"${item}"`).join(', ')}; allowed values are ${allowed.join(', ')}.` : undefined;
};

export const notEmptyCollection: Validator = (value) =>
  Array.isArray(value) && value.length === 0 ? 'must contain at least one element.' : undefined;

export const httpUrl: Validator = (value) => {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : `must be an http(s) URL (got "${value}").`;
  } catch {
    return `must be an absolute URL such as https://api.example.com/v1 (got "${value}").`;
  }
};

export const environmentVariableName: Validator = (value) =>
  typeof value === 'string' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)
    ? `must be an environment variable name (letters, digits and underscores, not starting with a digit); got "${value}".`
    : undefined;
