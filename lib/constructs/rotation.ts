import { firstProblem, overlapProblem, ROTATION_RULES, secretRecipients } from '../../src/core';
import type { ProblemCollector } from './validation';

/** A key's rotation: a new key every `every`, the old one kept for `overlap`, then revoked. */
export interface KeyRotation {
  /** How often the key is replaced by a new one: a duration `<n>s|m|h|d` such as "90d", at least "1m". */
  readonly every: string;
  /** How long the old key keeps working after a rotation, shorter than `every`: "7d", or "0s" to revoke it as soon as the new key exists. */
  readonly overlap: string;
  /** Give each new key a vendor expiry of every + overlap + 1 day, where the vendor has one, as a backstop if the pipeline stops running. @default false */
  readonly vendorExpiry?: boolean;
}

/** What every key takes for its lifecycle. */
export interface KeyLifecycleProps {
  /** Rotate this key on a schedule (docs/rotation.md). @default - the organization's rotation, else none */
  readonly rotation?: KeyRotation;
  /**
   * age recipients (`age1...`, as age-keygen prints them) to encrypt this key's secret to: Terraform then holds only
   * `encrypted_secret`, and the key's secret output holds it too (README, Security).
   * @default - the organization's secretRecipients, else the provider's secret_recipients, else the secret is kept unencrypted
   */
  readonly secretRecipients?: readonly string[];
}

/** What every organization takes for its keys' lifecycle. */
export interface OrganizationLifecycleProps {
  /** The rotation of every key of this organization that sets none of its own. @default - keys are not rotated */
  readonly rotation?: KeyRotation;
  /** The secretRecipients of every key of this organization that sets none of its own. @default - the provider's secret_recipients, if any */
  readonly secretRecipients?: readonly string[];
}

/** Every problem of the lifecycle settings (rotation, secretRecipients) of the organization and its keys (`keys` names each key's field, e.g. `keys[2]`). */
export function checkRotations(problems: ProblemCollector, organization: OrganizationLifecycleProps, keys: readonly { field: string; props: KeyLifecycleProps }[]): void {
  const check = (field: string, rotation: KeyRotation | undefined) => {
    if (rotation === undefined) return;
    problems.text(`${field}.every`, rotation.every, ROTATION_RULES.every);
    problems.text(`${field}.overlap`, rotation.overlap, ROTATION_RULES.overlap);
    const valid = firstProblem(ROTATION_RULES.every, rotation.every) === undefined && firstProblem(ROTATION_RULES.overlap, rotation.overlap) === undefined;
    const problem = valid ? overlapProblem(rotation) : undefined;
    if (problem) problems.check(false, `${field}.${problem}`);
  };
  check('rotation', organization.rotation);
  for (const key of keys) check(`${key.field}.rotation`, key.props.rotation);
  problems.rules('secretRecipients', organization.secretRecipients, [secretRecipients]);
  for (const key of keys) problems.rules(`${key.field}.secretRecipients`, key.props.secretRecipients, [secretRecipients]);
}

/** The resource's `rotation` argument: the key's own rotation, else its organization's. */
export function rotationArgument(key: KeyLifecycleProps, organization: OrganizationLifecycleProps): Record<string, string> | undefined {
  const rotation = key.rotation ?? organization.rotation;
  if (rotation === undefined) return undefined;
  return { every: rotation.every, overlap: rotation.overlap, ...(rotation.vendorExpiry === undefined ? {} : { vendor_expiry: String(rotation.vendorExpiry) }) };
}

/** The resource's `secret_recipients` argument: the key's own recipients, else its organization's (else the provider's applies). */
export function secretRecipientsArgument(key: KeyLifecycleProps, organization: OrganizationLifecycleProps): string[] | undefined {
  const recipients = key.secretRecipients ?? organization.secretRecipients;
  return recipients && [...recipients];
}
