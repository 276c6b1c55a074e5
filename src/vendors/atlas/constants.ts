/** Atlas facts as pure data, shared by the adapter, the provider, the emulator and the construct library. */

/** Admin API versions the adapter speaks: v2 (dated media types) and the deprecated v1.0. */
export const ATLAS_API_VERSIONS = ['v2', 'v1.0'] as const;
export type AtlasApiVersion = (typeof ATLAS_API_VERSIONS)[number];

/**
 * Organization roles a programmatic API key can hold, as Atlas lists them
 * (the 2025 spec's enum, plus ORG_STREAM_PROCESSING_ADMIN from the newer v1
 * reference).
 */
export const ATLAS_ORG_ROLES = [
  'ORG_OWNER',
  'ORG_MEMBER',
  'ORG_GROUP_CREATOR',
  'ORG_BILLING_ADMIN',
  'ORG_BILLING_READ_ONLY',
  'ORG_READ_ONLY',
  'ORG_STREAM_PROCESSING_ADMIN',
] as const;

export type AtlasOrgRole = (typeof ATLAS_ORG_ROLES)[number];

export const isAtlasOrgRole = (value: string): value is AtlasOrgRole => (ATLAS_ORG_ROLES as readonly string[]).includes(value);

/** Atlas ids (organizations, keys) are 24 lower-case hex digits (ObjectIds). */
export const ATLAS_ID_PATTERN = /^[a-f0-9]{24}$/;

/** desc of an API key: 1 to 250 characters. */
export const ATLAS_KEY_DESCRIPTION_MAX = 250;
