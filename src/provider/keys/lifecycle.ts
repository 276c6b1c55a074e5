import { formatDuration, parseDuration } from '../../core/rules';

/**
 * A key's life after its create, decided in one place for every family, the
 * provider's plan and `apikeys audit` alike: when a rotation is due, when the
 * previous key of a rotation is revoked, and which keys expire soon or sit
 * unused. Pure: the clock is a parameter (the provider passes the time of the
 * refresh the plan is made from, so that a saved plan applied later decides
 * exactly as it did).
 */

/** A key's rotation, as its configuration says it (validated already). */
export interface Rotation {
  readonly everyMs: number;
  readonly overlapMs: number;
  /** Create keys with a vendor expiry as a backstop, where the vendor has one. */
  readonly vendorExpiry: boolean;
}

/** What the vendor says of a key, in ms since the epoch; undefined where it does not say. */
export interface KeyDates {
  readonly createdAt?: number;
  readonly expiresAt?: number;
  readonly lastUsedAt?: number;
}

/** The key a rotation replaced, kept until its overlap ends. */
export interface PreviousKey {
  readonly id: string;
  readonly revokeAfter: number;
}

/** The provider's (and the audit's) thresholds. */
export interface LifecycleSettings {
  /** Warn when a key expires within this window. */
  readonly expiryWarningMs: number;
  /** Warn when a key was last used longer ago than this (or never, once it is older than this); undefined: never. */
  readonly staleAfterMs?: number;
}

export const DEFAULT_EXPIRY_WARNING = '14d';

export type FindingKind = 'expired' | 'expiring' | 'stale' | 'rotationDue';

/** Something to tell about a key, with the date it is about. */
export interface Finding {
  readonly kind: FindingKind;
  readonly at: number;
  /** The rest of a sentence about the key: "expires on 2026-12-20 (in 14 days)". */
  readonly says: string;
}

export interface LifecycleDecision {
  /** Make a new key now; the current one becomes the previous key (or is revoked at once, with no overlap). */
  readonly rotate: boolean;
  /** The previous key's overlap has ended: revoke it. */
  readonly revokePrevious: boolean;
  /** The key expired and has no rotation: replace it. */
  readonly replace: boolean;
  readonly findings: readonly Finding[];
}

const DAY_MS = 86_400_000;

export const isoDate = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "in 3 days", "2 hours ago": how far `at` is from `now`, in the largest whole unit. */
function relative(at: number, now: number): string {
  const span = Math.abs(at - now);
  const [size, unit] = span >= DAY_MS ? [DAY_MS, 'day'] : span >= 3_600_000 ? [3_600_000, 'hour'] : span >= 60_000 ? [60_000, 'minute'] : [1_000, 'second'];
  const count = Math.floor(span / size);
  const text = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return at >= now ? `in ${text}` : `${text} ago`;
}

/** What to tell about a key now: expired, expiring within the window, unused for too long, due for rotation. */
export function findingsFor(now: number, dates: KeyDates, settings: LifecycleSettings, rotation?: Rotation): Finding[] {
  const findings: Finding[] = [];
  const { createdAt, expiresAt, lastUsedAt } = dates;
  if (expiresAt !== undefined && expiresAt <= now) {
    findings.push({ kind: 'expired', at: expiresAt, says: `expired on ${isoDate(expiresAt)} (${relative(expiresAt, now)})` });
  } else if (expiresAt !== undefined && expiresAt - now <= settings.expiryWarningMs) {
    findings.push({ kind: 'expiring', at: expiresAt, says: `expires on ${isoDate(expiresAt)} (${relative(expiresAt, now)})` });
  }
  if (settings.staleAfterMs !== undefined) {
    if (lastUsedAt !== undefined && now - lastUsedAt > settings.staleAfterMs) {
      findings.push({ kind: 'stale', at: lastUsedAt, says: `was last used on ${isoDate(lastUsedAt)} (${relative(lastUsedAt, now)}; stale after ${formatDuration(settings.staleAfterMs)})` });
    } else if (lastUsedAt === undefined && createdAt !== undefined && now - createdAt > settings.staleAfterMs) {
      findings.push({ kind: 'stale', at: createdAt, says: `has never been used since it was created on ${isoDate(createdAt)} (${relative(createdAt, now)}; stale after ${formatDuration(settings.staleAfterMs)})` });
    }
  }
  if (rotation && createdAt !== undefined && now >= createdAt + rotation.everyMs) {
    const due = createdAt + rotation.everyMs;
    findings.push({ kind: 'rotationDue', at: due, says: `is due for rotation since ${isoDate(due)} (created ${isoDate(createdAt)}, rotated every ${formatDuration(rotation.everyMs)})` });
  }
  return findings;
}

/**
 * The decision table of a key's lifecycle at `now`:
 * - the previous key is revoked once its overlap has ended;
 * - a key is rotated once `every` has passed since its creation, or when it
 *   has expired, but only when no previous key is still in its overlap (the
 *   previous key is never revoked early to make room);
 * - an expired key without a rotation is replaced.
 */
export function decideLifecycle(now: number, dates: KeyDates, settings: LifecycleSettings, rotation?: Rotation, previous?: PreviousKey): LifecycleDecision {
  const findings = findingsFor(now, dates, settings, rotation);
  const has = (kind: FindingKind) => findings.some((finding) => finding.kind === kind);
  const revokePrevious = previous !== undefined && now >= previous.revokeAfter;
  const previousInOverlap = previous !== undefined && !revokePrevious;
  return {
    rotate: rotation !== undefined && (has('rotationDue') || has('expired')) && !previousInOverlap,
    revokePrevious,
    replace: rotation === undefined && has('expired'),
    findings,
  };
}

/** The rotation a `rotation` map configures, or undefined when it is unset or not valid (its validators report why). */
export function rotationOf(value: unknown): Rotation | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const map = value as Record<string, unknown>;
  const everyMs = typeof map.every === 'string' ? parseDuration(map.every) : undefined;
  const overlapMs = typeof map.overlap === 'string' ? parseDuration(map.overlap) : undefined;
  if (everyMs === undefined || overlapMs === undefined || overlapMs >= everyMs) return undefined;
  return { everyMs, overlapMs, vendorExpiry: map.vendor_expiry === 'true' };
}

/**
 * The vendor expiry a rotated key gets as a backstop: every + overlap and a
 * day's margin. If the pipeline stops running, the key stops working that
 * long after it was made, instead of never.
 */
export const vendorExpirySeconds = (rotation: Rotation): number => Math.ceil((rotation.everyMs + rotation.overlapMs + DAY_MS) / 1000);
