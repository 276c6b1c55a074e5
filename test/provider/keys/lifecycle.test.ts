import { decideLifecycle, findingsFor, rotationOf, vendorExpirySeconds, type LifecycleSettings, type Rotation } from '../../../src/provider/keys/lifecycle';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');
const SETTINGS: LifecycleSettings = { expiryWarningMs: 14 * DAY };
const ROTATION: Rotation = { everyMs: 90 * DAY, overlapMs: 7 * DAY, vendorExpiry: false };

describe('the decision table: now against creation, every, overlap and the previous key', () => {
  test.each([
    // name, created (days ago), previous revokeAfter (days from now; null: none), rotation?, rotate, revokePrevious
    ['a young key stays', 10, null, ROTATION, false, false],
    ['a key exactly every old is rotated', 90, null, ROTATION, true, false],
    ['an older key is rotated', 200, null, ROTATION, true, false],
    ['without a rotation nothing is rotated', 200, null, undefined, false, false],
    ['a previous key still in its overlap stays, and holds back a due rotation', 95, 2, ROTATION, false, false],
    ['a previous key whose overlap ended is revoked', 10, -1, ROTATION, false, true],
    ['an overdue previous key is revoked and a due rotation happens in the same plan', 95, -1, ROTATION, true, true],
    ['a previous key is revoked even once rotation is removed', 10, 0, undefined, false, true],
  ] as const)('%s', (_name, createdDaysAgo, previousDays, rotation, rotate, revokePrevious) => {
    const previous = previousDays === null ? undefined : { id: 'key_old', revokeAfter: NOW + previousDays * DAY };
    const decision = decideLifecycle(NOW, { createdAt: NOW - createdDaysAgo * DAY }, SETTINGS, rotation, previous);
    expect({ rotate: decision.rotate, revokePrevious: decision.revokePrevious, replace: decision.replace }).toEqual({ rotate, revokePrevious, replace: false });
  });

  test('an expired key is rotated when it has a rotation, replaced when it has none', () => {
    const dates = { createdAt: NOW - DAY, expiresAt: NOW - MINUTE };
    expect(decideLifecycle(NOW, dates, SETTINGS, ROTATION)).toMatchObject({ rotate: true, replace: false });
    expect(decideLifecycle(NOW, dates, SETTINGS)).toMatchObject({ rotate: false, replace: true });
  });

  test('a key whose creation time is unknown is never rotated by age', () => {
    expect(decideLifecycle(NOW, {}, SETTINGS, ROTATION)).toMatchObject({ rotate: false, findings: [] });
  });

  test('the boundary is inclusive: due at created + every, not a millisecond before', () => {
    const every = 5 * MINUTE;
    const rotation = { everyMs: every, overlapMs: 0, vendorExpiry: false };
    expect(decideLifecycle(NOW, { createdAt: NOW - every + 1 }, SETTINGS, rotation).rotate).toBe(false);
    expect(decideLifecycle(NOW, { createdAt: NOW - every }, SETTINGS, rotation).rotate).toBe(true);
  });
});

describe('findings: expiry, staleness, rotation due', () => {
  test('a key expiring within the window is expiring, one beyond it is not; an expired one is expired', () => {
    expect(findingsFor(NOW, { expiresAt: NOW + 3 * DAY }, SETTINGS)).toEqual([{ kind: 'expiring', at: NOW + 3 * DAY, says: 'expires on 2026-12-09T12:00:00Z (in 3 days)' }]);
    expect(findingsFor(NOW, { expiresAt: NOW + 15 * DAY }, SETTINGS)).toEqual([]);
    expect(findingsFor(NOW, { expiresAt: NOW - 2 * 3_600_000 }, SETTINGS)).toEqual([{ kind: 'expired', at: NOW - 2 * 3_600_000, says: 'expired on 2026-12-06T10:00:00Z (2 hours ago)' }]);
    expect(findingsFor(NOW, { expiresAt: NOW + DAY }, { expiryWarningMs: 0 })).toEqual([]);
  });

  test('staleness only when stale_after is set: last use older than it, or never used once the key is older than it', () => {
    const stale = { ...SETTINGS, staleAfterMs: 30 * DAY };
    expect(findingsFor(NOW, { createdAt: NOW - 100 * DAY, lastUsedAt: NOW - 40 * DAY }, SETTINGS)).toEqual([]);
    expect(findingsFor(NOW, { createdAt: NOW - 100 * DAY, lastUsedAt: NOW - 40 * DAY }, stale).map((finding) => finding.kind)).toEqual(['stale']);
    expect(findingsFor(NOW, { createdAt: NOW - 100 * DAY, lastUsedAt: NOW - 20 * DAY }, stale)).toEqual([]);
    expect(findingsFor(NOW, { createdAt: NOW - 31 * DAY }, stale)[0].says).toBe('has never been used since it was created on 2026-11-05T12:00:00Z (31 days ago; stale after 30d)');
    expect(findingsFor(NOW, { createdAt: NOW - 29 * DAY }, stale)).toEqual([]);
  });

  test('rotation due says since when', () => {
    const [finding] = findingsFor(NOW, { createdAt: NOW - 91 * DAY }, SETTINGS, ROTATION);
    expect(finding).toEqual({ kind: 'rotationDue', at: NOW - DAY, says: 'is due for rotation since 2026-12-05T12:00:00Z (created 2026-09-06T12:00:00Z, rotated every 90d)' });
  });
});

describe('rotationOf', () => {
  test('reads every, overlap and vendor_expiry; anything invalid is no rotation (validation reports it)', () => {
    expect(rotationOf({ every: '90d', overlap: '7d' })).toEqual(ROTATION);
    expect(rotationOf({ every: '1m', overlap: '0s', vendor_expiry: 'true' })).toEqual({ everyMs: MINUTE, overlapMs: 0, vendorExpiry: true });
    for (const bad of [null, 'x', [], { every: '90d' }, { every: '7d', overlap: '7d' }, { every: '1y', overlap: '0s' }]) expect(rotationOf(bad)).toBeUndefined();
  });

  test('the vendor expiry backstop is every + overlap + a day', () => {
    expect(vendorExpirySeconds(ROTATION)).toBe((90 + 7 + 1) * 86_400);
  });
});
