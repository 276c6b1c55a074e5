import { keyNameRules, matches, oneOf, positiveWholeNumber } from '../rules';
import { SECRET_FORMATS } from './secret-formats';
import type { VendorFacts } from './types';

/**
 * Edge Impulse facts (see ../shared/vendor-apis.md). Edge Impulse documents
 * no maximum length for a key's name, so we choose 256, as for OpenAI.
 */
const KEY_NAME_MAX = 256;
const ROLES = ['admin', 'member'] as const;
/** A caller-chosen key value (AddApiKeyRequest.apiKey): `ei_` and at least 32 characters in all. */
const CUSTOM_KEY_PREFIX = 'ei_';
const CUSTOM_KEY_MIN_LENGTH = 32;
/** Key ids are whole numbers (in string form in import ids and listings). */
const KEY_ID = /^[1-9][0-9]*$/;

export const EDGE_IMPULSE = {
  vendor: 'edgeimpulse',
  label: 'Edge Impulse',
  defaultBaseUrl: 'https://studio.edgeimpulse.com/v1',
  baseUrlEnv: 'EDGEIMPULSE_BASE_URL',
  credentials: {
    api_key: { kind: 'edgeimpulse_api_key', label: 'Edge Impulse organization API key (ei_...)', defaultEnv: 'EI_API_KEY', envSuffixes: ['EI_API_KEY', 'EDGEIMPULSE_API_KEY'] },
  },
  secretPatterns: SECRET_FORMATS.edgeimpulse,
  limits: { keyNameMax: KEY_NAME_MAX, customKeyPrefix: CUSTOM_KEY_PREFIX, customKeyMinLength: CUSTOM_KEY_MIN_LENGTH },
  roles: ROLES,
  patterns: { keyId: KEY_ID },
  rules: {
    keyName: keyNameRules(KEY_NAME_MAX),
    role: [oneOf(ROLES)],
    organizationId: [positiveWholeNumber('an Edge Impulse organization id')],
    ttlSeconds: [positiveWholeNumber('a number of seconds')],
    /** Import ids and listing ids are whole numbers in string form. */
    keyId: [matches(KEY_ID, 'an Edge Impulse key id (a whole number)')],
  },
} as const satisfies VendorFacts;

export type EdgeImpulseRole = (typeof ROLES)[number];
