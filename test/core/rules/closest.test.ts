import { closestKey, editDistance } from '../../../src/core/rules/closest';

describe('the typo rule: did-you-mean for manifest keys and connection labels', () => {
  test('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('adminKeys', 'adminKeys')).toBe(0);
    expect(editDistance('adminKey', 'adminKeys')).toBe(1);
    expect(editDistance('adminKyes', 'adminKeys')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test('only a plausible typo is suggested, ignoring case', () => {
    expect(closestKey('adminkeyenv', ['adminKeyEnv', 'adminKeys'])).toBe('adminKeyEnv');
    expect(closestKey('apiKey', ['name', 'role', 'ttlSeconds'])).toBeUndefined();
    expect(closestKey('ttl', ['name', 'role', 'ttlSeconds'])).toBeUndefined();
  });
});
