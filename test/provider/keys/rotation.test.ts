import { UNKNOWN } from '../../../src/provider/cty/value';
import { lifecycleSettingsOf, previousKeyMap, previousKeyOf, rotationSetting } from '../../../src/provider/keys/rotation';

describe('the rotation setting', () => {
  test.each([
    [{ every: '90d', overlap: '7d' }, undefined],
    [{ every: '1m', overlap: '0s', vendor_expiry: 'true' }, undefined],
    [{ every: UNKNOWN, overlap: '7d' }, undefined],
    [{ every: '90', overlap: '7d' }, 'every must be a duration: a whole number and a unit, s, m, h or d, such as "90d" or "12h" (got "90").'],
    [{ every: '-1d', overlap: '0s' }, 'every must be a duration'],
    [{ every: '1y', overlap: '0s' }, 'every must be a duration'],
    [{ every: '1.5d', overlap: '0s' }, 'every must be a duration'],
    [{ every: '0m', overlap: '0s' }, 'every must be at least 1m (got "0m").'],
    [{ every: '59s', overlap: '0s' }, 'every must be at least 1m'],
    [{ every: '7d', overlap: '7d' }, 'overlap (7d) must be shorter than every (7d)'],
    [{ every: '7d', overlap: '8d' }, 'overlap (8d) must be shorter than every (7d)'],
    [{ every: '7d' }, 'must set overlap'],
    [{ overlap: '1d' }, 'must set every'],
    [{ every: '7d', overlap: '1d', evry: '1d' }, 'has an unknown setting "evry"'],
    [{ every: '7d', overlap: '1d', vendor_expiry: 'yes' }, 'vendor_expiry must be true or false (got "yes").'],
  ])('%j', (value, expected) => {
    const problem = rotationSetting(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(expected);
  });
});

test('lifecycle settings default to a 14-day expiry warning and no staleness', () => {
  expect(lifecycleSettingsOf({})).toEqual({ expiryWarningMs: 14 * 86_400_000 });
  expect(lifecycleSettingsOf({ expiry_warning: '0s', stale_after: '30d' })).toEqual({ expiryWarningMs: 0, staleAfterMs: 30 * 86_400_000 });
});

test('previous_key keeps the key\'s id and the fields that revoke it, and reads back', () => {
  const map = previousKeyMap({ id: 'key_a', service_account_id: 'svc_acct_a', name: 'ci' }, ['service_account_id'], Date.parse('2026-12-13T00:00:00Z'));
  expect(map).toEqual({ id: 'key_a', service_account_id: 'svc_acct_a', revoke_after: '2026-12-13T00:00:00Z' });
  expect(previousKeyOf(map)).toEqual({ id: 'key_a', revokeAfter: Date.parse('2026-12-13T00:00:00Z'), fields: { id: 'key_a', service_account_id: 'svc_acct_a' } });
  expect(previousKeyMap({ id: 'key_a' }, [], UNKNOWN).revoke_after).toBe(UNKNOWN);
  expect(previousKeyOf(null)).toBeUndefined();
  expect(previousKeyOf({ id: 'key_a' })).toBeUndefined();
});
