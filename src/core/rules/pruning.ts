import { duration } from './durations';
import { integerBetween } from './index';

/** The most revocations one apply of a pruning may make, whatever the configuration says. */
export const MAX_PRUNE_LIMIT = 1000;

/** The settings of opt-in pruning (apikeys_exclusive_keys; a manifest's and the constructs' pruneLimit and pruneMinAge). */
export const PRUNE_RULES = {
  limit: [integerBetween(1, MAX_PRUNE_LIMIT, 'keys per apply')],
  minAge: [duration],
} as const;
