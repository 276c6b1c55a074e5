import { VENDOR_FACTS } from '../../../src/core/facts';
import { ATLAS } from '../../../src/core/facts/atlas';
import { EDGE_IMPULSE } from '../../../src/core/facts/edgeimpulse';
import { OPENAI } from '../../../src/core/facts/openai';
import { SECRET_FORMATS } from '../../../src/core/facts/secret-formats';
import { looksLikeSecret } from '../../../src/core/security/secret-patterns';

test('every vendor in the facts registry has its secret formats, and no format belongs to no vendor', () => {
  expect(Object.keys(SECRET_FORMATS).sort()).toEqual(VENDOR_FACTS.map((facts) => facts.vendor).sort());
  for (const facts of VENDOR_FACTS) expect(facts.secretPatterns).toBe(SECRET_FORMATS[facts.vendor]);
});

test.each([
  ['an OpenAI admin key', `${OPENAI.keyPrefixes.admin}${'a'.repeat(40)}`],
  ['an OpenAI service-account key', `${OPENAI.keyPrefixes.serviceAccount}${'b'.repeat(40)}`],
  ['an Edge Impulse key of the shortest custom length', `${EDGE_IMPULSE.limits.customKeyPrefix}${'c'.repeat(EDGE_IMPULSE.limits.customKeyMinLength - EDGE_IMPULSE.limits.customKeyPrefix.length)}`],
  ['an Atlas private key', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'],
  ['an Atlas service-account secret', `${ATLAS.serviceAccountPrefixes.clientSecret}${'d'.repeat(32)}`],
])('%s looks like a secret', (_what, secret) => {
  expect(looksLikeSecret(`text around ${secret} and after`)).toBe(true);
});

test.each(['sk-admin-...', 'ei_...', 'key_abc123', '5f1e2d3c4b5a69788796a5b4', 'ci-deployer'])('%s does not', (text) => {
  expect(looksLikeSecret(text)).toBe(false);
});
