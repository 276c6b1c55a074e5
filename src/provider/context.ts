import type { CtyObject } from './cty/value';
import { InventoryRegistry } from '../reconcile/inventory';
import type { CreateLedger, ExitRevocation } from '../reconcile/create-ledger';
import { FileCreateJournal, type CreateJournal } from '../reconcile/create-journal';
import { DEFAULT_MAX_CREATE_ATTEMPTS, MAX_SETTLE_WINDOW_MS, defaultSettings, type ExactlyOnceSettings } from '../reconcile/exactly-once';
import type { HttpLogger } from '../vendors/http/client';
import type { RetryPolicy } from '../vendors/http/retry';
import { logger } from './log';
import { ReportedCauses } from './connections/refusals';
import type { LifecycleSettings } from './keys/lifecycle';
import { lifecycleSettingsOf } from './keys/rotation';
import { ageSealing, defaultRecipientsOf, type Sealing } from './keys/sealing';
import { resolveTransportSettings } from './connections/transport';
import type { AttributeSchema } from './framework/schema';
import { integerBetween, oneOf } from './framework/validators';

/** What every vendor client of this process shares: deadline, retries, the stop signal, the log. */
export interface TransportOptions {
  readonly timeoutMs: number;
  readonly retry: Partial<RetryPolicy>;
  readonly stopSignal: AbortSignal;
  readonly logger: HttpLogger;
}

const EXIT_REVOCATIONS: readonly ExitRevocation[] = ['created', 'undelivered'];

/** Provider settings of the exactly-once create path (docs/guarantees.md). */
export const exactlyOnceProviderAttributes: Record<string, AttributeSchema> = {
  create_settle_seconds: {
    type: 'number', optional: true, validators: [integerBetween(1, MAX_SETTLE_WINDOW_MS / 1000, 'seconds')],
    description: 'After a create whose outcome is unknown (timeout, lost answer, 5xx), how long in all the provider re-lists the keys, with backoff, ' +
      'to find out whether the vendor made the key. Default: twice `request_timeout_seconds`, at least 5 seconds.',
  },
  create_max_attempts: {
    type: 'number', optional: true, validators: [integerBetween(1, 10)],
    description: `How many times one create may be sent when the earlier sends had unknown outcomes (each key they made is revoked or adopted first). Default ${DEFAULT_MAX_CREATE_ATTEMPTS}.`,
  },
  terraform_exit_revokes: {
    type: 'string', optional: true, validators: [oneOf(EXIT_REVOCATIONS)],
    description: 'What the provider revokes when Terraform goes away mid-apply without stopping it (killed): `created` (default), every key this ' +
      'provider process created, since Terraform may not have saved them (remote backends save state every 20 s at best); `undelivered`, only keys ' +
      'whose answer never reached Terraform (enough with the local backend, which writes state after each resource). Either way, a rotation\'s ' +
      'new key that reached Terraform is kept: its resource may already hold it, with the old key as previous_key; if the state was not ' +
      'saved, the next rotation revokes it from the create journal before making another.',
  },
};

/**
 * The configured provider, shared by every call in one provider process:
 * the provider block's values, the environment, the listing inventories and
 * the clients of each connection. Connections (connections/connection.ts,
 * one per vendor and label) build their clients on first use, so processes
 * that only validate never load the HTTP stack and never need credentials.
 */
export class ProviderContext {
  readonly inventories = new InventoryRegistry();
  /** Ids of the keys Terraform refreshed in this process: the keys some state tracks (and the journal forgets). */
  readonly trackedIds = new Set<string>();
  /** Keys created by earlier runs that no state has confirmed yet. */
  readonly journal?: CreateJournal;
  /** Refusals and connection problems reported so far: each cause is one error, however many resources meet it. */
  readonly reportedCauses = new ReportedCauses();
  /** The thresholds of the plan's expiry and staleness warnings. */
  readonly lifecycle: LifecycleSettings;
  readonly transport: TransportOptions;
  /** How creates with unknown outcomes are resolved (src/reconcile/exactly-once.ts). */
  readonly exactlyOnce: ExactlyOnceSettings;
  /** The provider's `secret_recipients`: the default of every key resource that sets none (null: secrets stay unencrypted). */
  readonly defaultRecipients: readonly string[] | null;
  /** How new secrets are sealed to their recipients (./keys/sealing.ts). */
  readonly sealing: Sealing = ageSealing;
  private readonly stopController = new AbortController();
  private readonly memos = new Map<string, unknown>();

  constructor(readonly config: CtyObject, readonly env: NodeJS.ProcessEnv, ledger?: CreateLedger) {
    const settings = resolveTransportSettings(config);
    this.transport = {
      timeoutMs: settings.timeoutMs,
      retry: { maxRetries: settings.maxRetries },
      stopSignal: this.stopController.signal,
      logger,
    };
    this.exactlyOnce = defaultSettings(settings.timeoutMs, {
      ...(typeof config.create_settle_seconds === 'number' ? { settleWindowMs: config.create_settle_seconds * 1000 } : {}),
      ...(typeof config.create_max_attempts === 'number' ? { maxAttempts: config.create_max_attempts } : {}),
    });
    this.journal = FileCreateJournal.forProcess(env);
    this.lifecycle = lifecycleSettingsOf(config);
    this.defaultRecipients = defaultRecipientsOf(config);
    if (ledger && typeof config.terraform_exit_revokes === 'string') ledger.exitRevocation = config.terraform_exit_revokes as ExitRevocation;
  }

  /** Terraform's StopProvider: pending waits end and no new request starts. */
  stop(): void {
    this.stopController.abort();
  }

  /** One value per key for the life of this process (vendor clients, resolved settings). */
  memo<T>(key: string, build: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, build());
    return this.memos.get(key) as T;
  }
}
