import { firstProblem, formatDuration, overlapProblem, quoteForMessage, ROTATION_RULES, parseDuration, type Rule } from '../../core/rules';
import { mapOf } from '../cty/types';
import { isUnknown, UNKNOWN, type CtyObject, type CtyValue } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';
import { DEFAULT_EXPIRY_WARNING, isoDate, type PreviousKey } from './lifecycle';

/**
 * Rotation as every key resource carries it: the `rotation` setting and the
 * `previous_key` a rotation keeps for its overlap. The decisions live in
 * ./lifecycle.ts; how a plan and an apply carry them out, in ./key-resource.ts.
 */

const ROTATION_SETTINGS = ['every', 'overlap', 'vendor_expiry'] as const;

/** The `rotation` map: every and overlap are durations, overlap shorter than every, vendor_expiry "true" or "false". */
export const rotationSetting: Rule = (value) => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const map = value as Record<string, unknown>;
  const unknown = Object.keys(map).filter((name) => !(ROTATION_SETTINGS as readonly string[]).includes(name));
  if (unknown.length > 0) return `has an unknown setting ${unknown.map(quoteForMessage).join(', ')}; a rotation takes every, overlap and vendor_expiry.`;
  if (map.every === undefined) return 'must set every: how often the key is replaced by a new one, such as "90d".';
  if (map.overlap === undefined) return 'must set overlap: how long the old key keeps working after a rotation, such as "7d" ("0s" revokes it as soon as the new key exists).';
  for (const name of ['every', 'overlap'] as const) {
    if (isUnknown(map[name])) continue;
    const problem = firstProblem(ROTATION_RULES[name], map[name]);
    if (problem) return `${name} ${problem}`;
  }
  if (typeof map.every === 'string' && typeof map.overlap === 'string') {
    const problem = overlapProblem({ every: map.every, overlap: map.overlap });
    if (problem) return problem;
  }
  if (map.vendor_expiry !== undefined && !isUnknown(map.vendor_expiry) && map.vendor_expiry !== 'true' && map.vendor_expiry !== 'false') {
    return `vendor_expiry must be true or false (got ${quoteForMessage(map.vendor_expiry)}).`;
  }
  return undefined;
};

/** The attributes every key resource gains for rotation. */
export const rotationAttributes = (vendorExpiry: boolean): Record<string, AttributeSchema> => ({
  rotation: {
    type: mapOf('string'), optional: true, validators: [rotationSetting],
    description: 'Rotate the key on a schedule: `{ every = "90d", overlap = "7d" }` (durations `<n>s|m|h|d`; `every` at least 1m; ' +
      '`0s <= overlap < every`). Once `every` has passed since the key was created (by the vendor\'s creation time), the plan shows an update: ' +
      'a new key with a new secret, while the current key becomes `previous_key`, kept until `overlap` has passed; the next plan after that ' +
      'revokes it. With `overlap = "0s"` the old key is revoked in the same apply, after the new one exists. An expired key is rotated at once. ' +
      (vendorExpiry
        ? '`vendor_expiry = true` also gives each new key a vendor expiry of every + overlap + 1 day, a backstop if the pipeline stops running.'
        : 'This vendor has no key expiry, so `vendor_expiry` is not available.') +
      ' A rotation needs the key\'s secret in state (or `encrypted_secret`): an imported key cannot be rotated.',
  },
  previous_key: {
    type: mapOf('string'), computed: true,
    description: 'The key a rotation replaced, while it keeps working for the overlap: `id`, `revoke_after` (RFC 3339; the first plan ' +
      'after it revokes the key) and what the vendor needs to revoke it. Null when there is none.',
  },
});

/** Provider settings of the plan's lifecycle warnings. */
export const lifecycleProviderAttributes: Record<string, AttributeSchema> = {
  expiry_warning: {
    type: 'string', optional: true, validators: ROTATION_RULES.overlap,
    description: `Plan warns about a key that expires within this duration, naming the key, its organization and the date. Default \`${DEFAULT_EXPIRY_WARNING}\`; \`0s\` turns it off.`,
  },
  stale_after: {
    type: 'string', optional: true, validators: ROTATION_RULES.every,
    description: 'Plan warns about a key not used for longer than this (or never used, once it is older than this). Unset (default): no staleness warnings. ' +
      'Atlas reports use only with `atlas_last_used = true`.',
  },
};

/** The lifecycle thresholds a provider configuration sets. */
export function lifecycleSettingsOf(config: CtyObject): { expiryWarningMs: number; staleAfterMs?: number } {
  const warning = typeof config.expiry_warning === 'string' ? parseDuration(config.expiry_warning) : undefined;
  const stale = typeof config.stale_after === 'string' ? parseDuration(config.stale_after) : undefined;
  return { expiryWarningMs: warning ?? parseDuration(DEFAULT_EXPIRY_WARNING)!, ...(stale === undefined ? {} : { staleAfterMs: stale }) };
}

/** The previous key of a state, when it holds one. */
export function previousKeyOf(value: CtyValue | undefined): (PreviousKey & { fields: Record<string, string> }) | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value) || isUnknown(value)) return undefined;
  const map = value as Record<string, CtyValue>;
  const revokeAfter = typeof map.revoke_after === 'string' ? Date.parse(map.revoke_after) : NaN;
  if (typeof map.id !== 'string' || !Number.isFinite(revokeAfter)) return undefined;
  const fields = Object.fromEntries(Object.entries(map).filter(([name, field]) => name !== 'revoke_after' && typeof field === 'string')) as Record<string, string>;
  return { id: map.id, revokeAfter, fields };
}

/** The `previous_key` map for the key of `state`, revoked after `revokeAfter` (unknown in a plan). */
export function previousKeyMap(state: CtyObject, keyFields: readonly string[], revokeAfter: number | typeof UNKNOWN): CtyObject {
  const fields = Object.fromEntries(['id', ...keyFields].filter((name) => typeof state[name] === 'string').map((name) => [name, state[name]]));
  return { ...fields, revoke_after: typeof revokeAfter === 'number' ? isoDate(revokeAfter) : UNKNOWN };
}

/** How a plan names a rotation in its warnings, e.g. "every 90d, overlap 7d". */
export const describeRotation = (rotation: { everyMs: number; overlapMs: number }): string =>
  `every ${formatDuration(rotation.everyMs)}, overlap ${formatDuration(rotation.overlapMs)}`;
