/**
 * When and how long to wait before sending a request again.
 *
 * Kept apart from the client so the policy can be read (and tested) on its
 * own. undici ships a RetryHandler, but it does not distinguish "the vendor
 * rejected this before doing anything" (safe to resend a create) from "the
 * answer was lost" (not safe), and on exhaustion it drops the vendor's error
 * body, which the diagnostics need.
 */
export interface RetryPolicy {
  /** Further attempts after the first. Default 4. */
  readonly maxRetries: number;
  /** First backoff step when the vendor gives no Retry-After. Default 500 ms. */
  readonly baseDelayMs: number;
  /** Ceiling for one computed backoff step. Default 20 s. */
  readonly maxDelayMs: number;
  /** The longest Retry-After we are willing to sleep; beyond it we fail fast. Default 120 s. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

/** Statuses that mean "try again later": the request may be resent if it is idempotent. */
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export const isTransientStatus = (status: number): boolean => TRANSIENT_STATUSES.has(status);

/**
 * 429 is the one status that tells us the vendor refused the request before
 * acting on it (RFC 6585), so even a create can be sent again. A 5xx or a lost
 * answer may come after the key was made: resending a create then could make
 * a second key, whose secret nobody would ever see.
 */
export const isRejectedBeforeProcessing = (status: number): boolean => status === 429;

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unusable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  // An HTTP date names a weekday or month; bare numbers such as "-5" or "1.5" are not dates (V8 would read them as 2001).
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter between half and the whole step. */
export function backoffDelay(policy: RetryPolicy, retryNumber: number, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
