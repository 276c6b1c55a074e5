import { integerBetween, keyNameRules, matches } from '../rules';
import { SECRET_FORMATS } from './secret-formats';
import type { VendorFacts } from './types';

/**
 * OpenAI facts (see ../shared/vendor-apis.md). OpenAI documents no maximum
 * length for an admin key's or a service account's name, so we choose 256:
 * longer than any name a person types, short enough that a hostile manifest
 * cannot send megabytes to the vendor or into plan output.
 */
const ADMIN_KEY_NAME_MAX = 256;
const SERVICE_ACCOUNT_NAME_MAX = 256;
/** expires_in_seconds: at most 365 days. */
const ADMIN_KEY_MAX_EXPIRY_SECONDS = 31_536_000;
const PROJECT_ID = /^proj_[A-Za-z0-9]+$/;
const KEY_ID = /^key_[A-Za-z0-9]+$/;
/** Organization lists page with `limit`: 1 to 100, 20 when omitted. */
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;
/** How each kind of OpenAI secret starts (admin, project and service-account keys). */
const KEY_PREFIXES = { admin: 'sk-admin-', project: 'sk-proj-', serviceAccount: 'sk-svcacct-' } as const;
/** How OpenAI ids start. */
const ID_PREFIXES = { organization: 'org-', project: 'proj_', key: 'key_', serviceAccount: 'svc_acct_', user: 'user_' } as const;

export const OPENAI = {
  vendor: 'openai',
  label: 'OpenAI',
  defaultBaseUrl: 'https://api.openai.com/v1',
  baseUrlEnv: 'OPENAI_BASE_URL',
  credentials: {
    admin_key: { kind: 'openai_admin_key', label: 'OpenAI organization admin key (sk-admin-...)', defaultEnv: 'OPENAI_ADMIN_KEY', envSuffixes: ['OPENAI_ADMIN_KEY'] },
  },
  secretPatterns: SECRET_FORMATS.openai,
  limits: {
    adminKeyNameMax: ADMIN_KEY_NAME_MAX,
    serviceAccountNameMax: SERVICE_ACCOUNT_NAME_MAX,
    adminKeyMaxExpirySeconds: ADMIN_KEY_MAX_EXPIRY_SECONDS,
    maxPageSize: MAX_PAGE_SIZE,
    defaultPageSize: DEFAULT_PAGE_SIZE,
  },
  keyPrefixes: KEY_PREFIXES,
  idPrefixes: ID_PREFIXES,
  patterns: { projectId: PROJECT_ID, keyId: KEY_ID },
  rules: {
    adminKeyName: keyNameRules(ADMIN_KEY_NAME_MAX),
    serviceAccountName: keyNameRules(SERVICE_ACCOUNT_NAME_MAX),
    expiresInSeconds: [integerBetween(1, ADMIN_KEY_MAX_EXPIRY_SECONDS, 'seconds')],
    projectId: [matches(PROJECT_ID, 'an OpenAI project id such as proj_abc123; project ids are shown in the dashboard\'s project settings')],
  },
} as const satisfies VendorFacts;
