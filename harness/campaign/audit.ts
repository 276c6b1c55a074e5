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
  /** `previous_key.id`: the key a rotation replaced, kept (without its secret) until its overlap ends. */
  previousId?: string | null;
}

/** A rotation the trial's rotating apply was due to make. */
export interface DueRotation {
  /** The resource rotated, e.g. apikeys_openai_admin_key.admin_0. */
  address: string;
  /** Its current key before the rotating apply: the one the rotation replaces. */
  oldId: string;
  /** Overlap above 0s: the old key is kept as previous_key; with 0s it is revoked once the new key exists. */
  keepsPrevious: boolean;
}

/** What the audit needs to judge rotations, besides the final views. */
export interface RotationViews {
  due: readonly DueRotation[];
  /** Every key a state entry tracked (as current or previous key) before the rotating apply. */
  trackedBefore: readonly string[];
  /** The vendor and the state right after the rotating apply (after a kill: once the provider processes are gone). */
  after: MomentView;
  /**
   * The same right after each further rotating apply (a kill trial kills the apply after the first too, while
   * rotations are still due): a rotation must have a working key or its old key at every one of these moments.
   */
  later?: readonly MomentView[];
}

/** The vendor's live keys and the state at one moment, with the state's secrets checked against the keys they claim. */
export interface MomentView {
  vendor: readonly VendorKey[];
  state: readonly StateKey[];
  secretIsRight: (key: VendorKey, secret: string) => boolean;
}

export interface AuditCounts {
  keys: number;
  lost: number;
  duplicates: number;
  orphans: number;
  wrongSecrets: number;
  failedToConverge: number;
  /** Rotations the rotating apply was due to make (0 in trials without one). */
  rotations: number;
  /** Of those, how many the rotating apply itself made: its state holds a new key right after it. */
  rotatedInApply: number;
  /** Of those, how many resources ended (after the clean applies) with a new key. */
  rotated: number;
  /** Keys a state tracked before the rotating apply that are live at the end and that no state tracks (also orphans). */
  previousLost: number;
  /**
   * Rotations with an overlap that ended the rotating apply (or a later one, see RotationViews.later) with neither a
   * working key in state nor the old key live and tracked; counted once per rotation.
   */
  bothLost: number;
  /** The same for rotations with overlap 0s, whose old key is revoked by design: a kill -9 after that revocation leaves no working key until the next apply. */
  bothLostAtOnce: number;
}

export interface Audit extends AuditCounts {
  /** One line per finding, naming the key (never its secret). */
  findings: string[];
}

export const ZERO_COUNTS: AuditCounts = {
  keys: 0, lost: 0, duplicates: 0, orphans: 0, wrongSecrets: 0, failedToConverge: 0, rotations: 0, rotatedInApply: 0, rotated: 0, previousLost: 0, bothLost: 0, bothLostAtOnce: 0,
};

const identity = (key: { family: Family; scope: string; name: string }) => `${key.family} ${key.scope} "${key.name}"`;

/**
 * - lost: a live vendor key this trial made that is not in state with its secret
 *   (an orphan, or a state entry without a secret); a key a state tracks as
 *   `previous_key` is kept without its secret by design, so it is not lost;
 * - duplicates: live keys beyond the first for one declared identity, not
 *   counting keys tracked as a previous key (a rotation's overlap);
 * - orphans: live keys this trial made that no state entry tracks, neither as
 *   its key nor as its previous key;
 * - wrongSecrets: state secrets that fail `secretIsRight` (authenticate, or match
 *   the vendor's redacted form);
 * - failedToConverge: 1 when a clean plan did not exit 0 within the allowed applies;
 * - with `rotation` (a trial whose faulty or killed apply rotates keys):
 *   - previousLost: orphans that a state tracked before the rotating apply
 *     (the key a rotation replaced, or the previous key it was to revoke);
 *   - bothLost / bothLostAtOnce: rotations that ended, right after the
 *     rotating apply (or right after any later one), with neither key: the
 *     state's key is not live with its secret, and the old key is not live and
 *     tracked (as current or previous key); once per rotation. Split by
 *     overlap: with 0s the old key's revocation is planned.
 *   - rotatedInApply / rotated: resources whose key right after the rotating
 *     apply / at the end is not the one they had before.
 */
export function audit(input: {
  declared: readonly DeclaredKey[];
  vendor: readonly VendorKey[];
  state: readonly StateKey[];
  converged: boolean;
  /** Whether a state secret is the right one for the live key it claims (computed by the caller). */
  secretIsRight: (key: VendorKey, secret: string) => boolean;
  rotation?: RotationViews;
}): Audit {
  const findings: string[] = [];
  const stateById = new Map(input.state.filter((entry) => entry.id).map((entry) => [entry.id!, entry]));
  const previousOf = new Map(input.state.filter((entry) => entry.previousId).map((entry) => [entry.previousId!, entry]));
  const trackedBefore = new Set(input.rotation?.trackedBefore ?? []);
  let lost = 0;
  let orphans = 0;
  let wrongSecrets = 0;
  let previousLost = 0;
  for (const key of input.vendor) {
    const tracked = stateById.get(key.id);
    if (!tracked && previousOf.has(key.id)) continue; // kept for a rotation's overlap: tracked, its secret deliberately not kept
    if (!tracked) {
      orphans++;
      lost++;
      if (trackedBefore.has(key.id)) {
        previousLost++;
        findings.push(`previous key lost: ${identity(key)} ${key.id} was tracked before the rotating apply and is live at the vendor, but no state tracks it (neither as key nor as previous_key)`);
      } else {
        findings.push(`orphan: ${identity(key)} ${key.id} is live at the vendor and in no state`);
      }
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
    const live = input.vendor.filter((key) => key.family === declared.family && key.scope === declared.scope && key.name === declared.name &&
      !(previousOf.has(key.id) && !stateById.has(key.id)));
    if (live.length > 1) {
      duplicates += live.length - 1;
      findings.push(`duplicate: ${identity(declared)} has ${live.length} live keys (${live.map((key) => key.id).join(', ')})`);
    }
  }
  const rotations = judgeRotations(input.rotation, input.state, findings);
  if (!input.converged) findings.push('failed to converge: a clean plan still had changes after 2 clean applies');
  return {
    keys: input.declared.length, lost, duplicates, orphans, wrongSecrets, failedToConverge: input.converged ? 0 : 1, previousLost, ...rotations, findings,
  };
}

/** The rotations' counts: how many were due, how many resources ended rotated, and which ended right after the rotating apply with neither key. */
function judgeRotations(views: RotationViews | undefined, finalState: readonly StateKey[], findings: string[]): Pick<AuditCounts, 'rotations' | 'rotatedInApply' | 'rotated' | 'bothLost' | 'bothLostAtOnce'> {
  if (!views) return { rotations: 0, rotatedInApply: 0, rotated: 0, bothLost: 0, bothLostAtOnce: 0 };
  const moments = [views.after, ...(views.later ?? [])];
  let rotated = 0;
  let rotatedInApply = 0;
  let bothLost = 0;
  let bothLostAtOnce = 0;
  for (const rotation of views.due) {
    const final = finalState.find((entry) => entry.address === rotation.address);
    if (final?.id && final.id !== rotation.oldId) rotated++;
    const first = views.after.state.find((candidate) => candidate.address === rotation.address);
    if (first?.id && first.id !== rotation.oldId) rotatedInApply++;
    for (const [index, { vendor, state, secretIsRight }] of moments.entries()) {
      const live = new Map(vendor.map((key) => [key.id, key]));
      const entry = state.find((candidate) => candidate.address === rotation.address);
      const current = entry?.id ? live.get(entry.id) : undefined;
      const working = current !== undefined && entry!.secret !== null && secretIsRight(current, entry!.secret);
      const oldKept = live.has(rotation.oldId) && (entry?.id === rotation.oldId || entry?.previousId === rotation.oldId);
      if (working || oldKept) continue;
      if (rotation.keepsPrevious) bothLost++;
      else bothLostAtOnce++;
      const newKey = !entry ? 'no state entry' : !entry.id ? 'no key in state' : !current ? `its key ${entry.id} is not live` : `its key ${entry.id} is in state without its right secret`;
      const oldKey = !live.has(rotation.oldId) ? 'revoked' : 'live but not tracked';
      const when = index === 0 ? 'the rotating apply' : `rotating apply ${index + 1}`;
      findings.push(`both lost: the rotation of ${rotation.address} (overlap ${rotation.keepsPrevious ? 'kept' : '0s'}) ended ${when} with neither key: ${newKey}, and its old key ${rotation.oldId} is ${oldKey}`);
      break; // once per rotation
    }
  }
  return { rotations: views.due.length, rotatedInApply, rotated, bothLost, bothLostAtOnce };
}

export function addCounts(total: AuditCounts, more: AuditCounts): AuditCounts {
  const sum = { ...total };
  for (const name of Object.keys(ZERO_COUNTS) as (keyof AuditCounts)[]) sum[name] = total[name] + more[name];
  return sum;
}

/**
 * No finding: nothing lost, duplicated, orphaned or wrong, converged, and no rotation that ended with neither key.
 * (bothLostAtOnce is left to the caller: after a kill -9 it is a documented bound, under faults a failure.)
 */
export const isClean = (counts: AuditCounts): boolean =>
  counts.lost === 0 && counts.duplicates === 0 && counts.orphans === 0 && counts.wrongSecrets === 0 && counts.failedToConverge === 0 &&
  counts.previousLost === 0 && counts.bothLost === 0;
