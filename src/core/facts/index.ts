import { ATLAS } from './atlas';
import { EDGE_IMPULSE } from './edgeimpulse';
import { OPENAI } from './openai';
import type { VendorFacts } from './types';

/**
 * The facts registry: every vendor, one line each. Layers that need all
 * vendors at once (credential kinds, redaction) read this list; everything
 * else imports its vendor's facts file directly.
 */
export const VENDOR_FACTS = [
  OPENAI,
  EDGE_IMPULSE,
  ATLAS,
] as const satisfies readonly VendorFacts[];

export type VendorName = (typeof VENDOR_FACTS)[number]['vendor'];

/** Every credential kind, e.g. "openai_admin_key". */
type CredentialsOf<V> = V extends { credentials: infer C } ? C[keyof C] : never;
export type CredentialKind = CredentialsOf<(typeof VENDOR_FACTS)[number]> extends infer K ? K extends { kind: infer N } ? N : never : never;

export type { CredentialFacts, VendorFacts } from './types';
export { ATLAS, type AtlasApiVersion, type AtlasOrgRole } from './atlas';
export { EDGE_IMPULSE, type EdgeImpulseRole } from './edgeimpulse';
export { OPENAI } from './openai';
