import type { EdgeImpulseRole } from '../../core/facts/edgeimpulse';

/** Edge Impulse wire types for organization API keys, as the OpenAPI seeds document them. */

/** Every Edge Impulse answer extends this; `error` is set when `success` is false. */
export interface GenericApiResponse {
  success: boolean;
  error?: string;
}

export type OrganizationApiKeyRole = EdgeImpulseRole;

export interface CreatedUpdatedByUser {
  id: number;
  name: string;
  username: string;
  photo?: string;
}

export interface ApiKeyLastUsed {
  date: string;
  country?: string;
  ipAddress?: string;
}

/** One key as the listing shows it: `apiKey` holds only a portion of the key. */
export interface OrganizationApiKey {
  id: number;
  apiKey: string;
  name: string;
  /** ISO 8601 date-time. */
  created: string;
  role: OrganizationApiKeyRole;
  isTransformationJobKey: boolean;
  createdByUser?: CreatedUpdatedByUser;
  lastUsed?: ApiKeyLastUsed;
  /** Set only when the key was created with a ttl. */
  expires?: string;
}

export interface ListOrganizationApiKeysResponse extends GenericApiResponse {
  apiKeys: OrganizationApiKey[];
}

export interface AddOrganizationApiKeyRequest {
  name: string;
  role: OrganizationApiKeyRole;
  /** A caller-chosen key: starts with `ei_`, at least 32 characters. */
  apiKey?: string;
  /** Time to live in seconds. */
  ttl?: number;
}

/** The only answer that carries the full key. */
export interface AddApiKeyResponse extends GenericApiResponse {
  id: number;
  apiKey: string;
}
