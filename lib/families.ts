import { ATLAS_MANIFEST } from './manifest/atlas/family';
import { EDGE_IMPULSE_MANIFEST } from './manifest/edgeimpulse/family';
import { OPENAI_MANIFEST } from './manifest/openai/family';

/** Each family's public API: its organization construct and props (re-exported by ../index.ts). */
export * from './constructs/openai/organization';
export * from './constructs/edgeimpulse/organization';
export * from './constructs/atlas/organization';

/**
 * The library's registry of key families, one line each: the manifest's
 * schema (a union on `vendor`), ManifestKeys and the clash check across
 * organizations read it. A family owns lib/constructs/<vendor>/ (its
 * organization construct) and lib/manifest/<vendor>/ (its schema, and how
 * it becomes that construct).
 */
export const FAMILIES = [
  OPENAI_MANIFEST,
  EDGE_IMPULSE_MANIFEST,
  ATLAS_MANIFEST,
] as const;

/** The manifest's `vendor` values, in registry order. */
export const VENDORS = FAMILIES.map((family) => family.vendor);

export type Family = (typeof FAMILIES)[number];
