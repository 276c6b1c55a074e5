import { ConfigurationError, ImportIdError, UnknownConnectionError } from '../../core/errors';
import { quoteForMessage } from '../../core/security/secret-patterns';
import { createExactlyOnce, keyIdentity, warnAboutNamesakes, type KeyScopeHooks, type SendHooks } from '../../reconcile/exactly-once';
import type { Inventory } from '../../reconcile/inventory';
import type { ProviderContext } from '../context';
import { isUnknown, UNKNOWN, valuesEqual, type CtyObject } from '../cty/value';
import { Diagnostics } from '../framework/diagnostics';
import { changedAttributes } from '../framework/planning';
import { IncompleteApplyError, type PlannedChange, type PrivateState, type ResourceDefinition } from '../framework/resource';
import { isComputedOnly, type Schema } from '../framework/schema';
import {
  callThrough, connectionAttribute, connectionLabels, IMPORT_ID_CONNECTION_HINT, importIdOf, splitImportId, type Connection, type VendorConnection,
} from '../connections/connection';
import { AlreadyReportedError } from '../connections/refusals';
import { decideLifecycle, rotationOf, vendorExpirySeconds, type KeyDates, type LifecycleDecision } from './lifecycle';
import { describeRotation, previousKeyMap, previousKeyOf, rotationAttributes } from './rotation';
import { holdsSecret, knownRecipients, planSealing, recipientsFor, sealingAttributes, sealingFailure, sealState } from './sealing';

/**
 * What every key resource shares, written once (as terraform-provider-aws
 * adds each resource's `region` with an interceptor): its connection and its
 * lifecycle. keyResource() wraps a family's definition so that the family's
 * file holds only its schema, its vendor calls and its import format. The
 * wrapper:
 * - adds `connection_name`, resolves the connection once per call and hands
 *   the family its clients; reads the import id's `<connection>:` prefix;
 * - tracks the keys states hold (for the namesake check and the create
 *   journal), warns at plan about a key of the same name that no state holds,
 *   and sends every create through the exactly-once path;
 * - relocates: a state without a connection (written through an aliased
 *   provider), or whose connection is gone, is looked for through the other
 *   connections, and a changed connection that still finds the key is an
 *   update with no vendor call, not a replacement;
 * - tells every vendor refusal with the connection, the credential's variable
 *   and advice for its status, once per connection and cause;
 * - carries the key's lifecycle (./lifecycle.ts): `rotation` and
 *   `previous_key`, expiry and staleness warnings, an expired key replaced;
 * - seals each new key's one-time secret to `secret_recipients` (./sealing.ts).
 */

/** Where keys of one name and scope are listed, and how one is recognised: the family's half of the exactly-once path. */
export interface KeyScope<Item> extends Omit<KeyScopeHooks<Item>, 'resourceType' | 'identity' | 'label' | 'importId'> {
  /** The key in messages, without its connection, e.g. `OpenAI project key "ci" in proj_abc`. */
  readonly label: string;
  /** Where the key lives within its connection: '' for a family listed per connection, else the organization or project id. */
  readonly scope: string;
  /** The name keys are recognised by. */
  readonly name: string;
  readonly inventory: Inventory<Item>;
  /** The import id of a listed key, without the `<connection>:` prefix. */
  importId(item: Item): string;
}

/** What each family call receives. */
export interface KeyCall<Clients> {
  readonly clients: Clients;
  readonly diagnostics: Diagnostics;
}

/** The exactly-once create, bound to the key's scope, connection and this apply. */
export type CreateKey<Item> = <Created>(hooks: SendHooks<Item, Created>) => Promise<Created>;

/** The state attributes every key resource has. */
export type KeyState = CtyObject & { id: string | null; secret: string | null };

/** A key family's resource as its file writes it. */
export interface KeyDefinition<State extends KeyState, Clients, Item> {
  readonly typeName: string;
  /** The family's own attributes; keyResource() adds `connection_name`, `rotation`, `previous_key`, `secret_recipients` and `encrypted_secret`. */
  readonly schema: Schema;
  /** Names one instance in messages, e.g. `OpenAI admin key "ci" (key_abc)`. */
  describe(state: Partial<State>): string;
  /** What the instance's keys belong to, for refusals: "organization 4242", "project proj_abc", "the organization". */
  where(state: Partial<State>): string;
  /** What the vendor says of the key's creation, expiry and last use (./lifecycle.ts). */
  dates(state: State): KeyDates;
  /** Attributes besides `id` that name the current key and are needed to revoke it (kept in `previous_key` by a rotation). */
  readonly keyFields?: readonly string[];
  /** Whether create honours `vendorExpirySeconds` (the vendor has a key expiry). */
  readonly vendorExpiry?: boolean;
  validateConfig?(config: State, diagnostics: Diagnostics): void;
  /** Where keys like `state` are listed and recognised; undefined while the values that say so are unknown. */
  keys(clients: Clients, state: State): KeyScope<Item> | undefined;
  /** Family rules for a plan (the connection is checked already); throws to stop the plan. */
  checkPlan?(context: { prior: State | null; planned: State }): void;
  /**
   * Creates the key through `createKey`. `vendorExpirySeconds`: a rotation's backstop expiry, for a key whose own
   * configuration sets none (only when `vendorExpiry` is true).
   */
  create(context: KeyCall<Clients> & { planned: State; config: State; createKey: CreateKey<Item>; vendorExpirySeconds?: number }): Promise<State>;
  read(context: KeyCall<Clients> & { current: State }): Promise<State | null>;
  /** In-place changes of the family's attributes. Without it, every change replaces the key. */
  update?(context: KeyCall<Clients> & { prior: State; planned: State; config: State }): Promise<State>;
  /** Revokes the key; a key already gone counts as revoked. */
  delete(context: KeyCall<Clients> & { prior: State }): Promise<void>;
  /**
   * The import id after the optional `<connection>:` prefix: parsed into a state `read` can complete, or
   * undefined; `usage` ends the sentence "<id> is not ...", e.g. "an OpenAI admin key id. Use the key's id, e.g. ...".
   */
  readonly importId: { parse(id: string): Partial<State> | undefined; readonly usage: string };
}

/** A key resource's state: the family's, with what the wrapper adds. */
export type Connected<State> = State & {
  connection_name: string | null; rotation?: Record<string, string> | null; previous_key?: Record<string, string> | null;
  secret_recipients?: string[] | null; encrypted_secret?: string | null;
};

/** Connection failures that mean "look elsewhere": the state names a connection this configuration cannot use. */
const unusable = (error: unknown): boolean => error instanceof ConfigurationError || error instanceof UnknownConnectionError;

/** Settings the wrapper adds that change only where or when the provider acts, never the key: an update of them sends nothing. */
const WRAPPER_SETTINGS = ['connection_name', 'rotation', 'secret_recipients'];

/** When the plan's refresh read the instance (private state): the clock of its lifecycle decisions. */
const REFRESHED_AT = 'refreshedAt';

export function keyResource<State extends KeyState, Clients, Item>(
  vendor: VendorConnection<Clients>, resource: KeyDefinition<State, Clients, Item>,
): ResourceDefinition<Connected<State>, ProviderContext> {
  const [idAttribute, ...rest] = Object.entries(resource.schema.attributes);
  const schema: Schema = {
    ...resource.schema,
    attributes: Object.fromEntries([
      idAttribute, ['connection_name', connectionAttribute(vendor.facts)], ...rest, ...Object.entries(rotationAttributes(Boolean(resource.vendorExpiry))),
      ...Object.entries(sealingAttributes),
    ]),
  };
  /** The family's computed attributes: they describe the current key, so a rotation makes them new. */
  const perKey = Object.entries(resource.schema.attributes).filter(([, attribute]) => isComputedOnly(attribute)).map(([name]) => name);
  const keyFields = resource.keyFields ?? [];

  /** Runs `call` through the named connection; a refusal comes out naming the credential, the connection and the organization. */
  const through = <T>(provider: ProviderContext, label: string | null, state: Partial<State>, call: (connection: Connection<Clients>) => Promise<T>): Promise<T> =>
    callThrough(provider, vendor, label, resource.where(state), call);

  /** The error to report for `state`: itself, or an AlreadyReportedError when this process reported its cause before. */
  const once = (provider: ProviderContext, label: string | null, state: Partial<State>, error: unknown): unknown =>
    provider.reportedCauses.once(error, { vendor: vendor.facts.vendor, connection: label, where: resource.where(state) });

  /** The key through `label`, with that label in its state; null when that connection does not find it. */
  async function readAt(provider: ProviderContext, label: string | null, current: Connected<State>, diagnostics: Diagnostics): Promise<Connected<State> | null> {
    const found = await through(provider, label, current, ({ clients }) => resource.read({ clients, diagnostics, current }));
    return found ? { ...current, ...found, connection_name: label } : null;
  }

  /**
   * The key through the first other connection that finds it (state written before named connections, or
   * naming a connection that is gone or unusable); null when none does. Only then is the key gone.
   */
  async function readElsewhere(provider: ProviderContext, current: Connected<State>): Promise<Connected<State> | null> {
    for (const label of connectionLabels(vendor.facts, provider.config).filter((other) => other !== current.connection_name)) {
      if (await foundThrough(provider, label, current)) return readAt(provider, label, current, new Diagnostics());
    }
    return null;
  }

  /** Whether the connection `label` finds the key of `state`; false when it does not or cannot be reached there. */
  async function foundThrough(provider: ProviderContext, label: string | null, state: Connected<State>): Promise<boolean> {
    try {
      return await readAt(provider, label, state, new Diagnostics()) !== null;
    } catch {
      return false;
    }
  }

  /** The create journal and the namesake check: keys a state holds are accounted for. */
  function track(provider: ProviderContext, id: string | null | undefined): void {
    if (typeof id !== 'string') return;
    provider.trackedIds.add(id);
    provider.journal?.forget(id);
  }

  /** The state of the previous key of `state`, as the family's read and delete take it. */
  function previousAsState(state: Connected<State>): Connected<State> | undefined {
    const previous = previousKeyOf(state.previous_key);
    return previous && { ...state, ...previous.fields, previous_key: null };
  }

  /** The refreshed state with its previous key checked: one revoked outside Terraform is no longer kept. */
  async function withPreviousKey(provider: ProviderContext, state: Connected<State>, diagnostics: Diagnostics): Promise<Connected<State>> {
    const previous = previousAsState(state);
    if (!previous) return state;
    track(provider, previous.id);
    const found = await readAt(provider, state.connection_name, previous, diagnostics);
    return found ? state : { ...state, previous_key: null };
  }

  /** The family's key scope, completed with what the connection adds. */
  function scopeHooks(connection: Connection<Clients>, state: State): KeyScopeHooks<Item> | undefined {
    const keys = resource.keys(connection.clients, state);
    if (!keys) return undefined;
    const label = connection.settings.label ?? null;
    return {
      ...keys,
      label: `${keys.label}${label === null ? '' : ` (connection "${label}")`}`,
      resourceType: resource.typeName,
      identity: keyIdentity({ resourceType: resource.typeName, connection: label, scope: keys.scope, name: keys.name }),
      importId: (item) => importIdOf(label, keys.importId(item)),
    };
  }

  /** A new key for `planned` through the exactly-once path. */
  function createThrough(provider: ProviderContext, diagnostics: Diagnostics, planned: Connected<State>, config: Connected<State>, receipt: Parameters<typeof createExactlyOnce>[1]['receipt']): Promise<State> {
    const rotation = rotationOf(config.rotation);
    const vendorExpiry = rotation?.vendorExpiry && resource.vendorExpiry ? vendorExpirySeconds(rotation) : undefined;
    return through(provider, planned.connection_name, planned, (connection) => resource.create({
      clients: connection.clients, diagnostics, planned, config, vendorExpirySeconds: vendorExpiry,
      createKey: (hooks) => {
        const scope = scopeHooks(connection, planned);
        if (!scope) throw new Error(`${resource.typeName}: the key's scope is unknown at apply`);
        return createExactlyOnce({ ...scope, ...hooks }, { settings: provider.exactlyOnce, receipt, warnings: diagnostics, journal: provider.journal });
      },
    }));
  }

  /**
   * A new key with its secret sealed to its recipients (./sealing.ts). The library is loaded and the recipients
   * parsed before the vendor is asked. Should encrypting still fail once the vendor made the key, the key is
   * revoked; if revoking fails too, `keepUnsealed` says which state holds it, without its secret (an
   * IncompleteApplyError), so it is never left at the vendor with no state holding it.
   */
  async function createSealed(
    provider: ProviderContext, diagnostics: Diagnostics, planned: Connected<State>, config: Connected<State>,
    receipt: Parameters<typeof createExactlyOnce>[1]['receipt'], keepUnsealed: (key: Connected<State>) => Connected<State>,
  ): Promise<State> {
    const recipients = knownRecipients(recipientsFor(config, provider.defaultRecipients));
    const sealer = recipients && provider.sealing.prepare(recipients);
    let created: State;
    try {
      created = await createThrough(provider, diagnostics, planned, config, receipt);
    } catch (error) {
      // A family that saves a created key with its error saves it sealed too.
      if (!sealer || !(error instanceof IncompleteApplyError)) throw error;
      const unsealed = { ...error.state, secret: null, encrypted_secret: null };
      throw new IncompleteApplyError(await sealState(error.state, sealer).catch(() => unsealed), error.cause);
    }
    try {
      return await sealState(created, sealer);
    } catch (error) {
      const key = { ...planned, ...created, secret: null, encrypted_secret: null, previous_key: null } as Connected<State>;
      try {
        await revoke(provider, diagnostics, key);
      } catch (revokeError) {
        throw new IncompleteApplyError(keepUnsealed(key), sealingFailure(resource.describe(key), error, { ok: false, error: revokeError }));
      }
      throw sealingFailure(resource.describe(key), error, { ok: true });
    }
  }

  /** Revokes a key of this resource (the current one at destroy, the previous one of a rotation). */
  async function revoke(provider: ProviderContext, diagnostics: Diagnostics, key: Connected<State>): Promise<void> {
    await through(provider, key.connection_name, key, ({ clients }) => resource.delete({ clients, diagnostics, prior: key }));
    if (key.id !== null) provider.journal?.forget(key.id);
  }

  /** The lifecycle decision for a refreshed instance; undefined when the plan has no refresh to decide from. */
  function lifecycleOf(provider: ProviderContext, prior: Connected<State>, config: Connected<State>, privateState: PrivateState): LifecycleDecision | undefined {
    const refreshedAt = privateState[REFRESHED_AT];
    if (typeof refreshedAt !== 'number') return undefined;
    const previous = previousKeyOf(prior.previous_key);
    return decideLifecycle(refreshedAt, resource.dates(prior), provider.lifecycle, rotationOf(config.rotation), previous);
  }

  /**
   * The plan of a key's lifecycle: warnings about expiry and staleness, and
   * the planned values of a rotation (a new key: its computed attributes
   * unknown; the current key kept as `previous_key`, or revoked at once
   * without overlap), of a previous key's revocation (`previous_key` null),
   * or of an expired key's replacement.
   */
  function planLifecycle(
    diagnostics: Diagnostics, prior: Connected<State>, config: Connected<State>, change: PlannedChange<Connected<State>>, decision: LifecycleDecision,
  ): PlannedChange<Connected<State>> {
    const where = `${resource.where(prior)}${prior.connection_name === null ? '' : ` (connection "${prior.connection_name}")`}`;
    for (const finding of decision.findings.filter((found) => found.kind !== 'rotationDue')) {
      const summary = { expired: 'Key expired', expiring: 'Key expires soon', stale: 'Key not used', rotationDue: 'Key due for rotation' }[finding.kind];
      diagnostics.warning(`${summary}: ${resource.describe(prior)}`, `${resource.describe(prior)} of ${where} ${finding.says}.`);
    }
    const planned: Connected<State> = { ...change.planned };
    if (decision.revokePrevious) planned.previous_key = null;
    if (decision.replace) {
      return { planned: { ...planned, id: UNKNOWN } as Connected<State>, requiresReplace: [...new Set([...change.requiresReplace, 'id'])] };
    }
    if (!decision.rotate) return { planned, requiresReplace: change.requiresReplace };
    if (!holdsSecret(prior)) {
      throw Object.assign(new ConfigurationError(
        `${resource.describe(prior)} is due for rotation, but Terraform does not hold its secret (neither \`secret\` nor \`encrypted_secret\`): it was imported (or its value came from a write-only argument), so its consumers get the secret elsewhere, and revoking it after the overlap would break them`,
        'rotation',
        'Replace the key once (terraform apply -replace=<address>) so that Terraform creates one whose secret it holds, then rotate that; or remove rotation. Nothing was sent to the vendor.',
      ), { attributePath: ['rotation'] });
    }
    const rotation = rotationOf(config.rotation)!;
    for (const name of perKey) (planned as CtyObject)[name] = UNKNOWN;
    planned.previous_key = rotation.overlapMs === 0 ? null : previousKeyMap(prior, keyFields, UNKNOWN) as Record<string, string>;
    diagnostics.warning(`Rotating ${resource.describe(prior)}`, `${resource.describe(prior)} of ${where} ${decision.findings.find((found) => found.kind === 'rotationDue' || found.kind === 'expired')!.says}. ` +
      `This apply makes a new key (${describeRotation(rotation)}); ${rotation.overlapMs === 0 ? 'the current key is revoked once the new one exists' : 'the current key keeps working until the overlap ends, and the first plan after that revokes it'}.`);
    return { planned, requiresReplace: change.requiresReplace };
  }

  /** Plan-time checks of a create or update through its connection: before any vendor write, and any refusal now rather than at apply. */
  async function checkPlan(provider: ProviderContext, diagnostics: Diagnostics, prior: Connected<State> | null, planned: Connected<State>, replace: readonly string[]): Promise<readonly string[]> {
    await through(provider, planned.connection_name, planned, async (connection) => {
      resource.checkPlan?.({ prior, planned });
      const hooks = prior ? undefined : scopeHooks(connection, planned);
      if (hooks) await warnAboutNamesakes(hooks, provider.trackedIds, diagnostics);
    });
    if (prior && replace.includes('connection_name') && await foundThrough(provider, planned.connection_name, prior)) {
      return replace.filter((name) => name !== 'connection_name'); // the same key, reached under another label
    }
    return replace;
  }

  /**
   * A rotation at apply, in the order that never leaves fewer working keys than the plan showed: the
   * previous key whose overlap ended is revoked, the new key is made (exactly once), then the current key
   * is kept as `previous_key` for the overlap, or revoked when there is none. A failure after the first
   * step saves what is true (IncompleteApplyError), so no key is lost from state. The new key, once
   * delivered, is not revoked should Terraform die (ApplyReceipt.rotation): the state that saved it tracks
   * the old key through it.
   */
  async function rotate(provider: ProviderContext, diagnostics: Diagnostics, prior: Connected<State>, planned: Connected<State>, config: Connected<State>, receipt: Parameters<typeof createExactlyOnce>[1]['receipt']): Promise<Connected<State>> {
    receipt.rotation = true;
    let state: Connected<State> = prior;
    const previous = previousAsState(prior);
    if (previous) {
      await revoke(provider, diagnostics, previous);
      state = { ...state, previous_key: null };
    }
    let created: State;
    try {
      // A new key whose secret could not be sealed nor revoked stays in state as the previous key, due now: the next plan revokes it.
      created = await createSealed(provider, diagnostics, planned, config, receipt, (key) => ({ ...state, previous_key: previousKeyMap(key, keyFields, Date.now()) as Record<string, string> }));
    } catch (error) {
      if (error instanceof IncompleteApplyError) throw error;
      if (state !== prior) throw new IncompleteApplyError(state, error);
      throw error;
    }
    const rotation = rotationOf(config.rotation)!;
    const now = Date.now();
    const next: Connected<State> = { ...state, ...created, connection_name: planned.connection_name, rotation: config.rotation ?? null, secret_recipients: planned.secret_recipients ?? null };
    if (rotation.overlapMs > 0) return { ...next, previous_key: previousKeyMap(prior, keyFields, now + rotation.overlapMs) as Record<string, string> };
    try {
      await revoke(provider, diagnostics, { ...prior, previous_key: null });
    } catch (error) {
      // The new key is made and its secret in hand: keep the old one as due for revocation, so the next plan revokes it.
      throw new IncompleteApplyError({ ...next, previous_key: previousKeyMap(prior, keyFields, now) }, error);
    }
    return { ...next, previous_key: null };
  }

  return {
    typeName: resource.typeName,
    schema,
    describe: resource.describe,
    validateConfig: resource.validateConfig,

    async modifyPlan({ provider, diagnostics, prior, planned, config, privateState, requiresReplace }): Promise<PlannedChange<Connected<State>>> {
      // Without an update, every change of the family's own attributes replaces the key.
      let change: PlannedChange<Connected<State>> = {
        planned,
        requiresReplace: prior && !resource.update ? [...new Set([...requiresReplace, ...changedAttributes(resource.schema, prior, planned)])] : requiresReplace,
      };
      const decision = prior && change.requiresReplace.length === 0 ? lifecycleOf(provider, prior, config, privateState) : undefined;
      if (prior && decision) change = planLifecycle(diagnostics, prior, config, change, decision);
      change = {
        ...change,
        planned: planSealing({
          sealing: provider.sealing, providerDefault: provider.defaultRecipients, diagnostics, describe: resource.describe(prior ?? planned),
          prior: change.requiresReplace.length > 0 ? null : prior, config, planned: change.planned,
        }),
      };
      if (isUnknown(change.planned.connection_name)) return change; // known at apply
      if (prior && valuesEqual(prior, change.planned)) return change; // nothing to do, so nothing needs the connection
      try {
        return { ...change, requiresReplace: await checkPlan(provider, diagnostics, prior, change.planned, change.requiresReplace) };
      } catch (error) {
        const reported = once(provider, planned.connection_name, planned, error);
        if (!(reported instanceof AlreadyReportedError)) throw reported;
        return change; // reported in full by an earlier call: the plan fails on that one, and this instance says nothing more
      }
    },

    async create({ provider, diagnostics, planned, config, receipt }) {
      try {
        const created = await createSealed(provider, diagnostics, planned, config, receipt, (key) => key);
        return { ...created, connection_name: planned.connection_name, rotation: config.rotation ?? null, previous_key: null, secret_recipients: planned.secret_recipients ?? null };
      } catch (error) {
        throw once(provider, planned.connection_name, planned, error);
      }
    },

    async read({ provider, diagnostics, current, privateState }) {
      track(provider, current.id);
      privateState[REFRESHED_AT] = Date.now();
      try {
        const found = await readAt(provider, current.connection_name, current, diagnostics)
          // A state without a connection was written through an aliased provider: the key may live behind a named one.
          ?? (current.connection_name === null ? await readElsewhere(provider, current) : null);
        return found && await withPreviousKey(provider, found, diagnostics);
      } catch (error) {
        const relocated = unusable(error) ? await readElsewhere(provider, current) : null;
        if (relocated) return withPreviousKey(provider, relocated, diagnostics);
        const reported = once(provider, current.connection_name, current, error);
        if (reported instanceof AlreadyReportedError) return current; // the refresh fails on the first report
        throw reported;
      }
    },

    async update({ provider, diagnostics, prior, planned, config, receipt }) {
      try {
        if (isUnknown(planned.id)) return await rotate(provider, diagnostics, prior, planned, config, receipt);
        let state: Connected<State> = { ...prior, rotation: planned.rotation ?? null, connection_name: planned.connection_name, secret_recipients: planned.secret_recipients ?? null };
        const previous = previousAsState(prior);
        if (previous && planned.previous_key === null) {
          await revoke(provider, diagnostics, previous);
          state = { ...state, previous_key: null };
        }
        const changed = changedAttributes(schema, prior, planned).filter((name) => !WRAPPER_SETTINGS.includes(name));
        // Only where or when the provider acts changed (a relocation the plan found, a new schedule): nothing to send.
        if (changed.length === 0) return state;
        const update = resource.update;
        if (!update) throw new Error(`${resource.typeName} has no update, but the plan changes ${changed.join(', ')} in place`);
        // The planned connection: it differs from the prior one only when the plan found the key through it.
        const updated = await through(provider, planned.connection_name, planned, ({ clients }) => update({ clients, diagnostics, prior, planned, config }));
        return { ...state, ...updated };
      } catch (error) {
        throw once(provider, planned.connection_name, planned, error);
      }
    },

    async delete({ provider, diagnostics, prior }) {
      try {
        const previous = previousAsState(prior);
        if (previous) await revoke(provider, diagnostics, previous);
        await revoke(provider, diagnostics, prior);
      } catch (error) {
        throw once(provider, prior.connection_name, prior, error);
      }
    },

    importState({ id }) {
      const { connection, id: scoped } = splitImportId(id);
      const parsed = resource.importId.parse(scoped);
      if (!parsed) {
        throw new ImportIdError(`${quoteForMessage(id)} is not ${resource.importId.usage}`, { hint: IMPORT_ID_CONNECTION_HINT });
      }
      return { ...parsed, connection_name: connection } as Partial<Connected<State>>;
    },
  };
}

