/**
 * The shape of one vendor's facts. Each vendor keeps its facts (limits, id
 * patterns, roles, credential kinds, what its secrets look like) as data in
 * one file, src/core/facts/<vendor>.ts; the provider, the library, the manifest
 * schema, the emulator and redaction read them from there.
 */
export interface CredentialFacts {
  /** The credential kind, e.g. "openai_admin_key"; also the provider attribute's name without its vendor prefix. */
  readonly kind: string;
  /** What the credential is, for messages and docs. */
  readonly label: string;
  /** Variable read when nothing names another one. */
  readonly defaultEnv: string;
  /** A variable holding this kind must end with one of these (the operator's policy, src/core/security/policy.ts). */
  readonly envSuffixes: readonly string[];
}

export interface VendorFacts {
  /** Lower-case identifier: the prefix of provider attributes and the manifest's `vendor`. */
  readonly vendor: string;
  /** The vendor's name in prose. */
  readonly label: string;
  /** The documented API base URL; its host is always allowed over https. */
  readonly defaultBaseUrl: string;
  /** Environment variable an operator sets to point the vendor elsewhere (an allowed host). */
  readonly baseUrlEnv: string;
  /** The credentials a connection uses, by attribute name within a connection (e.g. "admin_key"). */
  readonly credentials: { readonly [attribute: string]: CredentialFacts };
  /** Regular-expression sources matching this vendor's secrets: its entry in ./secret-formats.ts. */
  readonly secretPatterns: readonly string[];
  /** Vendor-specific facts: limits, id patterns, roles, and the rules built from them. */
  readonly [vendorSpecific: string]: unknown;
}
