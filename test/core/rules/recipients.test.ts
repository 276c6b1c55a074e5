import { ageRecipient, firstProblem, looksLikeSecret, MAX_SECRET_RECIPIENTS, redact, secretRecipients } from '../../../src/core';

/** Made by age-keygen; public keys only, except the identity a user might paste by mistake (made for this test, used nowhere). */
const RECIPIENT = 'age1uxfjfkrz0vk4aayj878fuv7pvtpk00z8v9kwpd2p67crmaz8dpaqmu6l4c';
const OTHER = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const IDENTITY = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';

test('X25519 recipients are accepted, alone or several', () => {
  expect(ageRecipient(RECIPIENT)).toBeUndefined();
  expect(secretRecipients([RECIPIENT, OTHER])).toBeUndefined();
});

test('an identity pasted by mistake is refused, never repeated, and redacted anywhere it appears', () => {
  for (const pasted of [IDENTITY, IDENTITY.toLowerCase()]) {
    const problem = secretRecipients([RECIPIENT, pasted])!;
    expect(problem).toMatch(/^\[1\] is an age identity \(a private key, AGE-SECRET-KEY-\.\.\.\), not a recipient/);
    expect(problem).toContain('age-keygen -y key.txt');
    expect(problem).not.toContain(pasted.slice(15, 40));
    expect(looksLikeSecret(`x ${pasted} y`)).toBe(true);
    expect(redact(`identity: ${pasted}`)).toBe('identity: [redacted]');
  }
});

test.each([
  ['an SSH key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf0vJ user@host', /is an SSH public key/],
  ['an RSA SSH key', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host', /is an SSH public key/],
  ['a post-quantum recipient', `age1pq1${'q'.repeat(100)}`, /post-quantum/],
  ['a truncated recipient', RECIPIENT.slice(0, -1), /must be an age recipient .*"age1" and 58 lowercase letters and digits \(got "age1uxfj/],
  ['an upper-case recipient', RECIPIENT.toUpperCase(), /must be an age recipient/],
  ['a recipient with a trailing newline', `${RECIPIENT}\n`, /must not have spaces or line breaks around it/],
  ['a GPG fingerprint', 'B2A1C3D4E5F60718293A4B5C6D7E8F9012345678', /must be an age recipient/],
])('%s is refused with the form expected', (_what, value, message) => {
  expect(ageRecipient(value)).toMatch(message);
  expect(secretRecipients([value])).toMatch(/^\[0\] /);
});

test('an empty list, a repeated recipient and too many recipients are refused', () => {
  expect(secretRecipients([])).toMatch(/must list at least one age recipient; to keep the secret in state unencrypted instead, leave the setting out/);
  expect(secretRecipients([RECIPIENT, OTHER, RECIPIENT])).toMatch(/^\[2\] repeats an earlier recipient/);
  expect(secretRecipients(Array.from({ length: MAX_SECRET_RECIPIENTS + 1 }, () => RECIPIENT))).toMatch(/at most 20 recipients/);
});

test('values of other types are left to the type check', () => {
  expect(firstProblem([secretRecipients, ageRecipient], 42)).toBeUndefined();
  expect(secretRecipients([{ unknown: true }])).toBeUndefined();
});
