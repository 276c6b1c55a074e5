import {
  DEFAULT_RETRY_POLICY, backoffDelay, isRejectedBeforeProcessing, isTransientStatus, parseRetryAfter,
} from '../../../src/vendors/http/retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');

  test('delta-seconds become milliseconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  test('a bare number that is not delta-seconds is ignored, not read as a date', () => {
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter(' 5 ', now)).toBe(5_000);
  });

  test('an HTTP date becomes the time until then', () => {
    expect(parseRetryAfter('Sat, 10 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
  });

  test('an HTTP date in the past means no wait', () => {
    expect(parseRetryAfter('Sat, 10 Jan 2026 11:59:00 GMT', now)).toBe(0);
  });

  test('the first value of a repeated header is used', () => {
    expect(parseRetryAfter(['3', '9'], now)).toBe(3_000);
  });

  test('absent or unusable values are undefined', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter([], now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };

  test('jitters between half and the whole step', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 0.999999)).toBe(100);
    expect(backoffDelay(policy, 1, () => 0.5)).toBe(75);
  });

  test('doubles with each retry', () => {
    expect(backoffDelay(policy, 2, () => 0)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
    expect(backoffDelay(policy, 4, () => 1)).toBe(800);
  });

  test('is capped at maxDelayMs', () => {
    expect(backoffDelay(policy, 5, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 30, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 30, () => 0)).toBe(500);
  });

  test('stays within bounds with real randomness', () => {
    for (let retry = 1; retry <= 8; retry++) {
      const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
      for (let sample = 0; sample < 50; sample++) {
        const delay = backoffDelay(policy, retry);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
  });

  test('the default policy waits 250 to 500 ms before the first retry, doubling, and never more than 20 s', () => {
    expect([backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 0), backoffDelay(DEFAULT_RETRY_POLICY, 1, () => 1)]).toEqual([250, 500]);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 2, () => 1)).toBe(1_000);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 12, () => 1)).toBe(20_000);
  });
});

describe('status classification', () => {
  test('transient statuses', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504]) expect(isTransientStatus(status)).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 409, 422, 501]) expect(isTransientStatus(status)).toBe(false);
  });

  test('only 429 is rejected before processing', () => {
    expect(isRejectedBeforeProcessing(429)).toBe(true);
    for (const status of [408, 500, 502, 503, 504]) expect(isRejectedBeforeProcessing(status)).toBe(false);
  });
});
