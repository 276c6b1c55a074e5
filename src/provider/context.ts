import type { CtyObject } from './cty/value';
import { InventoryRegistry } from '../reconcile/inventory';
import type { HttpLogger } from '../vendors/http/client';
import type { RetryPolicy } from '../vendors/http/retry';
import { logger } from './log';
import { resolveTransportSettings } from './connections/transport';

/** What every vendor client of this process shares: deadline, retries, the stop signal, the log. */
export interface TransportOptions {
  readonly timeoutMs: number;
  readonly retry: Partial<RetryPolicy>;
  readonly stopSignal: AbortSignal;
  readonly logger: HttpLogger;
}

/**
 * The configured provider, shared by every call in one provider process:
 * the provider block's values, the environment, the listing inventories and
 * each vendor's clients. Vendor connections (src/provider/connections/) build
 * their clients on first use, so processes that only validate never load the
 * HTTP stack and never need credentials.
 */
export class ProviderContext {
  readonly inventories = new InventoryRegistry();
  readonly transport: TransportOptions;
  private readonly stopController = new AbortController();
  private readonly memos = new Map<string, unknown>();

  constructor(readonly config: CtyObject, readonly env: NodeJS.ProcessEnv) {
    const settings = resolveTransportSettings(config);
    this.transport = {
      timeoutMs: settings.timeoutMs,
      retry: { maxRetries: settings.maxRetries },
      stopSignal: this.stopController.signal,
      logger,
    };
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
