import { ConfigurationError, ImportIdError, UnknownConnectionError } from '../../core/errors';
import { quoteForMessage } from '../../core/security/secret-patterns';
import { createExactlyOnce, keyIdentity, warnAboutNamesakes, type KeyScopeHooks, type SendHooks } from '../../reconcile/exactly-once';
import type { Inventory } from '../../reconcile/inventory';
import type { ProviderContext } from '../context';
import { isUnknown, valuesEqual, type CtyObject } from '../cty/value';
import { Diagnostics } from '../framework/diagnostics';
import { changedAttributes } from '../framework/planning';
import type { PlannedChange, ResourceDefinition } from '../framework/resource';
import type { Schema } from '../framework/schema';
import {
  connectionAttribute, connectionLabels, IMPORT_ID_CONNECTION_HINT, importIdOf, splitImportId, type Connection, type VendorConnection,
} from './connection';
import { AlreadyReportedError, callThrough } from './refusals';

/**
 * What every key resource shares, written once (as terraform-provider-aws
 * adds each resource's `region` with an interceptor): its connection.
 * connectedResource() wraps a family's resource so that the family's file
 * holds only its schema, its vendor calls and its import format. The wrapper:
 * - adds the `connection_name` attribute, resolves the connection once per
 *   call and hands the family its clients;
 * - tracks the keys states hold (for the namesake check and the create
 *   journal), warns at plan about a key of the same name that no state holds,
 *   and sends every create through the exactly-once path;
 * - reads the import id's `<connection>:` prefix;
 * - relocates: a state without a connection (written through an aliased
 *   provider), or whose connection is gone, is looked for through the other
 *   connections, and a changed connection that still finds the key is an
 *   update with no vendor call, not a replacement;
 * - tells every vendor refusal with the connection, the credential's variable
 *   and advice for its status, once per connection and cause.
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
export type KeyState = CtyObject & { id: string | null };

/** A key family's resource as its file writes it. */
export interface KeyResource<State extends KeyState, Clients, Item> {
  readonly typeName: string;
  /** The family's own attributes; connectedResource() adds `connection_name`. */
  readonly schema: Schema;
  /** Names one instance in messages, e.g. `OpenAI admin key "ci" (key_abc)`. */
  describe(state: Partial<State>): string;
  /** What the instance's keys belong to, for refusals: "organization 4242", "project proj_abc", "the organization". */
  where(state: Partial<State>): string;
  validateConfig?(config: State, diagnostics: Diagnostics): void;
  /** Where keys like `state` are listed and recognised; undefined while the values that say so are unknown. */
  keys(clients: Clients, state: State): KeyScope<Item> | undefined;
  /** Family rules for a plan (the connection is checked already); throws to stop the plan. */
  checkPlan?(context: { prior: State | null; planned: State }): void;
  create(context: KeyCall<Clients> & { planned: State; config: State; createKey: CreateKey<Item> }): Promise<State>;
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

/** A key resource's state: the family's, and the connection it is found through. */
export type Connected<State> = State & { connection_name: string | null };

/** Connection failures that mean "look elsewhere": the state names a connection this configuration cannot use. */
const unusable = (error: unknown): boolean => error instanceof ConfigurationError || error instanceof UnknownConnectionError;

export function connectedResource<State extends KeyState, Clients, Item>(
  vendor: VendorConnection<Clients>, resource: KeyResource<State, Clients, Item>,
): ResourceDefinition<Connected<State>, ProviderContext> {
  const [idAttribute, ...rest] = Object.entries(resource.schema.attributes);
  const schema: Schema = {
    ...resource.schema,
    attributes: Object.fromEntries([idAttribute, ['connection_name', connectionAttribute(vendor.facts)], ...rest]),
  };

  /** Runs `call` through the named connection; a refusal comes out naming the credential, the connection and the organization. */
  const through = <T>(provider: ProviderContext, label: string | null, state: Partial<State>, call: (connection: Connection<Clients>) => Promise<T>): Promise<T> =>
    callThrough(provider, vendor, label, resource.where(state), call);

  /** The error to report for `state`: itself, or an AlreadyReportedError when this process reported its cause before. */
  const once = (provider: ProviderContext, label: string | null, state: Partial<State>, error: unknown): unknown =>
    provider.reportedCauses.once(error, { vendor: vendor.facts.vendor, connection: label, where: resource.where(state) });

  /** The key through `label`, with that label in its state; null when that connection does not find it. */
  async function readAt(provider: ProviderContext, label: string | null, current: Connected<State>, diagnostics: Diagnostics): Promise<Connected<State> | null> {
    const found = await through(provider, label, current, ({ clients }) => resource.read({ clients, diagnostics, current }));
    return found ? { ...found, connection_name: label } : null;
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
  function track(provider: ProviderContext, id: string | null): void {
    if (id === null) return;
    provider.trackedIds.add(id);
    provider.journal?.forget(id);
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

  /** Plan-time checks of a create or update through its connection: before any vendor write, and any refusal now rather than at apply. */
  async function checkPlan(provider: ProviderContext, diagnostics: Diagnostics, prior: Connected<State> | null, planned: Connected<State>, replace: string[]): Promise<string[]> {
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

  return {
    typeName: resource.typeName,
    schema,
    describe: resource.describe,
    validateConfig: resource.validateConfig,

    async modifyPlan({ provider, diagnostics, prior, planned, requiresReplace }): Promise<PlannedChange<Connected<State>>> {
      // Without an update, every change of the family's own attributes replaces the key.
      let replace = prior && !resource.update ? [...new Set([...requiresReplace, ...changedAttributes(resource.schema, prior, planned)])] : [...requiresReplace];
      if (isUnknown(planned.connection_name)) return { planned, requiresReplace: replace }; // known at apply
      if (prior && valuesEqual(prior, planned)) return { planned, requiresReplace: replace }; // nothing to do, so nothing needs the connection
      try {
        replace = await checkPlan(provider, diagnostics, prior, planned, replace);
      } catch (error) {
        const reported = once(provider, planned.connection_name, planned, error);
        if (!(reported instanceof AlreadyReportedError)) throw reported;
        // Reported in full by an earlier call: the plan fails on that one, and this instance says nothing more.
      }
      return { planned, requiresReplace: replace };
    },

    async create({ provider, diagnostics, planned, config, receipt }) {
      try {
        const created = await through(provider, planned.connection_name, planned, (connection) => resource.create({
          clients: connection.clients, diagnostics, planned, config,
          createKey: (hooks) => {
            const scope = scopeHooks(connection, planned);
            if (!scope) throw new Error(`${resource.typeName}: the key's scope is unknown at apply`);
            return createExactlyOnce({ ...scope, ...hooks }, { settings: provider.exactlyOnce, receipt, warnings: diagnostics, journal: provider.journal });
          },
        }));
        return { ...created, connection_name: planned.connection_name };
      } catch (error) {
        throw once(provider, planned.connection_name, planned, error);
      }
    },

    async read({ provider, diagnostics, current }) {
      track(provider, current.id);
      try {
        const found = await readAt(provider, current.connection_name, current, diagnostics);
        // A state without a connection was written through an aliased provider: the key may live behind a named one.
        return found ?? (current.connection_name === null ? await readElsewhere(provider, current) : null);
      } catch (error) {
        const relocated = unusable(error) ? await readElsewhere(provider, current) : null;
        if (relocated) return relocated;
        const reported = once(provider, current.connection_name, current, error);
        if (reported instanceof AlreadyReportedError) return current; // the refresh fails on the first report
        throw reported;
      }
    },

    async update({ provider, diagnostics, prior, planned, config }) {
      const changed = changedAttributes(schema, prior, planned);
      // Only where the key is found changed (the plan found it there): nothing to send.
      if (changed.every((name) => name === 'connection_name')) return { ...prior, ...planned };
      const update = resource.update;
      if (!update) throw new Error(`${resource.typeName} has no update, but the plan changes ${changed.join(', ')} in place`);
      try {
        // The planned connection: it differs from the prior one only when the plan found the key through it.
        const updated = await through(provider, planned.connection_name, planned, ({ clients }) => update({ clients, diagnostics, prior, planned, config }));
        return { ...updated, connection_name: planned.connection_name };
      } catch (error) {
        throw once(provider, planned.connection_name, planned, error);
      }
    },

    async delete({ provider, diagnostics, prior }) {
      try {
        await through(provider, prior.connection_name, prior, ({ clients }) => resource.delete({ clients, diagnostics, prior }));
      } catch (error) {
        throw once(provider, prior.connection_name, prior, error);
      }
      if (prior.id !== null) provider.journal?.forget(prior.id);
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
