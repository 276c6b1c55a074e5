/**
 * What each vendor's secrets look like, as regular-expression sources: the
 * redactor scrubs them from text, the manifest loader refuses them (a
 * manifest lives in git), and no validation message repeats a value that
 * matches. Real keys are long: 16+ characters after a prefix keeps hints
 * such as "sk-admin-..." readable.
 *
 * These are vendor facts (each vendor's facts file refers to its entry), kept
 * in this data-only module, which imports nothing: the rules that every facts
 * file is built from quote values through these patterns, so the patterns
 * must exist before any facts file does.
 */
export const SECRET_FORMATS = {
  // Admin, project and service-account keys: sk-admin-..., sk-proj-..., sk-svcacct-...
  openai: [String.raw`\bsk-[A-Za-z0-9_-]{16,}`],
  // Organization keys, generated or caller-chosen: ei_...
  edgeimpulse: [String.raw`\bei_[A-Za-z0-9_-]{16,}`],
  atlas: [
    String.raw`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`, // private keys (UUIDs)
    String.raw`\bmdb_sa_sk_[A-Za-z0-9_-]{16,}`, // service-account client secrets
  ],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/**
 * age identities (private keys): `AGE-SECRET-KEY-1...` (and the post-quantum
 * `AGE-SECRET-KEY-PQ-1...`), bech32, upper case as age-keygen writes them or
 * lower case. Not a vendor's key, but a secret all the same: an identity pasted
 * where a recipient belongs (`secret_recipients`) is refused and never repeated.
 */
export const AGE_IDENTITY_FORMATS = [String.raw`\b(?:AGE-SECRET-KEY-(?:PQ-)?1[02-9AC-HJ-NP-Z]{16,}|age-secret-key-(?:pq-)?1[02-9ac-hj-np-z]{16,})`] as const;
