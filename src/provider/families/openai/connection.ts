import { OPENAI } from '../../../core/facts/openai';
import type { Inventory } from '../../../reconcile/inventory';
import { OpenAiAdminKeysApi } from '../../../vendors/openai/admin-keys';
import { createOpenAiHttpClient } from '../../../vendors/openai/client';
import { OpenAiProjectKeysApi } from '../../../vendors/openai/project-keys';
import { OpenAiServiceAccountsApi } from '../../../vendors/openai/service-accounts';
import type { AdminApiKey, ProjectApiKey } from '../../../vendors/openai/types';
import type { VendorConnection } from '../../connections/connection';
import { couldBeRedactedFormOf } from '../../../core/security/redacted-forms';
import { baseUrlAndCredential, credentialSpec } from '../../connections/credentials';

const ADMIN_KEY = credentialSpec(OPENAI, 'admin_key');

/** The clients of one OpenAI connection (one organization), and its shared listings. */
export interface OpenAiClients {
  readonly adminKeys: OpenAiAdminKeysApi;
  readonly adminKeyInventory: Inventory<AdminApiKey>;
  readonly projectKeys: OpenAiProjectKeysApi;
  readonly serviceAccounts: OpenAiServiceAccountsApi;
  /** One listing of a project's keys per provider process, shared by every key of that project. */
  projectKeyInventory(projectId: string): Inventory<ProjectApiKey>;
}

/** How the provider reaches OpenAI: an admin key and a base URL per connection. */
export const openAiConnection: VendorConnection<OpenAiClients> = {
  facts: OPENAI,
  connect(settings, context) {
    const { baseUrl, secret, source, holder } = baseUrlAndCredential(ADMIN_KEY, settings, context.env);
    const http = createOpenAiHttpClient({ adminKey: secret, adminKeySource: source, baseUrl, ...context.transport });
    const adminKeys = new OpenAiAdminKeysApi(http);
    const serviceAccounts = new OpenAiServiceAccountsApi(http);
    const projectKeys = new OpenAiProjectKeysApi(http, serviceAccounts);
    return {
      credential: { what: 'admin key', holder, resembles: ({ redacted }) => couldBeRedactedFormOf(redacted, secret) },
      clients: {
        adminKeys,
        adminKeyInventory: context.inventories.get(`${settings.key}:admin_api_keys`, () => adminKeys.list(), (key) => key.id),
        projectKeys,
        serviceAccounts,
        projectKeyInventory: (projectId: string) =>
          context.inventories.get(`${settings.key}:projects/${projectId}/api_keys`, () => projectKeys.list(projectId), (key) => key.id),
      },
    };
  },
};
