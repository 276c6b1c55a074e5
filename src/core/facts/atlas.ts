import { eachOneOf, lengthBetween, matches, notEmptyCollection, oneOf, printableText } from '../rules';
import { SECRET_FORMATS } from './secret-formats';
import type { VendorFacts } from './types';

/** Atlas facts (see ../shared/vendor-apis.md). */

/** Admin API versions the adapter speaks: v2 (dated media types) and the deprecated v1.0. */
const API_VERSIONS = ['v2', 'v1.0'] as const;
/**
 * Organization roles a programmatic API key can hold, as Atlas lists them
 * (the 2025 spec's enum, plus ORG_STREAM_PROCESSING_ADMIN from the newer v1 reference).
 */
const ORG_ROLES = [
  'ORG_OWNER', 'ORG_MEMBER', 'ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN', 'ORG_BILLING_READ_ONLY', 'ORG_READ_ONLY', 'ORG_STREAM_PROCESSING_ADMIN',
] as const;
/** Atlas ids (organizations, keys) are 24 lower-case hex digits (ObjectIds). */
const ID_PATTERN = /^[a-f0-9]{24}$/;
/** desc of an API key: 1 to 250 characters (documented). */
const KEY_DESCRIPTION_MAX = 250;
/** Listings page with pageNum and itemsPerPage: 1 to 500, 100 when omitted (an older v1.0 reference gives 100 as the maximum). */
const PAGE_SIZES = { defaultPageSize: 100, maxPageSize: 500, v1MaxPageSize: 100 } as const;
/** Service-account credentials: a client id and a client secret with these prefixes. */
const SERVICE_ACCOUNT_PREFIXES = { clientId: 'mdb_sa_id_', clientSecret: 'mdb_sa_sk_' } as const;
/** Outside the create answer a private key (a UUID) shows only its last 12 hex digits, after this mask. */
const PRIVATE_KEY_MASK = { prefix: '********-****-****-', visibleSuffix: 12 } as const;

export const ATLAS = {
  vendor: 'atlas',
  label: 'MongoDB Atlas',
  defaultBaseUrl: 'https://cloud.mongodb.com',
  baseUrlEnv: 'MONGODB_ATLAS_BASE_URL',
  credentials: {
    public_key: { kind: 'atlas_public_key', label: 'MongoDB Atlas programmatic API key (public key)', defaultEnv: 'MONGODB_ATLAS_PUBLIC_KEY', envSuffixes: ['ATLAS_PUBLIC_KEY'] },
    private_key: { kind: 'atlas_private_key', label: 'MongoDB Atlas programmatic API key (private key)', defaultEnv: 'MONGODB_ATLAS_PRIVATE_KEY', envSuffixes: ['ATLAS_PRIVATE_KEY'] },
    client_id: { kind: 'atlas_client_id', label: 'MongoDB Atlas service account client id', defaultEnv: 'MONGODB_ATLAS_CLIENT_ID', envSuffixes: ['ATLAS_CLIENT_ID'] },
    client_secret: { kind: 'atlas_client_secret', label: 'MongoDB Atlas service account client secret', defaultEnv: 'MONGODB_ATLAS_CLIENT_SECRET', envSuffixes: ['ATLAS_CLIENT_SECRET'] },
  },
  secretPatterns: SECRET_FORMATS.atlas,
  /** The OAuth token endpoint of service accounts, on the base URL's host. */
  tokenPath: 'api/oauth/token',
  /** Where a service account's token is revoked (RFC 7009), on the same host. */
  revokePath: 'api/oauth/revoke',
  /** The only dated media type the organization API key operations of v2 are declared under. */
  v2MediaType: 'application/vnd.atlas.2023-01-01+json',
  serviceAccountPrefixes: SERVICE_ACCOUNT_PREFIXES,
  privateKeyMask: PRIVATE_KEY_MASK,
  apiVersions: API_VERSIONS,
  orgRoles: ORG_ROLES,
  limits: { keyDescriptionMax: KEY_DESCRIPTION_MAX, ...PAGE_SIZES },
  patterns: { id: ID_PATTERN },
  rules: {
    organizationId: [matches(ID_PATTERN, 'an Atlas organization id: 24 hexadecimal digits')],
    keyDescription: [lengthBetween(1, KEY_DESCRIPTION_MAX), printableText],
    roles: [notEmptyCollection, eachOneOf(ORG_ROLES)],
    apiVersion: [oneOf(API_VERSIONS)],
  },
} as const satisfies VendorFacts;

export type AtlasApiVersion = (typeof API_VERSIONS)[number];
export type AtlasOrgRole = (typeof ORG_ROLES)[number];
