import { ApiKeysError } from '../../core/errors';
import { redact } from '../../core/security/redaction';
import { ProviderContext } from '../../provider/context';
import type { CtyObject } from '../../provider/cty/value';
import { familyListings, listKeys, type FamilyListing, type ListedKey } from '../../provider/families/listings';
import { findingsFor, rotationOf, type FindingKind, type LifecycleSettings } from '../../provider/keys/lifecycle';
import { PROVIDER_FAMILIES } from '../../provider/provider';

/**
 * `apikeys audit`: every key of every organization (and project) a stack
 * reaches, read-only, with the provider's own connections, listings and
 * lifecycle rules, so the audit and the plan's warnings judge alike. No
 * Terraform and no state: a key counts as declared when the stack declares
 * a key of its name in its scope.
 */

type Attributes = Record<string, unknown>;

/** The parts of a synthesized stack the audit reads. */
export interface AuditedStackJson {
  provider?: { apikeys?: Attributes[] | Attributes };
  resource?: Record<string, Record<string, Attributes>>;
  data?: Record<string, Record<string, Attributes>>;
}

export type KeyStatus = 'declared' | 'undeclared' | 'ignored';
export type AuditFinding = FindingKind | 'undeclared';

export interface AuditedKey {
  /** The organization as the manifest names it (the connection's label). */
  readonly organization: string;
  /** The key family, e.g. "openai_admin_key". */
  readonly family: string;
  /** The project, for project keys. */
  readonly project: string | null;
  readonly id: string;
  readonly name: string | null;
  readonly redactedValue: string | null;
  readonly createdAt: string | null;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly status: KeyStatus;
  /** The key the pipeline authenticates with, where it can be told (its redacted form or public key matches). */
  readonly credential: boolean;
  readonly findings: readonly AuditFinding[];
}

export interface AuditedOrganization {
  readonly organization: string;
  readonly family: string;
  readonly scope: string;
  readonly keys: number;
  /** Why this organization could not be listed; the audit of the others goes on. */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface AuditReport {
  readonly keys: readonly AuditedKey[];
  readonly organizations: readonly AuditedOrganization[];
}

export interface AuditOptions {
  readonly settings: LifecycleSettings;
  /** Organizations listed at once. */
  readonly concurrency?: number;
  /** The clock of the findings. */
  readonly now?: number;
  /** Called as each listing ends, for a progress line. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One listing to make: a family, a connection, a scope, and what the stack declares and ignores there. */
interface AuditScope {
  readonly family: string;
  readonly listing: FamilyListing;
  readonly connection: string | null;
  readonly organizationId?: string;
  readonly projectId?: string;
  readonly declared: Map<string, unknown>;
  readonly ignore: Set<string>;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const text = (value: unknown): string | undefined => (typeof value === 'string' && !value.includes('${') ? value : typeof value === 'number' ? String(value) : undefined);

/** The name a key resource gives its key: Atlas keys are named by their description. */
const declaredName = (attributes: Attributes): string | undefined => text(attributes.name) ?? text(attributes.description);

/** The scopes of a stack: one per undeclared-keys listing, and one per scope its key resources use. */
function scopesOf(stack: AuditedStackJson, listings: ReadonlyMap<string, FamilyListing>): AuditScope[] {
  const scopes = new Map<string, AuditScope>();
  const scopeFor = (family: string, attributes: Attributes): AuditScope | undefined => {
    const listing = listings.get(family);
    if (!listing) return undefined;
    const connection = text(attributes.connection_name) ?? null;
    const organizationId = listing.listing.scope.includes('organization_id') ? text(attributes.organization_id) : undefined;
    const projectId = listing.listing.scope.includes('project_id') ? text(attributes.project_id) : undefined;
    const key = JSON.stringify([family, connection, organizationId ?? null, projectId ?? null]);
    if (!scopes.has(key)) scopes.set(key, { family, listing, connection, organizationId, projectId, declared: new Map(), ignore: new Set() });
    return scopes.get(key);
  };
  for (const attributes of Object.values(stack.data?.apikeys_organization_keys ?? {})) {
    const scope = typeof attributes.family === 'string' ? scopeFor(attributes.family, attributes) : undefined;
    if (!scope) continue;
    for (const value of asList(attributes.ignore as string[] | undefined)) if (typeof value === 'string') scope.ignore.add(value);
    for (const name of Object.values((attributes.declared_keys ?? {}) as Record<string, unknown>)) if (typeof name === 'string' && !scope.declared.has(name)) scope.declared.set(name, null);
  }
  for (const [type, instances] of Object.entries(stack.resource ?? {})) {
    const family = type.replace(/^apikeys_/, '');
    for (const attributes of Object.values(instances)) {
      const scope = listings.has(family) ? scopeFor(family, attributes) : undefined;
      const name = declaredName(attributes);
      if (scope && name !== undefined) scope.declared.set(name, attributes.rotation ?? null);
    }
  }
  return [...scopes.values()];
}

/** Runs `work` on every item, at most `limit` at once. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const ms = (value: string | null): number | undefined => (value === null ? undefined : Number.isFinite(Date.parse(value)) ? Date.parse(value) : undefined);

function audited(scope: AuditScope, key: ListedKey, now: number, settings: LifecycleSettings): AuditedKey {
  const declaredHere = key.name !== null && scope.declared.has(key.name);
  // The key the connection authenticates with is expected: ignored, as ignoreUndeclared would.
  const ignored = key.credential || scope.ignore.has(key.id) || (key.name !== null && scope.ignore.has(key.name));
  const status: KeyStatus = declaredHere ? 'declared' : ignored ? 'ignored' : 'undeclared';
  const rotation = declaredHere ? rotationOf(scope.declared.get(key.name!)) : undefined;
  const dates = { createdAt: ms(key.created_at), expiresAt: ms(key.expires_at), lastUsedAt: ms(key.last_used_at) };
  return {
    organization: scope.connection ?? '(default connection)',
    family: scope.family,
    project: scope.projectId ?? null,
    id: key.id,
    name: key.name,
    redactedValue: key.redacted_value,
    createdAt: key.created_at,
    lastUsedAt: key.last_used_at,
    expiresAt: key.expires_at,
    status,
    credential: key.credential,
    findings: [...(status === 'undeclared' ? ['undeclared' as const] : []), ...findingsFor(now, dates, settings, rotation).map((finding) => finding.kind)],
  };
}

/**
 * Lists every scope of the stack through the provider's connections (the
 * stack's provider block, credentials from `env`), a bounded number at once,
 * and judges each key. A scope that cannot be listed carries its error; the
 * others are still audited.
 */
export async function auditStack(stack: AuditedStackJson, env: NodeJS.ProcessEnv, options: AuditOptions): Promise<AuditReport> {
  const listings = familyListings(PROVIDER_FAMILIES);
  const [providerBlock] = asList(stack.provider?.apikeys).filter((block) => block.alias === undefined);
  const provider = new ProviderContext((providerBlock ?? {}) as CtyObject, { ...env, APIKEYS_CREATE_JOURNAL: '0' });
  const scopes = scopesOf(stack, listings);
  const now = options.now ?? Date.now();
  const keys: AuditedKey[] = [];
  const organizations: AuditedOrganization[] = [];
  let done = 0;
  try {
    await eachBounded(scopes, options.concurrency ?? 8, async (scope) => {
      const scopeText = scope.listing.listing.where({ organization_id: scope.organizationId, project_id: scope.projectId });
      const organization = scope.connection ?? '(default connection)';
      try {
        const listed = await listKeys(provider, scope.listing, { organization_id: scope.organizationId, project_id: scope.projectId }, scope.connection);
        keys.push(...listed.map((key) => audited(scope, key, now, options.settings)));
        organizations.push({ organization, family: scope.family, scope: scopeText, keys: listed.length });
      } catch (error) {
        const code = error instanceof ApiKeysError ? error.code : 'APIKEYS_ERR';
        const message = redact(error instanceof ApiKeysError && error.hint ? `${error.message}. ${error.hint}` : error instanceof Error ? error.message : String(error));
        organizations.push({ organization, family: scope.family, scope: scopeText, keys: 0, error: { code, message } });
      }
      options.onProgress?.(++done, scopes.length);
    });
  } finally {
    provider.stop();
  }
  const order = (a: { organization: string; family: string }, b: { organization: string; family: string }) =>
    a.organization.localeCompare(b.organization) || a.family.localeCompare(b.family);
  return {
    keys: keys.sort((a, b) => order(a, b) || (a.name ?? '').localeCompare(b.name ?? '') || a.id.localeCompare(b.id)),
    organizations: organizations.sort((a, b) => order(a, b) || a.scope.localeCompare(b.scope)),
  };
}
