import { ATLAS, notBlank } from '../../../src/core';

/** A key's name becomes its description when it has none, so it follows the description's rules too. */
export const ATLAS_KEY_NAME_RULES = [notBlank, ...ATLAS.rules.keyDescription];
