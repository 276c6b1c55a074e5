/**
 * The campaign's verdict, as a pure function of three views: the keys the
 * configuration declares, the keys the vendor has (its truth, read through
 * the emulator), and what Terraform's state holds. Kept free of I/O so its
 * detection of every failure class is unit-tested on its own.
 */

export type Family = 'openai_admin' | 'openai_project' | 'edgeimpulse' | 'atlas';

/** A key the configuration declares: one vendor key may exist per (family, scope, name). */
export interface DeclaredKey {
  family: Family;
  /** Organization or project the key lives in ("org" for OpenAI admin keys). */
  scope: string;
  name: string;
  /** Terraform resource address, e.g. apikeys_openai_admin_key.admin_0. */
  address: string;
}

/** A live key at the vendor, as its listing shows it (never a full secret). */
export interface VendorKey {
  family: Family;
  scope: string;
  name: string;
  id: string;
  /** The masked form the vendor shows, when it shows one. */
  redacted?: string;
}

/** One resource instance of Terraform's state. */
export interface StateKey {
  address: string;
  id: string | null;
  secret: string | null;
}

export interface AuditCounts {
  keys: number;
  lost: number;
  duplicates: number;
  orphans: number;
  wrongSecrets: number;
  failedToConverge: number;
}

export interface Audit extends AuditCounts {
  /** One line per finding, naming the key (never its secret). */
  findings: string[];
}

export const ZERO_COUNTS: AuditCounts = { keys: 0, lost: 0, duplicates: 0, orphans: 0, wrongSecrets: 0, failedToConverge: 0 };

const identity = (key: { family: Family; scope: string; name: string }) => `${key.family} ${key.scope} "${key.name}"`;

/**
 * - lost: a live vendor key this trial made that is not in state with its secret
 *   (an orphan, or a state entry without a secret);
 * - duplicates: live keys beyond the first for one declared identity;
 * - orphans: live keys this trial made that no state entry tracks;
 * - wrongSecrets: state secrets that fail `secretIsRight` (authenticate, or match
 *   the vendor's redacted form);
 * - failedToConverge: 1 when a clean plan did not exit 0 within the allowed applies.
 */
export function audit(input: {
  declared: readonly DeclaredKey[];
  vendor: readonly VendorKey[];
  state: readonly StateKey[];
  converged: boolean;
  /** Whether a state secret is the right one for the live key it claims (computed by the caller). */
  secretIsRight: (key: VendorKey, secret: string) => boolean;
}): Audit {
  const findings: string[] = [];
  const stateById = new Map(input.state.filter((entry) => entry.id).map((entry) => [entry.id!, entry]));
  let lost = 0;
  let orphans = 0;
  let wrongSecrets = 0;
  for (const key of input.vendor) {
    const tracked = stateById.get(key.id);
    if (!tracked) {
      orphans++;
      lost++;
      findings.push(`orphan: ${identity(key)} ${key.id} is live at the vendor and in no state`);
      continue;
    }
    if (!tracked.secret) {
      lost++;
      findings.push(`lost secret: ${identity(key)} ${key.id} is in state as ${tracked.address} without its secret`);
      continue;
    }
    if (!input.secretIsRight(key, tracked.secret)) {
      wrongSecrets++;
      findings.push(`wrong secret: ${tracked.address} (${key.id}) holds a secret that is not the key's`);
    }
  }
  let duplicates = 0;
  for (const declared of input.declared) {
    const live = input.vendor.filter((key) => key.family === declared.family && key.scope === declared.scope && key.name === declared.name);
    if (live.length > 1) {
      duplicates += live.length - 1;
      findings.push(`duplicate: ${identity(declared)} has ${live.length} live keys (${live.map((key) => key.id).join(', ')})`);
    }
  }
  if (!input.converged) findings.push('failed to converge: a clean plan still had changes after 2 clean applies');
  return { keys: input.declared.length, lost, duplicates, orphans, wrongSecrets, failedToConverge: input.converged ? 0 : 1, findings };
}

export function addCounts(total: AuditCounts, more: AuditCounts): AuditCounts {
  return {
    keys: total.keys + more.keys,
    lost: total.lost + more.lost,
    duplicates: total.duplicates + more.duplicates,
    orphans: total.orphans + more.orphans,
    wrongSecrets: total.wrongSecrets + more.wrongSecrets,
    failedToConverge: total.failedToConverge + more.failedToConverge,
  };
}

export const isClean = (counts: AuditCounts): boolean =>
  counts.lost === 0 && counts.duplicates === 0 && counts.orphans === 0 && counts.wrongSecrets === 0 && counts.failedToConverge === 0;
