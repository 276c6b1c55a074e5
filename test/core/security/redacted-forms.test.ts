import { couldBeRedactedFormOf } from '../../../src/core/security/redacted-forms';

const OPENAI = `sk-admin-${'a1B2'.repeat(10)}xyz`;
const EI = `ei_${'4f'.repeat(32)}`;
const ATLAS_PRIVATE = '0f1e2d3c-4b5a-6978-8796-db2c132ca78d';

test.each([
  ['OpenAI shows start...end', 'sk-admin...xyz', OPENAI, true],
  ['another OpenAI key', 'sk-admin...xyw', OPENAI, false],
  ['Edge Impulse shows the start and an ellipsis', `${EI.slice(0, 7)}…`, EI, true],
  ['another Edge Impulse key', 'ei_ffff…', EI, false],
  ['Atlas shows the last 12 digits after a mask', '********-****-****-db2c132ca78d', ATLAS_PRIVATE, true],
  ['another Atlas key', '********-****-****-000000000000', ATLAS_PRIVATE, false],
  ['a form without a mask is the key itself', EI, EI, true],
  ['a form longer than the key is not it', 'sk-admin-aaaaaaaaaaaaaaaaaaaa...xyz', 'sk-admin-xyz', false],
  ['nothing shown proves nothing', '', EI, false],
])('%s', (_what, shown, secret, expected) => {
  expect(couldBeRedactedFormOf(shown, secret)).toBe(expected);
});

test('no form at all is never a match', () => {
  expect(couldBeRedactedFormOf(null, EI)).toBe(false);
  expect(couldBeRedactedFormOf(undefined, EI)).toBe(false);
});
