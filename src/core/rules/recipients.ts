import { looksLikeSecret, quoteForMessage } from '../security/secret-patterns';
import type { Rule } from './rule';

/**
 * Who may read a key's one-time secret: age recipients, as `age-keygen`
 * prints them ("Public key: age1..."). The provider encrypts the secret to
 * them, so only the holders of the matching identities can read it. Written
 * once for the provider (`secret_recipients`), the manifest and the constructs
 * (`secretRecipients`).
 *
 * Accepted: native X25519 recipients (`age1` and 58 bech32 characters). Not
 * accepted: SSH keys (`ssh-ed25519`, `ssh-rsa`), which the age library the
 * provider uses (age-encryption) cannot encrypt to, and post-quantum
 * recipients (`age1pq1...`), which the age CLI most systems ship (1.1, as in
 * Debian 12) cannot decrypt. The checksum is checked by the library when the
 * provider plans a key.
 */
export const AGE_X25519_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

/** How many recipients one secret may be sealed to. */
export const MAX_SECRET_RECIPIENTS = 20;

const EXAMPLE = 'an age recipient such as the "Public key: age1..." line age-keygen prints (age-keygen -y key.txt prints it again)';

/** Why one recipient string is refused, or undefined. An identity pasted by mistake is never repeated. */
export const ageRecipient: Rule = (value) => {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (looksLikeSecret(text) || /^age-secret-key-/i.test(text)) {
    return 'is an age identity (a private key, AGE-SECRET-KEY-...), not a recipient; it is not repeated here. Use its public key instead ' +
      '(age-keygen -y key.txt prints it), and treat the identity as exposed if it was committed anywhere.';
  }
  if (/^ssh-(ed25519|rsa)\s/.test(text)) {
    return 'is an SSH public key; the age library the provider uses encrypts only to native age recipients. ' +
      `Use ${EXAMPLE} (age-keygen makes a key pair).`;
  }
  if (/^age1pq1/i.test(text)) return `is a post-quantum age recipient, which the age CLI most systems ship cannot decrypt yet; use ${EXAMPLE}.`;
  if (value !== text) return `must not have spaces or line breaks around it (got ${quoteForMessage(value)}).`;
  if (!AGE_X25519_RECIPIENT.test(text)) {
    return `must be ${EXAMPLE}: "age1" and 58 lowercase letters and digits (got ${quoteForMessage(value)}).`;
  }
  return undefined;
};

/** A list of recipients: at least one, at most MAX_SECRET_RECIPIENTS, each one valid, none twice; an entry's problem starts with its index. */
export const secretRecipients: Rule = (value) => {
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) {
    return 'must list at least one age recipient; to keep the secret in state unencrypted instead, leave the setting out.';
  }
  if (value.length > MAX_SECRET_RECIPIENTS) return `must list at most ${MAX_SECRET_RECIPIENTS} recipients (it lists ${value.length}).`;
  for (const [index, item] of value.entries()) {
    const problem = ageRecipient(item);
    if (problem) return `[${index}] ${problem}`;
  }
  const seen = new Set<unknown>();
  for (const [index, item] of value.entries()) {
    if (seen.has(item)) return `[${index}] repeats an earlier recipient (${quoteForMessage(item)}); list each once.`;
    seen.add(item);
  }
  return undefined;
};
