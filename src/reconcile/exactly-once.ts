import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateAttemptsExhaustedError, CreateOutcomeAmbiguousError, CreateOutcomeUnknownError, isRefusal, OperationStoppedError, VendorInvalidResponseError,
  VendorResponseError, VendorServerError, VendorUnreachableError,
} from '../core/errors';
import type { ApplyReceipt } from './create-ledger';
import type { CreateJournal } from './create-journal';
import type { Inventory } from './inventory';

/**
 * The one create path every key family uses: a key the vendor made ends up in
 * Terraform state with its secret, or is revoked; never an orphan nobody
 * knows about, never a silent second key.
 *
 * A create is not idempotent. When its outcome is unknown (timeout, reset,
 * lost answer, any 5xx, an unusable 2xx body), the provider finds out what
 * happened before it answers Terraform:
 *  1. before sending, it holds a listing of the scope that is at most
 *     `listingMaxAgeMs` old (the shared inventory, or a fresh one);
 *  2. after the failure it lists again with backoff, for `settleWindowMs` in
 *     all, so a vendor that acts after the provider's timeout is still seen;
 *  3. a key is recognised as this create's own orphan only when it has the
 *     same name in the same scope, was created at or after the request was
 *     sent (minus `clockSkewMs`), is not in the listing from before, and is
 *     not a key this process made for another resource;
 *  4. exactly one such key: it is ours, its secret is lost, so it is revoked
 *     and the create is sent again (at most `maxAttempts` sends in all), with
 *     a warning naming the revoked key. Where the caller chose the secret
 *     (Edge Impulse), the key whose redacted form matches it is adopted with
 *     that secret instead;
 *  5. several such keys, or one that cannot be proven ours: nothing is
 *     revoked (revoking somebody else's key is worse than an orphan), and the
 *     create fails naming every candidate and how to import it;
 *  6. none within the window: the vendor did not act, and the create is sent
 *     again, within the same bound.
 */
export interface ExactlyOnceSettings {
  /** Total time spent re-listing after an unknown outcome before concluding that the vendor did not act. */
  readonly settleWindowMs: number;
  /** Wait before the first re-list; doubles each time. */
  readonly firstRelistDelayMs: number;
  /** Ceiling of one wait between re-lists. */
  readonly maxRelistDelayMs: number;
  /** Sends of one create, the first included. */
  readonly maxAttempts: number;
  /** Tolerance between our clock and the vendor's when comparing creation times. */
  readonly clockSkewMs: number;
  /** A cached listing older than this is refreshed before a create is sent. */
  readonly listingMaxAgeMs: number;
}

export const DEFAULT_MAX_CREATE_ATTEMPTS = 3;
export const MIN_SETTLE_WINDOW_MS = 5_000;
export const MAX_SETTLE_WINDOW_MS = 300_000;

/** The settle window covers twice the request timeout: a vendor acting up to 3 timeouts after the request is seen. */
export function defaultSettings(requestTimeoutMs: number, overrides: Partial<ExactlyOnceSettings> = {}): ExactlyOnceSettings {
  return {
    settleWindowMs: Math.min(MAX_SETTLE_WINDOW_MS, Math.max(MIN_SETTLE_WINDOW_MS, 2 * requestTimeoutMs)),
    firstRelistDelayMs: 250,
    maxRelistDelayMs: 5_000,
    maxAttempts: DEFAULT_MAX_CREATE_ATTEMPTS,
    clockSkewMs: 120_000,
    listingMaxAgeMs: 10_000,
    ...overrides,
  };
}

/** Where a key family's keys of one name are listed, and how one is recognised and named. */
export interface KeyScopeHooks<Item> {
  /** The key being created, for messages: `OpenAI admin key "ci" (connection "acme")`. */
  readonly label: string;
  /** The Terraform resource type, for import hints. */
  readonly resourceType: string;
  /** Who the key is, for the create journal: resource type, connection, scope and name (see keyIdentity). */
  readonly identity: string;
  /** The scope's shared listing (organization or project). */
  readonly inventory: Inventory<Item>;
  itemId(item: Item): string;
  /** Same name as this create (the inventory already fixes the scope). */
  sameName(item: Item): boolean;
  /** When the vendor says the key was made, in ms since the epoch; undefined when it does not say. */
  createdAtMs(item: Item): number | undefined;
  /** One line naming a listed key, e.g. `key_abc ("ci", created 2026-11-22T07:40:21Z)`. */
  describe(item: Item): string;
  /** The import id of a listed key. */
  importId(item: Item): string;
}

/** How one create is sent, and how the keys it may have made are revoked or adopted. */
export interface SendHooks<Item, Created> {
  /** Sends the create once. */
  send(attempt: number): Promise<Created>;
  createdId(created: Created): string;
  /** Revokes a listed key (an orphan of this create). */
  revoke(item: Item): Promise<void>;
  /** Revokes a key from its create answer (Terraform could not receive it). */
  revokeCreated(created: Created): Promise<void>;
  /**
   * Only where the caller chose the secret before sending: the create answer
   * for a listed key that provably carries that secret (its redacted form
   * matches), else undefined.
   */
  adopt?(item: Item): Created | undefined;
}

/** What a key family supplies: how to create, list, match, revoke and describe its keys. */
export type CreateHooks<Item, Created> = KeyScopeHooks<Item> & SendHooks<Item, Created>;

/**
 * A key's identity for the create journal: its resource type, connection, scope and name, never display
 * text (a reworded message must not hide an interrupted create from the next one).
 */
export const keyIdentity = (parts: { resourceType: string; connection: string | null; scope: string; name: string }): string =>
  JSON.stringify([parts.resourceType, parts.connection ?? '', parts.scope, parts.name]);

/** Where warnings go (the framework's Diagnostics). */
export interface WarningSink {
  warning(summary: string, detail: string): void;
}

export interface CreateContext {
  readonly settings: ExactlyOnceSettings;
  readonly receipt: ApplyReceipt;
  readonly warnings: WarningSink;
  /** Keys created by earlier runs that no state has confirmed yet (src/reconcile/create-journal.ts). */
  readonly journal?: CreateJournal;
}

export { CreateAttemptsExhaustedError, CreateOutcomeAmbiguousError, CreateOutcomeUnknownError } from '../core/errors';

/** Whether a failed create may have made a key anyway. */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof VendorUnreachableError) return error.outcomeUnknown;
  if (error instanceof VendorServerError) return true; // any 5xx, 502 and 504 included: a gateway may answer after the vendor acted
  if (error instanceof VendorResponseError) return error.status === 408;
  return error instanceof VendorInvalidResponseError; // a 2xx we cannot read may still have made a key
}

/** How to adopt a key without its secret, for a resource whose address only Terraform knows. */
export function importHint(resourceType: string, importId: string): string {
  return `To keep it instead (without its secret), import it into this resource; Terraform names the resource's address on the "with ${resourceType}...." line of this message: ` +
    `terraform import '<that address>' ${importId}   or, in configuration:   import { to = <that address>  id = "${importId}" }`;
}

/** What a re-listing after an unknown outcome learned. */
type Outcome<Item, Created> =
  | { kind: 'adopted'; created: Created; item: Item }
  | { kind: 'ours'; item: Item }
  | { kind: 'ambiguous'; candidates: Item[] }
  | { kind: 'none'; relists: number; listing: Set<string> }
  | { kind: 'unlisted'; error: unknown };

const elapsedSince = (start: number) => Date.now() - start;

export async function createExactlyOnce<Item, Created>(hooks: CreateHooks<Item, Created>, context: CreateContext): Promise<Created> {
  const { settings, receipt, warnings } = context;
  const listing = await listingBeforeCreate(hooks, context);
  await revokeUnsavedEarlierKeys(hooks, context, listing);
  await revokeInterruptedCreates(hooks, context, listing);
  let before = new Set(listing.keys());
  const knownIds = [...listing.values()].filter(hooks.sameName).map(hooks.itemId);
  let lastError: unknown;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    if (receipt.closing) {
      throw new OperationStoppedError(`${hooks.label} was not created: Terraform has gone away, so nothing new is sent to the vendor`);
    }
    const sentAt = Date.now();
    // Kept until the outcome is known: if this process ends first, the next create of this name settles it.
    const intent = context.journal?.recordIntent({ identity: hooks.identity, sentAt, knownIds });
    const resolved = () => intent !== undefined && context.journal?.resolveIntent(intent);
    try {
      const created = await receipt.track(hooks.send(attempt));
      return recorded(hooks, context, created, resolved);
    } catch (error) {
      if (!outcomeUnknown(error)) {
        resolved(); // the vendor refused: no key was made
        throw error;
      }
      lastError = error;
    }
    const outcome = await learnOutcome(hooks, context, before, sentAt);
    // Every outcome but 'unlisted' is known; an unlisted one stays in the journal for the next create.
    if (outcome.kind !== 'unlisted' && outcome.kind !== 'adopted') resolved();
    const failure = describeError(lastError);
    switch (outcome.kind) {
      case 'adopted':
        warnings.warning(
          `Recovered ${hooks.label} from a lost answer`,
          `${failure} (attempt ${attempt} of ${settings.maxAttempts}). A later listing shows the key the create made, ${hooks.describe(outcome.item)}, ` +
          'carrying the secret the provider chose before sending, so it is kept with that secret. Nothing was lost or duplicated.',
        );
        return recorded(hooks, context, outcome.created, resolved);
      case 'ours': {
        const id = hooks.itemId(outcome.item);
        try {
          await hooks.revoke(outcome.item);
        } catch (revokeError) {
          throw new CreateOutcomeUnknownError(
            `${failure}. The vendor did make the key, ${hooks.describe(outcome.item)}, but its secret was in the lost answer, and revoking it failed: ${describeError(revokeError)}`,
            { cause: revokeError, hint: `Revoke ${id} at the vendor, then apply again. ${importHint(hooks.resourceType, hooks.importId(outcome.item))}` },
          );
        }
        hooks.inventory.recordDeleted(id);
        context.journal?.forget(id);
        const next = attempt < settings.maxAttempts;
        warnings.warning(
          `Revoked ${id}: the create of ${hooks.label} made it, but its answer was lost`,
          `${failure} (attempt ${attempt} of ${settings.maxAttempts}). A later listing shows the key this create made, ${hooks.describe(outcome.item)}; ` +
          `its one-time secret was in the lost answer, so the key was revoked${next ? ' and the create sent again' : ''}.`,
        );
        before.delete(id);
        continue;
      }
      case 'ambiguous': {
        const ids = outcome.candidates.map(hooks.itemId);
        throw new CreateOutcomeAmbiguousError(
          `${failure}. Afterwards ${ids.length === 1 ? 'a new key' : `${ids.length} new keys`} with this name appeared, and the provider cannot prove which, if any, this create made: ` +
          `${outcome.candidates.map(hooks.describe).join('; ')}. Nothing was revoked and nothing was sent again.`,
          ids,
          `Check these keys at the vendor. Revoke the ones nobody uses, then apply again; ${importHint(hooks.resourceType, hooks.importId(outcome.candidates[0]))}`,
          lastError,
        );
      }
      case 'unlisted':
        throw new CreateOutcomeUnknownError(
          `${failure}, and listing the keys afterwards to find out whether the vendor made one also failed: ${describeError(outcome.error)}`,
          {
            cause: lastError,
            hint: `Look for a new key named like ${hooks.label} at the vendor before you apply again: revoke it, or import it into this resource. ${importHint(hooks.resourceType, '<key id>')}`,
          },
        );
      case 'none':
        before = outcome.listing;
        if (attempt < settings.maxAttempts) {
          warnings.warning(
            `Sent the create of ${hooks.label} again`,
            `${failure} (attempt ${attempt} of ${settings.maxAttempts}). ${outcome.relists} listings over ${Math.round(settings.settleWindowMs / 1000)} s show no new key with this name, so the vendor did not make one; the create was sent again.`,
          );
        }
        continue;
    }
  }
  throw new CreateAttemptsExhaustedError(
    `${hooks.label} could not be created: all ${settings.maxAttempts} attempts ended without an answer (last: ${describeError(lastError)}). Every key those attempts made was revoked; none is left behind.`,
    { cause: lastError, hint: 'The vendor is failing or slow; apply again later, or raise request_timeout_seconds.' },
  );
}

/** What the plan-time check needs of a family: where its keys are listed and how one is named. */
export type NamesakeHooks<Item> = Pick<KeyScopeHooks<Item>, 'label' | 'resourceType' | 'inventory' | 'itemId' | 'sameName' | 'describe' | 'importId'>;

/**
 * At plan, for a key about to be created: a key with the same name in the
 * same scope that no state of this run tracks (`tracked`: the ids Terraform
 * refreshed) may be an orphan of an earlier failure. Say so, with its id and
 * the import hint; never revoke or adopt it (it may be somebody's). A listing
 * that fails for a while only skips the check (the create itself lists
 * again); a refused one fails the plan, since the create would be refused too.
 */
export async function warnAboutNamesakes<Item>(hooks: NamesakeHooks<Item>, tracked: ReadonlySet<string>, warnings: WarningSink): Promise<void> {
  let listing: Map<string, Item>;
  try {
    listing = await hooks.inventory.all();
  } catch (error) {
    if (isRefusal(error)) throw error;
    return;
  }
  const namesakes = [...listing.values()].filter((item) => hooks.sameName(item) && !tracked.has(hooks.itemId(item)));
  if (namesakes.length === 0) return;
  const one = namesakes.length === 1;
  warnings.warning(
    `A key named like ${hooks.label} already exists`,
    `The vendor already lists ${namesakes.map(hooks.describe).join('; ')}, and no state in this run tracks ${one ? 'it' : 'them'}. ` +
    `${one ? 'It may be an orphan' : 'They may be orphans'} of an earlier failed apply, or made by hand: revoke ${one ? 'it' : 'them'} at the vendor, ` +
    `or adopt one (without its secret) instead of creating a new key. ${importHint(hooks.resourceType, hooks.importId(namesakes[0]))} ` +
    'Otherwise apply creates a new key next to it.',
  );
}

function recorded<Item, Created>(hooks: CreateHooks<Item, Created>, context: CreateContext, created: Created, resolveIntent: () => void): Created {
  const id = hooks.createdId(created);
  context.journal?.record({ id, identity: hooks.identity, createdAt: Date.now() });
  resolveIntent(); // after the key is journalled, so no moment leaves it in neither form
  context.receipt.recordCreated({
    id,
    label: `${hooks.label} (${id})`,
    revoke: async () => {
      await hooks.revokeCreated(created);
      hooks.inventory.recordDeleted(id);
      context.journal?.forget(id);
    },
  });
  return created;
}

/**
 * Keys an earlier run created for this very name and scope, which no run has
 * seen in a state since (the journal), and which still exist: Terraform was
 * killed before saving them, so their secrets are gone. They are revoked
 * before the new key is made, with a warning naming each.
 */
async function revokeUnsavedEarlierKeys<Item, Created>(hooks: CreateHooks<Item, Created>, context: CreateContext, listing: Map<string, Item>): Promise<void> {
  const { journal, receipt, warnings } = context;
  if (!journal) return;
  for (const entry of journal.unconfirmed(hooks.identity)) {
    const item = listing.get(entry.id);
    if (!item || receipt.ownIds.has(entry.id) || !hooks.sameName(item)) continue;
    try {
      await hooks.revoke(item);
    } catch (error) {
      warnings.warning(
        `Could not revoke ${entry.id}, a key an earlier apply created but never saved`,
        `${hooks.describe(item)} was created for ${hooks.label} by an earlier run that was interrupted before Terraform saved it; its secret is lost. Revoking it failed: ${describeError(error)}. Revoke it at the vendor.`,
      );
      continue;
    }
    hooks.inventory.recordDeleted(entry.id);
    listing.delete(entry.id);
    journal.forget(entry.id);
    warnings.warning(
      `Revoked ${entry.id}: an earlier apply created it for ${hooks.label}, but Terraform never saved it`,
      `${hooks.describe(item)} was made at ${new Date(entry.createdAt).toISOString()} by a run that was interrupted before its state was saved ` +
      '(a remote backend saves state every 20 s at best), and no run has seen it in a state since. Its secret is lost, so it was revoked; a new key is created now.',
    );
  }
}

/**
 * Creates of this name that an earlier process sent but never settled: it
 * ended (Terraform was killed) while the answer was lost or still due. The
 * key the vendor made for one is recognised by the same rule as in learnOutcome():
 * same name and scope, created at or after that send (minus the clock skew),
 * not among the keys that existed before it, not made by this process.
 * Exactly one such key is revoked (its secret was never received); several
 * are only named, since revoking somebody else's key is worse than an orphan.
 */
async function revokeInterruptedCreates<Item, Created>(hooks: CreateHooks<Item, Created>, context: CreateContext, listing: Map<string, Item>): Promise<void> {
  const { journal, receipt, settings, warnings } = context;
  if (!journal) return;
  for (const { handle, intent } of journal.interrupted(hooks.identity)) {
    const known = new Set(intent.knownIds);
    const candidates = [...listing.values()].filter((item) => {
      const id = hooks.itemId(item);
      const at = hooks.createdAtMs(item);
      return hooks.sameName(item) && !known.has(id) && !receipt.ownIds.has(id) && at !== undefined && at >= intent.sentAt - settings.clockSkewMs;
    });
    const sent = new Date(intent.sentAt).toISOString();
    if (candidates.length > 1) {
      warnings.warning(
        `Several keys may come from an interrupted create of ${hooks.label}`,
        `An earlier run sent this create at ${sent} and ended before its answer arrived. Since then ${candidates.map(hooks.describe).join('; ')} appeared, ` +
        `and the provider cannot prove which one it made, so none was revoked. Revoke the ones nobody uses at the vendor. ${importHint(hooks.resourceType, hooks.importId(candidates[0]))}`,
      );
    } else if (candidates.length === 1) {
      const [orphan] = candidates;
      const id = hooks.itemId(orphan);
      try {
        await hooks.revoke(orphan);
      } catch (error) {
        warnings.warning(
          `Could not revoke ${id}, a key an interrupted create made`,
          `${hooks.describe(orphan)} was made for ${hooks.label} by a create sent at ${sent} whose run ended before the answer arrived; its secret is lost. Revoking it failed: ${describeError(error)}. Revoke it at the vendor.`,
        );
        continue; // keep the intent: the next create tries again
      }
      hooks.inventory.recordDeleted(id);
      listing.delete(id);
      journal.forget(id);
      warnings.warning(
        `Revoked ${id}: an interrupted create of ${hooks.label} made it`,
        `A run sent this create at ${sent} and ended (Terraform was killed) before the answer arrived. The vendor made ${hooks.describe(orphan)}; ` +
        'its one-time secret was never received, so it was revoked; a new key is created now.',
      );
    }
    journal.resolveIntent(handle);
  }
}

/**
 * The keys listed before the create, from a listing at most listingMaxAgeMs
 * old. A refused listing (a wrong credential, a missing role) is that refusal,
 * as it is: nothing was sent, and waiting will not change it.
 */
async function listingBeforeCreate<Item, Created>(hooks: CreateHooks<Item, Created>, context: CreateContext): Promise<Map<string, Item>> {
  let listing: Map<string, Item>;
  try {
    listing = await hooks.inventory.recent(context.settings.listingMaxAgeMs);
  } catch (error) {
    if (isRefusal(error)) throw error;
    throw new CreateOutcomeUnknownError(
      `${hooks.label} was not created: listing the existing keys first (so that a lost answer can be told apart from a key someone else made) failed: ${describeError(error)}`,
      { cause: error, hint: 'Nothing was sent to create the key. Apply again later: the vendor did not answer the listing.' },
    );
  }
  return new Map(listing);
}

/**
 * After a create whose outcome is unknown: lists again with backoff, for the
 * settle window, until the key the create made shows (or several that might
 * be it), or the window ends without one.
 */
async function learnOutcome<Item, Created>(
  hooks: CreateHooks<Item, Created>, context: CreateContext, before: Set<string>, sentAt: number,
): Promise<Outcome<Item, Created>> {
  const { settings, receipt } = context;
  const started = Date.now();
  let delay = settings.firstRelistDelayMs;
  let relists = 0;
  let lastError: unknown;
  for (;;) {
    await sleep(Math.max(0, Math.min(delay, settings.settleWindowMs - elapsedSince(started))));
    delay = Math.min(delay * 2, settings.maxRelistDelayMs);
    let items: Item[] | undefined;
    try {
      items = [...(await hooks.inventory.relist()).values()];
      relists++;
      lastError = undefined;
    } catch (error) {
      lastError = error;
      // Ctrl-C or Terraform gone: no more listings will be sent, so stop waiting and report what is known.
      if (error instanceof OperationStoppedError || receipt.closing) return { kind: 'unlisted', error };
    }
    if (items) {
      const fresh = items.filter((item) => !before.has(hooks.itemId(item)) && !receipt.ownIds.has(hooks.itemId(item)));
      if (hooks.adopt) {
        for (const item of fresh) {
          const created = hooks.adopt(item);
          if (created !== undefined) return { kind: 'adopted', created, item };
        }
      }
      const namesakes = fresh.filter(hooks.sameName);
      if (namesakes.length > 0) {
        const provable = (item: Item) => {
          const at = hooks.createdAtMs(item);
          return at !== undefined && at >= sentAt - settings.clockSkewMs;
        };
        const recent = namesakes.filter((item) => provable(item) || hooks.createdAtMs(item) === undefined);
        // With a caller-chosen secret, a new namesake that does not carry it cannot be proven ours.
        if (recent.length === 1 && provable(recent[0]) && !hooks.adopt) return { kind: 'ours', item: recent[0] };
        if (recent.length > 0) return { kind: 'ambiguous', candidates: recent };
      }
    }
    if (elapsedSince(started) >= settings.settleWindowMs) {
      if (!items) return { kind: 'unlisted', error: lastError };
      return { kind: 'none', relists, listing: new Set(items.map(hooks.itemId)) };
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
