import type { ProviderContext } from '../context';
import { callThrough, type VendorConnection } from '../connections/connection';
import type { KeyListing, KeySummary, ProviderFamily, Scope } from './family';

/** A key family's listing, with the vendor connection it lists through. */
export interface FamilyListing {
  readonly listing: KeyListing<unknown>;
  readonly vendor: VendorConnection<unknown>;
}

/** A listed key, and whether it could be the credential the connection authenticates with. */
export type ListedKey = KeySummary & { credential: boolean };

/** Every family's listing by its name (the data source's and the pruning's `family`), from the registry's families. */
export function familyListings(families: readonly ProviderFamily[]): ReadonlyMap<string, FamilyListing> {
  return new Map(families.flatMap((family) => Object.entries(family.listings).map(([name, listing]) => [name, { listing, vendor: family.connection }] as const)));
}

/**
 * Every key of the scope through the named connection, oldest first (keys made
 * in the same second keep the vendor's order), each marked when it could be
 * the connection's own credential; a refusal names the credential, the
 * connection and the scope.
 */
export async function listKeys(provider: ProviderContext, { listing, vendor }: FamilyListing, scope: Scope, label: string | null): Promise<ListedKey[]> {
  return callThrough(provider, vendor, label, listing.where(scope), async ({ clients, credential }) => {
    const keys = await listing.list(clients, scope);
    keys.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
    return keys.map((key) => ({ ...key, credential: credential.resembles({ redacted: key.redacted_value, publicKey: key.public_key }) }));
  });
}
