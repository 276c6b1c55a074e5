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

  /** Called with the framework's plan for creates and updates, before apply; may throw to stop the plan. */
  checkPlan?(context: CallContext<Provider> & { planned: State; prior: State | null }): void | Promise<void>;

  /** `receipt` tracks the keys this call creates until Terraform has received the answer. */
  create(context: CallContext<Provider> & { planned: State; config: State; receipt: ApplyReceipt }): Promise<State>;

  /** The current vendor view of the instance, or null when it is gone. */
  read(context: CallContext<Provider> & { current: State }): Promise<State | null>;

  /** In-place changes. Without it, every change to a configurable attribute forces replacement. */
  update?(context: CallContext<Provider> & { prior: State; planned: State; config: State }): Promise<State>;

  delete(context: CallContext<Provider> & { prior: State }): Promise<void>;

  /**
   * Values a relocating attribute (schema `relocates`, the connection) can take in
   * this provider configuration, tried in order when a state without one cannot be
   * read where it points (state written through an aliased provider, before named connections).
   */
  otherLocations?(provider: Provider): readonly string[];

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
  readonly resources: readonly ResourceDefinition<any, Provider>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly dataSources: readonly DataSourceDefinition<any, Provider>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
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
