import { z } from 'zod';
import {
  ageRecipient, AGE_X25519_RECIPIENT, CONNECTION_LABEL, CREDENTIAL_ENV_SUFFIXES, connectionLabel, credentialEnvProblem, looksLikeSecret, MAX_PRUNE_LIMIT,
  MAX_SECRET_RECIPIENTS, overlapProblem, PRUNE_RULES, quoteForMessage, ROTATION_RULES, secretRecipients as secretRecipientsRule, VENDOR_FACTS,
  type CredentialKind, type Rule,
} from '../../src/core';
import type { UndeclaredKeysOptions, UndeclaredKeysPolicy } from '../constructs/undeclared-keys';
import { DEFAULT_SECRET_OUTPUTS, SECRET_OUTPUTS } from '../constructs/secret-output';
import { ruled } from './ruled';

/**
 * Building blocks shared by every vendor's manifest schema. A manifest is
 * untrusted input (anyone who opens a pull request edits it), so it chooses
 * keys, never where credentials go or which secrets are read.
 */

/** What each kind of credential is, for messages: "OpenAI organization admin key (sk-admin-...)". */
const CREDENTIAL_LABELS = Object.fromEntries(VENDOR_FACTS.flatMap((facts) =>
  Object.values(facts.credentials).map((credential) => [credential.kind, credential.label] as const))) as Record<CredentialKind, string>;

/**
 * The name of the environment variable holding one kind of credential, as the
 * operator's policy allows (src/core/security/policy.ts): GITHUB_TOKEN or
 * AWS_SECRET_ACCESS_KEY are refused, so a pull request cannot send them to a vendor.
 */
export function credentialEnv(kind: CredentialKind) {
  const example = `ACME_${CREDENTIAL_ENV_SUFFIXES[kind][0]}`;
  const label = CREDENTIAL_LABELS[kind];
  return z.string({
    error: (issue) => (issue.input === undefined
      ? `is required: name the environment variable that holds the ${label}, such as ${example}`
      : `must be the name of an environment variable, such as ${example}`),
  }).superRefine((name, context) => {
    // A pasted key is reported once, by the manifest-wide rule, and never repeated.
    if (looksLikeSecret(name)) return;
    const problem = credentialEnvProblem(kind, name);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  // For the JSON Schema only (editors flag a value where a name belongs); the check above is the loader's.
  }).meta({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });
}


/** A key name as the vendor shows it, by the vendor's name rules; `maxLength` (from its facts) is for editors. */
export const keyName = (rules: readonly Rule[], maxLength: number) =>
  ruled(z.string({ error: 'must be a string' }).trim(), rules, { minLength: 1, maxLength });

/** A whole number judged by shared rules; `bounds` (from the facts) are for editors. */
export const wholeNumber = (rules: readonly Rule[], error: string, bounds: { minimum: number; maximum: number }) =>
  ruled(z.number({ error }), rules, { type: 'integer', ...bounds });

/** A string judged by shared rules; `jsonSchema` (from the facts) is for editors. */
export const ruledString = (rules: readonly Rule[], jsonSchema: Record<string, unknown>) => ruled(z.string({ error: 'must be a string' }), rules, jsonSchema);

/** An organization's name is the label of its provider connection (and starts its addresses and outputs): the connection-label rule. */
export const organizationName = ruledString([connectionLabel], { pattern: CONNECTION_LABEL.source });

/**
 * Base URLs decide where a credential is sent, so only the operator sets them.
 * The field is kept in the schema only to say so where it appears.
 */
export const BASE_URL_REFUSED = 'is not allowed in a manifest: base URLs come from the operator\'s environment ' +
  `(${VENDOR_FACTS.map((facts) => facts.baseUrlEnv).join(', ')}) or the provider configuration, never from a manifest, ` +
  'because they decide where credentials are sent; remove it';
export const refusedBaseUrl = z.never({ error: BASE_URL_REFUSED }).optional();

/** Reports a duplicate key name (after turning names into Terraform identifiers) where it occurs. */
export function checkUniqueNames(
  names: readonly string[], toId: (name: string) => string, path: (index: number) => (string | number)[], what: string, context: z.RefinementCtx,
): void {
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const id = toId(name);
    if (seen.has(id)) context.addIssue({ code: 'custom', path: path(index), message: `${quoteForMessage(name)} is already used by ${what}[${seen.get(id)}]; names must be unique` });
    seen.set(id, index);
  });
}

const DURATION_PATTERN = '^(0|[1-9][0-9]{0,6})(s|m|h|d)$';

/** Organization-level settings every vendor shares: what to do about keys nobody declared, named by the vendor's name rules. */
export const undeclaredKeysFields = (nameRules: readonly Rule[], nameMax: number) => ({
  undeclaredKeys: z.enum(['warn', 'fail', 'prune', 'off'], { error: 'must be warn, fail, prune or off' }).default('warn'),
  /** With prune: at most this many revocations per apply. */
  pruneLimit: wholeNumber(PRUNE_RULES.limit, 'must be a whole number of keys per apply', { minimum: 1, maximum: MAX_PRUNE_LIMIT }).optional(),
  /** With prune: keys younger than this are never revoked. */
  pruneMinAge: ruledString(PRUNE_RULES.minAge, { pattern: DURATION_PATTERN }).optional(),
  /** Ids or names; a bare number is an Edge Impulse key id. */
  ignoreUndeclared: z.array(z.union([keyName(nameRules, nameMax), z.int().min(0).max(Number.MAX_SAFE_INTEGER)], { error: 'must list key ids or names' }))
    .max(1000, { error: 'may list at most 1000 ids or names' }).optional(),
  /** Deprecated: ignoreUndeclared takes ids or names. */
  ignoreUndeclaredNames: z.array(keyName(nameRules, nameMax)).max(1000, { error: 'may list at most 1000 names' }).optional(),
});

/** Organization fields kept for old manifests, with what replaces each: the loader warns where they appear. */
export const DEPRECATED_ORGANIZATION_FIELDS: Readonly<Record<string, string>> = {
  ignoreUndeclaredNames: 'ignoreUndeclared, which takes key ids or names (move the names there)',
};

/**
 * The construct options for a validated organization's undeclared-keys fields (ids in a manifest may be bare
 * numbers). The deprecated names join ignoreUndeclared: the loader already warned about them, with file:line.
 */
export const undeclaredKeysOptions = (org: {
  undeclaredKeys: UndeclaredKeysPolicy; ignoreUndeclared?: (string | number)[]; ignoreUndeclaredNames?: string[]; pruneLimit?: number; pruneMinAge?: string;
}): UndeclaredKeysOptions => {
  const ignored = [...(org.ignoreUndeclared ?? []).map(String), ...(org.ignoreUndeclaredNames ?? [])];
  return { undeclaredKeys: org.undeclaredKeys, ignoreUndeclared: ignored.length > 0 ? ignored : undefined, pruneLimit: org.pruneLimit, pruneMinAge: org.pruneMinAge };
};


/** A required duration judged by `rules`; `what` says what it is, for the message when it is missing or not text. */
function durationField(rules: readonly Rule[], what: string) {
  return ruled(z.string({
    error: (issue) => (issue.input === undefined ? `is required: ${what}` : `must be a duration with its unit, s, m, h or d, such as 90d (got ${quoteForMessage(issue.input)}): ${what}`),
  }), rules, { pattern: DURATION_PATTERN, description: `${what[0].toUpperCase()}${what.slice(1)}.` });
}

/**
 * A key's rotation, on a key or (as the default for its keys) on an
 * organization: `rotation: { every: 90d, overlap: 7d, vendorExpiry: true }`,
 * judged by the rules the constructs and the provider apply.
 */
export const rotation = z.strictObject({
  every: durationField(ROTATION_RULES.every, 'how often the key is replaced by a new one, such as 90d (at least 1m)'),
  overlap: durationField(ROTATION_RULES.overlap, 'how long the old key keeps working after a rotation, shorter than every, such as 7d (0s revokes it at once)'),
  vendorExpiry: z.boolean({ error: 'must be true or false' }).optional(),
}, { error: (issue) => (issue.code === 'invalid_type' ? 'must be a mapping with every and overlap, such as { every: 90d, overlap: 7d }' : undefined) }).superRefine((value, context) => {
  const problem = overlapProblem(value);
  if (problem) context.addIssue({ code: 'custom', path: ['overlap'], message: problem });
});

/** One age recipient, judged at its own line; an identity pasted by mistake is reported once, by the manifest-wide rule, and never repeated. */
const secretRecipient = z.string({ error: 'must be an age recipient (age1...), as a string' }).superRefine((value, context) => {
  if (looksLikeSecret(value)) return;
  const problem = ageRecipient(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
}).meta({ pattern: AGE_X25519_RECIPIENT.source });

/**
 * Who may read the secrets: `secretRecipients: [age1...]` on a key, or on an
 * organization as the default of its keys. The secret then leaves the
 * provider encrypted to them, and the state and outputs hold only that.
 */
export const secretRecipients = z.array(secretRecipient, { error: 'must be a list of age recipients, such as [age1...]' })
  .max(MAX_SECRET_RECIPIENTS, { error: `may list at most ${MAX_SECRET_RECIPIENTS} recipients` })
  .superRefine((list, context) => {
    // Each entry's own problem is told at its line above; the list's (empty, a repeat) here.
    if (list.some((item) => ageRecipient(item) !== undefined || looksLikeSecret(item))) return;
    const problem = secretRecipientsRule(list);
    if (!problem) return;
    // "[2] repeats ...": told at that entry's line.
    const entry = /^\[(\d+)\] /.exec(problem);
    context.addIssue(entry ? { code: 'custom', path: [Number(entry[1])], message: problem.slice(entry[0].length) } : { code: 'custom', message: problem });
  });

/** What every key of the manifest takes for its lifecycle. */
export const keyLifecycleFields = { rotation: rotation.optional(), secretRecipients: secretRecipients.optional() };
/** What every organization takes for its keys' lifecycle: the defaults of keys that set none. */
export const organizationLifecycleFields = { rotation: rotation.optional(), secretRecipients: secretRecipients.optional() };

/** The construct options of an organization's lifecycle fields. */
export const organizationLifecycleOptions = (org: { rotation?: z.output<typeof rotation>; secretRecipients?: string[] }) => ({
  rotation: org.rotation, secretRecipients: org.secretRecipients,
});

/**
 * Which sensitive outputs carry an organization's secrets (lib/constructs/secret-output.ts):
 * one map per organization, `<name>_secrets`, or one output per key, `<name>_<key>_secret`.
 * Optional rather than defaulted, so manifests built in code need not name it; the
 * constructs apply the default, which the JSON Schema shows to editors.
 */
export const secretOutputsField = {
  outputs: z.enum(SECRET_OUTPUTS, { error: `must be ${SECRET_OUTPUTS.join(' or ')}` }).optional().meta({ default: DEFAULT_SECRET_OUTPUTS }),
};
