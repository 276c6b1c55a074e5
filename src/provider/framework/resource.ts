import { ApiKeysError } from '../../core/errors';
import type { ApplyReceipt, CreateLedger } from '../../reconcile/create-ledger';
import type { CtyObject } from '../cty/value';
import type { Diagnostics } from './diagnostics';
import type { Schema } from './schema';

/** What every resource and data source call receives besides its own values. */
export interface CallContext<Provider> {
  /** The configured provider: settings, vendor clients, inventories. */
  readonly provider: Provider;
  /** Warnings (and errors that do not abort the call) go here. */
  readonly diagnostics: Diagnostics;
}

/**
 * A resource instance's private state: JSON that Terraform stores next to the
 * instance and hands back, never shows and never diffs (the protocol's
 * `private` bytes). ReadResource receives and returns the stored one; a plan
 * receives it as the prior private state, and what the plan leaves in it
 * reaches the apply. A definition reads and changes it in place.
 */
export type PrivateState = Record<string, unknown>;

/** The result of a plan: the planned state, and the attributes whose change forces replacement. */
export interface PlannedChange<State> {
  readonly planned: State;
  readonly requiresReplace: readonly string[];
}

/**
 * One managed resource type: schema, CRUD and import together, in the
 * manner of terraform-plugin-framework. The lifecycle server does the
 * protocol work (codec, planning rules, error handling); a definition only
 * says how to talk to the vendor.
 */
export interface ResourceDefinition<State extends CtyObject, Provider> {
  readonly typeName: string;
  readonly schema: Schema;

  /** Names one instance in messages, e.g. `OpenAI admin key "ci" (key_abc)`. */
  describe(state: Partial<State>): string;

  /** Cross-attribute checks at validate time. Values may be unknown. */
  validateConfig?(config: State, diagnostics: Diagnostics): void;

  /**
   * Refines the framework's plan of a create or an update (terraform-plugin-framework's
   * ModifyPlan): planned values, and which changes force replacement. Called for every
   * instance that is not being destroyed, changed or not; may throw to stop the plan.
   */
  modifyPlan?(context: CallContext<Provider> & { prior: State | null; config: State; privateState: PrivateState } & PlannedChange<State>): Promise<PlannedChange<State>>;

  /** `receipt` tracks the keys this call creates until Terraform has received the answer. */
  create(context: CallContext<Provider> & { planned: State; config: State; receipt: ApplyReceipt; privateState: PrivateState }): Promise<State>;

  /** The current vendor view of the instance, or null when it is gone. */
  read(context: CallContext<Provider> & { current: State; privateState: PrivateState }): Promise<State | null>;

  /** In-place changes. Without it, every change to a configurable attribute forces replacement. */
  update?(context: CallContext<Provider> & { prior: State; planned: State; config: State; receipt: ApplyReceipt; privateState: PrivateState }): Promise<State>;

  delete(context: CallContext<Provider> & { prior: State }): Promise<void>;

  /** Turns an import id into a state that `read` can complete; throws on a malformed id. */
  importState(context: CallContext<Provider> & { id: string }): Partial<State>;
}

export interface DataSourceDefinition<State extends CtyObject, Provider> {
  readonly typeName: string;
  readonly schema: Schema;
  validateConfig?(config: State, diagnostics: Diagnostics): void;
  read(context: CallContext<Provider> & { config: State }): Promise<State>;
}

export interface ProviderDefinition<Provider> {
  readonly typeName: string;
  readonly schema: Schema;
  validateConfig?(config: CtyObject, diagnostics: Diagnostics): void;
  configure(config: CtyObject, environment: { terraformVersion: string; diagnostics: Diagnostics; ledger: CreateLedger }): Provider;
  /** Terraform's StopProvider (Ctrl-C): abandon waits, start nothing new. */
  stop?(provider: Provider): void;
  readonly resources: readonly ResourceDefinition<any, Provider>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- resources of different state types
  readonly dataSources: readonly DataSourceDefinition<any, Provider>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- resources of different state types
}

/**
 * The vendor did its part (a key exists, its secret is in hand) but a later
 * step failed. The lifecycle server saves `state` together with the error,
 * so the one-time secret reaches Terraform state instead of being lost.
 */
export class IncompleteApplyError<State extends CtyObject = CtyObject> extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_INCOMPLETE_APPLY';
  constructor(readonly state: State, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause, hint: cause instanceof ApiKeysError ? cause.hint : undefined });
  }
}
