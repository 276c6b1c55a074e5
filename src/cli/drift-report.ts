import { findingsFor, rotationOf, type FindingKind } from '../provider/keys/lifecycle';
import type { CtyObject } from '../provider/cty/value';
import { lifecycleSettingsOf } from '../provider/keys/rotation';

/**
 * What a saved plan says about drift, from `terraform show -json <planfile>`:
 * per resource the change Terraform would make, the undeclared keys named
 * by failing check blocks, and the keys the plan's lifecycle rules flag. It
 * carries addresses, types, provider aliases, vendor key ids and dates,
 * never other attribute values (secrets live there).
 */
export type ChangeKind = 'create' | 'update' | 'replace' | 'destroy';

export interface ResourceDrift {
  /** What the next apply would do. */
  readonly kind: ChangeKind;
  readonly address: string;
  /** The resource type, e.g. apikeys_openai_admin_key. */
  readonly family: string;
  /** The resource's named connection, which the library names after the organization (else its provider alias); null for neither. */
  readonly organization: string | null;
  /** What happened outside Terraform, when the refresh saw it. */
  readonly changedOutside: 'deleted' | 'updated' | null;
}

export interface UndeclaredKeys {
  /** The check that found them, e.g. check.acme_undeclared_admin_keys_1A2B3C. */
  readonly check: string;
  readonly organization: string | null;
  /** The key family listed, e.g. openai_admin_key. */
  readonly family: string | null;
  /** Vendor ids of the keys nobody declared. */
  readonly ids: string[];
  /** The check's own message. */
  readonly message: string;
}

/** A key the plan's lifecycle rules flag, as its warning says. */
export interface LifecycleFinding {
  readonly address: string;
  readonly family: string;
  readonly organization: string | null;
  /** The vendor's key id. */
  readonly id: string | null;
  /** When: the expiry, the last use, or when the rotation fell due (ISO 8601). */
  readonly date: string;
  readonly message: string;
}

/** The lifecycle lists of a report, named after the audit's findings. */
export type LifecycleLists = Record<FindingKind, LifecycleFinding[]>;

export interface DriftReport {
  readonly stack: string;
  readonly inSync: boolean;
  readonly counts: Record<ChangeKind, number> & { undeclaredKeys: number };
  readonly resources: ResourceDrift[];
  readonly undeclaredKeys: UndeclaredKeys[];
  /**
   * Undeclared-key checks that could not run in this plan: a listing needs the ids of the
   * declared keys, so while one waits to be (re)created the check waits for the apply.
   */
  readonly deferredChecks: string[];
  /** Keys due for rotation, expired, expiring within expiry_warning, unused for longer than stale_after. */
  readonly lifecycle: LifecycleLists;
}

interface PlanResource {
  address: string; mode?: string; type: string; provider_config_key?: string; values?: Record<string, unknown>;
  expressions?: Record<string, { constant_value?: unknown }>;
}
interface PlanChange { address: string; mode?: string; type: string; change?: { actions?: string[]; before?: Record<string, unknown> | null } }
interface PlanCheck {
  address?: { to_display?: string; name?: string; kind?: string };
  status?: string;
  instances?: { status?: string; problems?: { message?: string }[] }[];
}
export interface PlanJson {
  /** When the plan was made: the clock of its lifecycle decisions. */
  timestamp?: string;
  resource_changes?: PlanChange[];
  resource_drift?: PlanChange[];
  configuration?: { root_module?: ConfigModule; provider_config?: Record<string, { name?: string; alias?: string; expressions?: Record<string, { constant_value?: unknown }> }> };
  prior_state?: { values?: { root_module?: StateModule } };
  checks?: PlanCheck[];
}
interface ConfigModule { resources?: PlanResource[]; module_calls?: Record<string, { module?: ConfigModule }> }
interface StateModule { resources?: PlanResource[]; child_modules?: StateModule[] }

function changeKind(actions: string[]): ChangeKind | undefined {
  const has = (action: string) => actions.includes(action);
  if (has('create') && has('delete')) return 'replace';
  if (has('create')) return 'create';
  if (has('update')) return 'update';
  if (has('delete')) return 'destroy';
  return undefined; // no-op, read, forget
}

/**
 * The organization a configured resource belongs to: its named connection
 * (`connection_name = "acme"`, how the library names organizations), else its
 * provider alias (configurations with one aliased provider per organization).
 */
function organizationOf(resource: PlanResource | undefined): string | null {
  const connection = resource?.expressions?.connection_name?.constant_value;
  return typeof connection === 'string' ? connection : aliasOf(resource?.provider_config_key);
}

/** provider_config_key "apikeys.acme" (or "module.x:apikeys.acme") → "acme". */
function aliasOf(providerConfigKey: string | undefined): string | null {
  const key = providerConfigKey?.split(':').pop();
  const dot = key?.indexOf('.') ?? -1;
  return key && dot > 0 ? key.slice(dot + 1) : null;
}

function configuredResources(module: ConfigModule | undefined, prefix = ''): Map<string, PlanResource> {
  const byAddress = new Map<string, PlanResource>();
  for (const resource of module?.resources ?? []) byAddress.set(prefix + resource.address, resource);
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    for (const [address, resource] of configuredResources(call.module, `${prefix}module.${name}.`)) byAddress.set(address, resource);
  }
  return byAddress;
}

function stateResources(module: StateModule | undefined): PlanResource[] {
  return [...(module?.resources ?? []), ...(module?.child_modules ?? []).flatMap(stateResources)];
}

/** "… declares: id1, id2. Declare them…" → [id1, id2], when the listing itself is not in the plan. */
function idsFromMessage(message: string): string[] {
  const listed = /:\s*([^:]*?)\.\s+Declare\b/.exec(message)?.[1] ?? '';
  return listed.split(',').map((id) => id.trim()).filter(Boolean);
}

/** Strips "[0]" and module paths from a configuration address, to find a resource's configuration. */
const configAddress = (address: string): string => address.replace(/\[[^\]]*\]/g, '');

export function driftReport(stack: string, plan: PlanJson): DriftReport {
  const configuration = configuredResources(plan.configuration?.root_module);
  const outside = new Map<string, ResourceDrift['changedOutside']>();
  for (const drift of plan.resource_drift ?? []) {
    const actions = drift.change?.actions ?? [];
    outside.set(drift.address, actions.includes('delete') ? 'deleted' : actions.includes('update') ? 'updated' : null);
  }
  const resources: ResourceDrift[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === 'data') continue;
    const kind = changeKind(change.change?.actions ?? []);
    if (!kind) continue;
    resources.push({
      kind,
      address: change.address,
      family: change.type,
      organization: organizationOf(configuration.get(configAddress(change.address))),
      changedOutside: outside.get(change.address) ?? null,
    });
  }

  const listings = new Map(stateResources(plan.prior_state?.values?.root_module)
    .filter((resource) => resource.mode === 'data')
    .map((resource) => [resource.address, resource]));
  const undeclaredKeys: UndeclaredKeys[] = [];
  const deferredChecks = (plan.checks ?? [])
    .filter((check) => check.address?.kind === 'check' && check.status === 'unknown')
    .map((check) => check.address?.to_display ?? `check.${check.address?.name ?? ''}`);
  for (const check of plan.checks ?? []) {
    if (check.address?.kind !== 'check' || check.status !== 'fail') continue;
    const name = check.address.name ?? '';
    const message = (check.instances ?? []).flatMap((instance) => instance.problems ?? []).map((problem) => problem.message ?? '').join(' ').trim();
    // The library names each check after its listing data source.
    const listingAddress = [...listings.keys()].find((address) => address.endsWith(`.${name}`));
    const listing = listingAddress === undefined ? undefined : listings.get(listingAddress);
    const listedIds = listing?.values?.unmanaged_ids;
    undeclaredKeys.push({
      check: check.address.to_display ?? `check.${name}`,
      organization: organizationOf(listingAddress === undefined ? undefined : configuration.get(listingAddress)),
      family: typeof listing?.values?.family === 'string' ? listing.values.family : null,
      ids: Array.isArray(listedIds) ? listedIds.map(String) : idsFromMessage(message),
      message,
    });
  }

  const counts = { create: 0, update: 0, replace: 0, destroy: 0, undeclaredKeys: 0 };
  for (const resource of resources) counts[resource.kind] += 1;
  counts.undeclaredKeys = undeclaredKeys.reduce((total, found) => total + Math.max(found.ids.length, 1), 0);
  const inSync = resources.length === 0 && undeclaredKeys.length === 0;
  return { stack, inSync, counts, resources, undeclaredKeys, deferredChecks, lifecycle: lifecycleLists(plan, configuration) };
}

const isoDay = (ms: number): string => new Date(ms).toISOString();

/**
 * The plan's lifecycle warnings as data: each key's refreshed state judged
 * by the rules the provider warns with, at the plan's time, with the
 * thresholds of its provider block (a literal `expiry_warning` or `stale_after`).
 */
function lifecycleLists(plan: PlanJson, configuration: Map<string, PlanResource>): LifecycleLists {
  const lists: LifecycleLists = { rotationDue: [], expired: [], expiring: [], stale: [] };
  const now = plan.timestamp !== undefined && Number.isFinite(Date.parse(plan.timestamp)) ? Date.parse(plan.timestamp) : Date.now();
  const settingsOf = (providerKey: string | undefined) => {
    const expressions = plan.configuration?.provider_config?.[providerKey ?? 'apikeys']?.expressions ?? {};
    return lifecycleSettingsOf({ expiry_warning: expressions.expiry_warning?.constant_value, stale_after: expressions.stale_after?.constant_value } as CtyObject);
  };
  const dateOf = (value: unknown): number | undefined => (typeof value === 'string' && Number.isFinite(Date.parse(value)) ? Date.parse(value) : undefined);
  for (const change of plan.resource_changes ?? []) {
    const before = change.change?.before;
    if (change.mode === 'data' || !change.type.startsWith('apikeys_') || !before || !('created_at' in before)) continue;
    const resource = configuration.get(configAddress(change.address));
    const dates = { createdAt: dateOf(before.created_at), expiresAt: dateOf(before.expires_at), lastUsedAt: dateOf(before.last_used_at) };
    for (const finding of findingsFor(now, dates, settingsOf(resource?.provider_config_key?.split(':').pop()), rotationOf(before.rotation))) {
      lists[finding.kind].push({
        address: change.address, family: change.type, organization: organizationOf(resource),
        id: typeof before.id === 'string' ? before.id : null, date: isoDay(finding.at), message: finding.says,
      });
    }
  }
  return lists;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** drift: 2 to create, 1 to update, 0 to replace, 0 to destroy, 1 undeclared key (stack apikeys) */
export function summaryLine(report: DriftReport): string {
  const { create, update, replace, destroy, undeclaredKeys } = report.counts;
  const verdict = report.inSync ? 'in sync' : 'drift';
  return `${verdict}: ${create} to create, ${update} to update, ${replace} to replace, ${destroy} to destroy, ` +
    `${plural(undeclaredKeys, 'undeclared key', 'undeclared keys')} (stack ${report.stack})`;
}

const cell = (text: string | null): string => (text ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A GitHub step summary: the verdict, then one table row per change and per undeclared key. */
export function markdownSummary(report: DriftReport): string {
  const lines = [`### apikeys drift: stack \`${report.stack}\``, '', `**${report.inSync ? 'In sync' : 'Drift found'}**: ${summaryLine(report).replace(/^[^:]*: /, '')}`, ''];
  if (report.resources.length > 0) {
    lines.push('| Change | Address | Family | Organization | Outside Terraform |', '|---|---|---|---|---|');
    for (const resource of report.resources) {
      lines.push(`| ${resource.kind} | \`${cell(resource.address)}\` | ${cell(resource.family)} | ${cell(resource.organization)} | ${cell(resource.changedOutside)} |`);
    }
    lines.push('');
  }
  if (report.undeclaredKeys.length > 0) {
    lines.push('| Undeclared keys | Organization | Family |', '|---|---|---|');
    for (const found of report.undeclaredKeys) lines.push(`| ${cell(found.ids.join(', ') || found.message)} | ${cell(found.organization)} | ${cell(found.family)} |`);
    lines.push('');
  }
  const flagged = (Object.entries(report.lifecycle) as [string, LifecycleFinding[]][]).flatMap(([kind, found]) => found.map((finding) => ({ kind, ...finding })));
  if (flagged.length > 0) {
    lines.push('| Lifecycle | Address | Organization | Date | Detail |', '|---|---|---|---|---|');
    for (const finding of flagged) {
      lines.push(`| ${finding.kind} | \`${cell(finding.address)}\` | ${cell(finding.organization)} | ${finding.date.slice(0, 10)} | ${cell(finding.message)} |`);
    }
    lines.push('');
  }
  if (report.deferredChecks.length > 0) {
    lines.push(`${report.deferredChecks.length} undeclared-key check(s) wait for the apply: a declared key must be (re)created first.`, '');
  }
  return `${lines.join('\n')}\n`;
}
