/**
 * Values as the provider sees them: plain JSON-like data, plus one marker
 * for "not known until apply". Objects are plain records, lists and sets are
 * arrays, maps are records.
 */
export class UnknownValue {
  static readonly instance = new UnknownValue();
  private constructor() {}
  toJSON(): string {
    return '(known after apply)';
  }
}

export const UNKNOWN = UnknownValue.instance;

export type CtyValue =
  | null
  | string
  | number
  | boolean
  | UnknownValue
  | CtyValue[]
  | { [key: string]: CtyValue };

export type CtyObject = { [attribute: string]: CtyValue };

export const isUnknown = (value: unknown): value is UnknownValue => value === UNKNOWN;

/** True when the value, or anything inside it, is unknown. */
export function containsUnknown(value: CtyValue): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}

/** Structural equality; `unordered` compares arrays as sets (for cty sets). An unknown equals nothing, not even another unknown. */
export function valuesEqual(a: CtyValue, b: CtyValue, unordered = false): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    if (!unordered) return a.every((item, index) => valuesEqual(item, b[index]));
    return a.every((item) => b.some((other) => valuesEqual(item, other)));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => key in b && valuesEqual(a[key], (b as CtyObject)[key]));
}
