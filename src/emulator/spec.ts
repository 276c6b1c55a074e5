/**
 * What the emulator is told to hold, in its own terms (never a manifest's or
 * an app's: their readers in src/cli translate). Each family turns these
 * fields into its own spec type and checks them (./vendors/<vendor>/provision.ts).
 */
export interface OrganizationFields {
  /** A vendor of src/core/facts. */
  readonly vendor: string;
  /** Names the organization in the emulator's listings and in messages. */
  readonly name: string;
  /** The vendor's id for it, in the vendor's form (a whole number, 24 hex digits...); a new one when omitted. */
  readonly organizationId?: unknown;
  /** The projects it holds, for vendors whose keys live in projects. */
  readonly projectIds?: readonly string[];
  /**
   * The variables its credentials go in, by credential as src/core/facts
   * names them (admin_key, api_key, public_key ...); a credential left out
   * goes in its default variable.
   */
  readonly credentialEnv?: Readonly<Record<string, string | undefined>>;
}

/** A spec the emulator cannot hold: the message names the organization, the field and the fix. */
export class EmulatorSpecError extends Error {}
