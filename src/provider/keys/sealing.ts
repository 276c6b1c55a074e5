import { ConfigurationError, SealingError } from '../../core/errors';
import { secretRecipients } from '../../core/rules';
import { registerSecret } from '../../core/security/redaction';
import { listOf } from '../cty/types';
import { isUnknown, UNKNOWN, valuesEqual, type CtyObject, type CtyValue } from '../cty/value';
import type { Diagnostics } from '../framework/diagnostics';
import type { AttributeSchema } from '../framework/schema';

/**
 * Secrets out of state, on request: with `secret_recipients` set, a new key's
 * one-time secret is encrypted to those age recipients the moment the vendor
 * returns it, `encrypted_secret` holds the ASCII-armored age file and
 * `secret` stays null, so the clear secret never reaches state, plan or
 * outputs (terraform-provider-aws's `pgp_key`, with age). Every key resource
 * carries it (./key-resource.ts); the provider's `secret_recipients` is the
 * default of every resource that sets none.
 *
 * The library is age-encryption, the TypeScript implementation by age's
 * author (Filippo Valsorda): it follows the age specification he wrote, is
 * tested against the reference implementation's test vectors, and builds only
 * on the audited noble/scure libraries, so the provider writes no cryptography
 * of its own. It is an ES module: the provider bundle compiles it into a payload
 * of its own that is loaded on the first use (scripts/build.mjs), so a provider
 * process that seals nothing never loads it.
 */

type AgeModule = typeof import('age-encryption');
let ageModule: AgeModule | undefined;
// A plain require on purpose: the bundle maps it to the lazy payload, jest to an esbuild transform of the package.
const loadAge = (): AgeModule => (ageModule ??= require('age-encryption') as AgeModule);

/** Encrypts secrets to recipients parsed once. */
export interface SecretSealer {
  /** The secret as an ASCII-armored age file (`-----BEGIN AGE ENCRYPTED FILE-----`). */
  seal(secret: string): Promise<string>;
}

/** Where sealers come from: the age library, unless a test puts a failing one in its place. */
export interface Sealing {
  /** Loads the library and parses the recipients: everything that can fail before a vendor call. */
  prepare(recipients: readonly string[]): SecretSealer;
}

export const ageSealing: Sealing = {
  prepare(recipients) {
    const { Encrypter, armor } = loadAge();
    const encrypter = new Encrypter();
    for (const [index, recipient] of recipients.entries()) {
      try {
        encrypter.addRecipient(recipient);
      } catch {
        throw Object.assign(new ConfigurationError(
          `secret_recipients[${index}] is not a valid age recipient: its checksum does not match, so a character was changed, added or lost`,
          'secret_recipients',
          'Copy the recipient again from the "Public key:" line of age-keygen (age-keygen -y key.txt prints it). Nothing was sent to the vendor.',
        ), { attributePath: ['secret_recipients'] });
      }
    }
    return { seal: async (secret) => armor.encode(await encrypter.encrypt(secret)) };
  },
};

const RECIPIENTS_DESCRIPTION = 'age recipients (X25519 public keys, `age1...`, as `age-keygen` prints them) to encrypt the one-time secret to. ' +
  'With recipients, `secret` stays null and `encrypted_secret` holds the secret as an ASCII-armored age file, so the clear secret never reaches ' +
  'state, plan or outputs; decrypt it where it is used: `terraform output -raw <name> | age -d -i key.txt`. SSH keys and post-quantum ' +
  '(`age1pq1...`) recipients are not accepted. Changing the recipients re-encrypts nothing (the provider does not keep the secret): ' +
  'rotate or replace the key to issue a secret sealed to the new recipients.';

/** The attributes every key resource gains for sealing. */
export const sealingAttributes: Record<string, AttributeSchema> = {
  secret_recipients: {
    type: listOf('string'), optional: true, computed: true, validators: [secretRecipients],
    description: `${RECIPIENTS_DESCRIPTION} Unset: the provider's \`secret_recipients\`, if any (the planned value shows which apply).`,
  },
  encrypted_secret: {
    type: 'string', computed: true,
    description: 'The one-time secret encrypted to `secret_recipients` (ASCII-armored age, `-----BEGIN AGE ENCRYPTED FILE-----`); ' +
      'null without recipients, and for a key whose secret Terraform does not hold (imported, or chosen by the caller).',
  },
};

/** The provider setting: the default recipients of every key resource. */
export const sealingProviderAttributes: Record<string, AttributeSchema> = {
  secret_recipients: {
    type: listOf('string'), optional: true, validators: [secretRecipients],
    description: `The default \`secret_recipients\` of every key resource that sets none: ${RECIPIENTS_DESCRIPTION}`,
  },
};

/** The provider's default recipients: a list of strings, or null. */
export function defaultRecipientsOf(config: CtyObject): string[] | null {
  const value = config.secret_recipients;
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value as string[] : null;
}

/** The recipients a key is sealed to: its own, else the provider's; null for none, unknown while its own are. */
export function recipientsFor(config: CtyObject, providerDefault: readonly string[] | null): CtyValue {
  const own = config.secret_recipients;
  if (isUnknown(own)) return UNKNOWN;
  if (Array.isArray(own)) return own;
  return providerDefault ? [...providerDefault] : null;
}

/** Known recipients as strings; undefined for none or while any is unknown. */
export function knownRecipients(value: CtyValue | undefined): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) return undefined;
  return value as string[];
}

/** Whether a state holds the key's secret in some form: in clear, or sealed. */
export const holdsSecret = (state: CtyObject): boolean => typeof state.secret === 'string' || typeof state.encrypted_secret === 'string';

/**
 * The plan of a key's sealing: the recipients that apply (its own, else the
 * provider's); for a new key (id unknown: a create or a rotation), `secret`
 * null and `encrypted_secret` unknown when there are recipients, and the
 * recipients parsed now, so a bad one fails the plan; for the current key, a
 * warning when the recipients change, since that re-encrypts nothing.
 */
export function planSealing<State extends CtyObject>(args: {
  sealing: Sealing; providerDefault: readonly string[] | null; diagnostics: Diagnostics; describe: string;
  prior: State | null; config: State; planned: State;
}): State {
  const { prior, config, diagnostics } = args;
  const recipients = recipientsFor(config, args.providerDefault);
  const planned: CtyObject = { ...args.planned, secret_recipients: recipients };
  if (isUnknown(planned.id)) {
    const known = knownRecipients(recipients);
    if (known) args.sealing.prepare(known); // throws, naming the attribute, before anything is sent
    if (recipients === null) planned.encrypted_secret = null;
    else if (known) Object.assign(planned, { secret: null, encrypted_secret: UNKNOWN });
    else Object.assign(planned, { secret: UNKNOWN, encrypted_secret: UNKNOWN });
    return planned as State;
  }
  if (prior && !valuesEqual(prior.secret_recipients ?? null, recipients)) {
    const held = typeof prior.encrypted_secret === 'string' ? 'encrypted to the recipients it was created with'
      : typeof prior.secret === 'string' ? 'unencrypted' : 'not held by Terraform at all';
    diagnostics.warning(
      `Changing secret_recipients re-encrypts nothing: ${args.describe}`,
      `The secret of ${args.describe} stays in state as it is (${held}): the provider does not keep secrets, so it cannot encrypt this one again. ` +
        'This apply only records the new recipients and sends nothing to the vendor; they apply to the next key. To issue a secret sealed to them now, ' +
        'replace the key (terraform apply -replace=<address>) or let its rotation make the next one.',
      ['secret_recipients'],
    );
  }
  return planned as State;
}

/**
 * A new key's state, sealed: with a sealer, `secret` encrypted into
 * `encrypted_secret` and set to null; without one, `encrypted_secret` null.
 */
export async function sealState<State extends CtyObject>(state: State, sealer: SecretSealer | undefined): Promise<State> {
  if (!sealer || typeof state.secret !== 'string') return { ...state, encrypted_secret: null };
  registerSecret(state.secret); // whatever goes wrong below, no message can carry it
  return { ...state, secret: null, encrypted_secret: await sealer.seal(state.secret) };
}

/**
 * What a sealing failure after the vendor made the key leaves: the key
 * revoked (`revoke` succeeded), or, when revoking failed too, the key kept in
 * state without its secret (IncompleteApplyError in the caller), so that it is
 * never left at the vendor with no state holding it.
 */
export function sealingFailure(describe: string, cause: unknown, revoked: { ok: true } | { ok: false; error: unknown }): SealingError {
  const why = cause instanceof Error ? cause.message : String(cause);
  if (revoked.ok) {
    return new SealingError(`Could not encrypt the secret of the new ${describe} to secret_recipients (${why}), so the key was revoked at once`, {
      cause, hint: 'Nothing was kept: no key, no secret. Run apply again to make a new key.',
    });
  }
  const revokeWhy = revoked.error instanceof Error ? revoked.error.message : String(revoked.error);
  return new SealingError(
    `Could not encrypt the secret of the new ${describe} to secret_recipients (${why}), and revoking the key failed too (${revokeWhy})`,
    { cause, hint: 'The key is kept in state without its secret, which nobody has: the next apply revokes and replaces it.' },
  );
}
