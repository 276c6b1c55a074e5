import { InventoryRegistry, type Inventory } from '../reconcile/inventory';
import type { VendorHttpClient } from '../vendors/http/client';
import { OpenAiAdminKeysApi } from '../vendors/openai/admin-keys';
import { createOpenAiHttpClient } from '../vendors/openai/client';
import type { AdminApiKey } from '../vendors/openai/types';
import { logger } from './log';
import { OPENAI_ADMIN_KEY, type OpenAiSettings } from './settings/openai';
import { requireCredential } from './settings/credentials';
import type { TransportSettings } from './settings/transport';

export interface ProviderSettings {
  readonly openai: OpenAiSettings;
  readonly transport: TransportSettings;
}

export interface OpenAiServices {
  readonly adminKeys: OpenAiAdminKeysApi;
  readonly adminKeyInventory: Inventory<AdminApiKey>;
}

/**
 * The configured provider, shared by every call in one provider process:
 * settings, vendor clients (built on first use, so processes that only
 * validate never load the HTTP stack) and the listing inventories.
 */
export class ProviderContext {
  readonly inventories = new InventoryRegistry();
  private readonly stopController = new AbortController();
  private openAiServices?: OpenAiServices;

  constructor(readonly settings: ProviderSettings) {}

  /** Terraform's StopProvider: pending waits end and no new request starts. */
  stop(): void {
    this.stopController.abort();
  }

  /** OpenAI clients; throws a ConfigurationError, before any request, when no admin key is set. */
  openai(): OpenAiServices {
    if (this.openAiServices) return this.openAiServices;
    const adminKey = requireCredential(OPENAI_ADMIN_KEY, this.settings.openai.adminKey);
    const http = createOpenAiHttpClient({
      adminKey,
      adminKeySource: this.settings.openai.adminKey.source,
      baseUrl: this.settings.openai.baseUrl,
      ...this.transport(),
    });
    const adminKeys = new OpenAiAdminKeysApi(http);
    this.openAiServices = {
      adminKeys,
      adminKeyInventory: this.inventories.get(`openai:${this.settings.openai.baseUrl}:admin_api_keys`, () => adminKeys.list(), (key) => key.id),
    };
    return this.openAiServices;
  }

  private transport(): Pick<Parameters<typeof createOpenAiHttpClient>[0], 'timeoutMs' | 'retry' | 'stopSignal' | 'logger'> {
    return {
      timeoutMs: this.settings.transport.timeoutMs,
      retry: { maxRetries: this.settings.transport.maxRetries },
      stopSignal: this.stopController.signal,
      logger,
    };
  }
}

export type { VendorHttpClient };
