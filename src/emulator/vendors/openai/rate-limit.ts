import type { EmulatorResponse } from '../../http';

/**
 * OpenAI's documented request rate limiting, per admin key: a token bucket
 * that refills continuously. When `enforce` is on and the bucket is empty the
 * answer is a 429 in OpenAI's error shape with `Retry-After` (whole seconds,
 * at least 1). Whether admin endpoints send the `x-ratelimit-*-requests`
 * headers is not documented [U], so they are a switch of their own.
 */
export interface OpenAiRateLimitSettings {
  /** Answer 429 when a key's bucket is empty. Default false. */
  enforce: boolean;
  /** Bucket size, sent as x-ratelimit-limit-requests. Default 500. */
  capacity: number;
  /** Tokens added per second. Default capacity / 60 (a per-minute limit). */
  refillPerSecond: number;
  /** Send x-ratelimit-limit-requests, -remaining-requests and -reset-requests. Default true. */
  headers: boolean;
}

const DEFAULT_CAPACITY = 500;

export function rateLimitSettings(options: Partial<OpenAiRateLimitSettings> = {}, current?: OpenAiRateLimitSettings): OpenAiRateLimitSettings {
  const capacity = positive(options.capacity) ?? current?.capacity ?? DEFAULT_CAPACITY;
  // A new capacity without a new rate keeps the per-minute meaning of the limit.
  const keptRefill = options.capacity === undefined ? current?.refillPerSecond : undefined;
  return {
    enforce: typeof options.enforce === 'boolean' ? options.enforce : current?.enforce ?? false,
    capacity,
    refillPerSecond: positive(options.refillPerSecond) ?? keptRefill ?? capacity / 60,
    headers: typeof options.headers === 'boolean' ? options.headers : current?.headers ?? true,
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** OpenAI writes durations as "1s", "6m0s", "250ms". */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}

export class OpenAiRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  settings: OpenAiRateLimitSettings;

  constructor(options: Partial<OpenAiRateLimitSettings> = {}, private readonly now: () => number = Date.now) {
    this.settings = rateLimitSettings(options);
  }

  /** Changes the settings; buckets start full again. */
  configure(options: Partial<OpenAiRateLimitSettings>): OpenAiRateLimitSettings {
    this.settings = rateLimitSettings(options, this.settings);
    this.buckets.clear();
    return this.settings;
  }

  /**
   * Takes one token from the caller's bucket and runs the handler, or answers
   * 429 when the bucket is empty and limits are enforced. When they are not,
   * the bucket still counts, so the headers tell the truth about usage.
   */
  async admit(caller: string, handle: () => EmulatorResponse | Promise<EmulatorResponse>): Promise<EmulatorResponse> {
    const bucket = this.refill(caller);
    const { capacity, refillPerSecond } = this.settings;
    if (bucket.tokens < 1 && this.settings.enforce) {
      const waitMs = ((1 - bucket.tokens) / refillPerSecond) * 1000;
      const response: EmulatorResponse = {
        status: 429,
        body: {
          error: {
            message: `Rate limit reached for requests on this organization: Limit ${capacity}, Used ${capacity}. Please try again in ${formatResetDuration(waitMs)}.`,
            type: 'requests', param: null, code: 'rate_limit_exceeded',
          },
        },
        headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      };
      return this.withHeaders(response, bucket);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    return this.withHeaders(await handle(), bucket);
  }

  private refill(caller: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      bucket = { tokens: this.settings.capacity, updatedMs: now };
      this.buckets.set(caller, bucket);
    }
    const elapsedSeconds = Math.max(0, now - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(this.settings.capacity, bucket.tokens + elapsedSeconds * this.settings.refillPerSecond);
    bucket.updatedMs = now;
    return bucket;
  }

  private withHeaders(response: EmulatorResponse, bucket: Bucket): EmulatorResponse {
    if (!this.settings.headers) return response;
    const { capacity, refillPerSecond } = this.settings;
    const untilFullMs = ((capacity - bucket.tokens) / refillPerSecond) * 1000;
    response.headers = {
      'x-ratelimit-limit-requests': String(capacity),
      'x-ratelimit-remaining-requests': String(Math.floor(bucket.tokens)),
      'x-ratelimit-reset-requests': formatResetDuration(untilFullMs),
      ...response.headers,
    };
    return response;
  }
}
