import type { ProviderContext } from '../context';
import type { VendorConnection } from '../connections/connection';
import type { ResourceDefinition } from '../framework/resource';
import type { KeyDates } from '../keys/lifecycle';

/**
 * One vendor's part of the provider, all from its folder
 * (src/provider/families/<vendor>/): how it connects (facts, settings,
 * clients), its resources, and its key families' listings for the
 * apikeys_organization_keys data source. The registry (../provider.ts)
 * lists the families and composes the provider from them; nothing else
 * names every vendor.
 */
export interface ProviderFamily<Clients = any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- families with different client types
  readonly connection: VendorConnection<Clients>;
  readonly resources: readonly ResourceDefinition<any, ProviderContext>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- resources of different state types
  /** Listing hooks by key family name (the data source's `family`, e.g. "openai_admin_key"). */
  readonly listings: { readonly [family: string]: KeyListing<Clients> };
}

/** The scope arguments of the data source a key family needs. */
export type ScopeArgument = 'organization_id' | 'project_id';
export type Scope = { readonly [argument in ScopeArgument]?: string };

/** One key as the data source shows it: the same fields for every family, never a secret. */
export interface KeySummary {
  id: string;
  name: string | null;
  redacted_value: string | null;
  created_at: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  /** Who owns or created the key, as the vendor reports it (user, service account...). */
  owner: string | null;
  roles: string[];
  /** The key's public half, where the vendor has one (an Atlas public key); null otherwise. */
  public_key: string | null;
}

/** How the data source lists one key family: its half of apikeys_organization_keys. */
export interface KeyListing<Clients> {
  /** The scope arguments this family needs, e.g. organization_id. */
  readonly scope: readonly ScopeArgument[];
  /** How messages name the listing when the configuration gives no label. */
  label(scope: Scope): string;
  /** The id `terraform import` takes for a key of this family (as the resource's importState reads it). */
  importId(scope: Scope, id: string): string;
  /** What the listing is about, for refusals: "organization 4242", "project proj_abc". */
  where(scope: Scope): string;
  /** Every key, through the connection's shared inventory; throws a ConfigurationError when the scope is not valid. */
  list(clients: Clients, scope: Scope): Promise<KeySummary[]>;
  /**
   * Revokes a listed key of the scope, the way the vendor revokes that kind of key (an OpenAI service account's
   * key goes with its account); a key already gone counts as revoked.
   */
  revoke(clients: Clients, scope: Scope, id: string): Promise<void>;
}

/** Unix seconds or a date string, as RFC 3339, so every family reads the same. */
export function toTimestamp(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace(/\.000Z$/, 'Z');
}

/** `<scope>/<id>` (e.g. `proj_abc/key_xyz`), when both parts pass their checks; undefined otherwise. */
export function parseScopedId(id: string, isScope: (part: string) => boolean, isId: (part: string) => boolean): { scope: string; id: string } | undefined {
  const [scope, keyId, ...rest] = id.split('/');
  return rest.length === 0 && scope !== undefined && keyId !== undefined && isScope(scope) && isId(keyId) ? { scope, id: keyId } : undefined;
}

/** Unix seconds as ms, for the lifecycle (null or absent: the vendor does not say). */
const unixMs = (value: unknown): number | undefined => (typeof value === 'number' ? value * 1000 : undefined);
/** RFC 3339 as ms. */
export const rfc3339Ms = (value: unknown): number | undefined => {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? at : undefined;
};

/** The lifecycle dates of a state whose `created_at`, `expires_at` and `last_used_at` are Unix seconds (OpenAI's). */
export const unixDates = (state: { created_at?: unknown; expires_at?: unknown; last_used_at?: unknown }): KeyDates =>
  ({ createdAt: unixMs(state.created_at), expiresAt: unixMs(state.expires_at), lastUsedAt: unixMs(state.last_used_at) });

/** The lifecycle dates of a state whose `created_at`, `expires_at` and `last_used_at` are RFC 3339 strings. */
export const isoDates = (state: { created_at?: unknown; expires_at?: unknown; last_used_at?: unknown }): KeyDates =>
  ({ createdAt: rfc3339Ms(state.created_at), expiresAt: rfc3339Ms(state.expires_at), lastUsedAt: rfc3339Ms(state.last_used_at) });
