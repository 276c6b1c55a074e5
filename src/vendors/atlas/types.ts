import { ATLAS } from '../../core/facts/atlas';

/** MongoDB Atlas wire types for organization programmatic API keys (v2 and v1.0 share them). */

export interface AtlasLink {
  href: string;
  rel: string;
}

/** A list answer: `PaginatedApiApiUser` and friends. */
export interface AtlasPage<T> {
  results: T[];
  links?: AtlasLink[];
  /** Omitted when includeCount=false. */
  totalCount?: number;
}

/** One role of a key: an organization role (orgId) or a project role (groupId), never both. */
export interface AtlasRoleAssignment {
  roleName: string;
  orgId?: string;
  groupId?: string;
}

/** `ApiKeyUserDetails`: privateKey is masked everywhere but the create answer. */
export interface AtlasApiKey {
  id: string;
  desc?: string;
  publicKey: string;
  privateKey: string;
  roles?: AtlasRoleAssignment[];
  links?: AtlasLink[];
}

/** The create answer: the same object, with the whole private key. */
export type AtlasApiKeyCreated = AtlasApiKey;

/** One entry of a key's IP access list (UserAccessListResponse): the only place Atlas records a key's use. */
export interface AtlasAccessListEntry {
  ipAddress?: string;
  cidrBlock?: string;
  created?: string;
  /** When the key was last used from this entry's address, RFC 3339. */
  lastUsed?: string;
  lastUsedAddress?: string;
  count?: number;
}

/** `ApiError`. */
export interface AtlasErrorBody {
  detail?: string;
  error: number;
  errorCode: string;
  parameters?: unknown[];
  reason?: string;
  badRequestDetail?: { fields?: { field: string; description: string }[] };
}

/** The organization roles of a key in one organization (the list also holds its project roles). */
export function orgRolesOf(key: AtlasApiKey, organizationId: string): string[] {
  return (key.roles ?? [])
    .filter((role) => role.groupId === undefined && (role.orgId === undefined || role.orgId === organizationId))
    .map((role) => role.roleName)
    .filter((name, index, all) => all.indexOf(name) === index)
    .sort();
}

/** How Atlas masks a private key (a UUID) outside the create answer: only the last 12 hex digits show. */
export const redactAtlasPrivateKey = (privateKey: string): string =>
  `${ATLAS.privateKeyMask.prefix}${privateKey.slice(-ATLAS.privateKeyMask.visibleSuffix)}`;

/** An ObjectId starts with its creation time in seconds; undefined for an id that is not an ObjectId. */
export function objectIdSeconds(id: string): number | undefined {
  return ATLAS.patterns.id.test(id) ? Number.parseInt(id.slice(0, 8), 16) : undefined;
}
