import { quoteForMessage } from '../security/secret-patterns';
import type { Rule } from './rule';

/**
 * Durations as key lifecycles are written: a whole number and a unit, `s`,
 * `m`, `h` or `d` ("90d", "12h", "0s"). No years or months (their length
 * varies), no fractions, no signs: a rotation schedule must mean one thing.
 */
const DURATION = /^(0|[1-9][0-9]{0,6})(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The duration in milliseconds, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** A duration as messages show it: the way it is written when it is whole, else seconds. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(UNIT_MS).reverse()) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}

export const duration: Rule = (value) => (typeof value === 'string' && parseDuration(value) === undefined
  ? `must be a duration: a whole number and a unit, s, m, h or d, such as "90d" or "12h" (got ${quoteForMessage(value)}).`
  : undefined);

/** A duration of at least `min` ms (and a duration at all). */
export const durationAtLeast = (min: number): Rule => (value) => {
  if (typeof value !== 'string') return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) return duration(value);
  return ms < min ? `must be at least ${formatDuration(min)} (got ${quoteForMessage(value)}).` : undefined;
};

/** The shortest rotation period: short enough for tests on the real clock, long enough that a plan is not always stale. */
export const MIN_ROTATION_EVERY_MS = 60_000;

/** What a rotation says, with both durations known to be valid. */
export interface RotationDurations {
  readonly every: string;
  readonly overlap: string;
}

/** The rule between the two durations of a rotation: the old key is revoked before the next rotation is due. */
export function overlapProblem({ every, overlap }: RotationDurations): string | undefined {
  const everyMs = parseDuration(every);
  const overlapMs = parseDuration(overlap);
  if (everyMs === undefined || overlapMs === undefined || overlapMs < everyMs) return undefined;
  return `overlap (${overlap}) must be shorter than every (${every}): the previous key has to be revoked before the next rotation is due.`;
}

export const ROTATION_RULES = {
  every: [durationAtLeast(MIN_ROTATION_EVERY_MS)],
  overlap: [duration],
} as const;
