import { ApiKeysError, type VendorUnreachableError } from '../errors';

/**
 * A create whose answer never arrived may still have made a key, and its
 * secret is then gone for good. We must not send the create again (that
 * could make a second key); instead, list the organization once more and
 * tell the user exactly which key, if any, appeared, and what to do with it.
 */
export class CreateOutcomeUnknownError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_CREATE_OUTCOME_UNKNOWN';
}

export interface LostCreateCheck<T> {
  readonly error: VendorUnreachableError;
  /** Lists the organization's keys afresh. */
  readonly relist: () => Promise<T[]>;
  /** Whether a listed key could be the one this create made (same name, created since the request). */
  readonly matches: (item: T) => boolean;
  /** One line naming a candidate, e.g. `key_abc ("ci", created 2026-11-22T07:40:21Z)`. */
  readonly describe: (item: T) => string;
  /** The import id of a candidate. */
  readonly importId: (item: T) => string;
}

export async function explainLostCreate<T>(check: LostCreateCheck<T>): Promise<CreateOutcomeUnknownError> {
  const { error } = check;
  let hint: string;
  try {
    const candidates = (await check.relist()).filter(check.matches);
    if (candidates.length === 0) {
      hint = 'A fresh listing shows no matching new key, so the vendor most likely did not create it. Run apply again.';
    } else {
      hint =
        `The vendor did create it: ${candidates.map(check.describe).join('; ')}. Its secret was in the lost answer and cannot be recovered. ` +
        `Revoke it at the vendor and apply again, or adopt it without a secret with: terraform import <address> ${check.importId(candidates[0])}`;
    }
  } catch {
    hint = 'A fresh listing to check whether the vendor created the key also failed. Check the vendor console for a new key with this name before you apply again: sending the create twice could make a second key.';
  }
  return new CreateOutcomeUnknownError(`${error.message}; the create may or may not have happened`, { cause: error, hint });
}
