import { eachOneOf, integerBetween, lengthBetween, maxLength, notBlank, oneOf } from '../../../src/provider/framework/validators';

const KEY = `sk-admin-${'x'.repeat(40)}`;

describe('validators never repeat a key, nor more than a short prefix of any value', () => {
  test.each([
    ['oneOf', oneOf(['admin', 'member'])],
    ['eachOneOf', (value: string) => eachOneOf(['ORG_MEMBER'])([value])],
  ])('%s', (_label, validate) => {
    expect(validate(KEY)).toContain('looks like a credential (not repeated here)');
    expect(validate(KEY)).not.toContain(KEY);
    const long = 'v'.repeat(300_000);
    const message = validate(long)!;
    expect(message.length).toBeLessThan(300);
    expect(validate('owner')).toContain('"owner"');
  });

  test('length checks report the length, not the value', () => {
    expect(maxLength(256)('n'.repeat(307_200))).toBe('must be at most 256 characters (it has 307200).');
    expect(lengthBetween(1, 250)('')).toBe('must be 1 to 250 characters long (it has 0).');
    expect(notBlank(' \t\n')).toBe('must not be empty or only white space.');
  });

  test.each([0, -1, 0.5, 1e308, 601])('integerBetween(1, 600) refuses %p and says what it got', (value) => {
    expect(integerBetween(1, 600, 'seconds')(value)).toBe(`must be a whole number from 1 to 600 seconds (got ${value}).`);
  });

  test('integerBetween accepts the bounds', () => {
    expect(integerBetween(1, 600)(1)).toBeUndefined();
    expect(integerBetween(1, 600)(600)).toBeUndefined();
  });
});
