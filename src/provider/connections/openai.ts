import type { CtyObject } from '../cty/value';
import type { ProviderContext } from '../context';
import type { AttributeSchema } from '../framework/schema';
import type { Inventory } from '../../reconcile/inventory';
import { OpenAiAdminKeysApi } from '../../vendors/openai/admin-keys';
import { OPENAI_DEFAULT_BASE_URL, createOpenAiHttpClient } from '../../vendors/openai/client';
import { OpenAiProjectKeysApi } from '../../vendors/openai/project-keys';
import { OpenAiServiceAccountsApi } from '../../vendors/openai/service-accounts';
import type { AdminApiKey, ProjectApiKey } from '../../vendors/openai/types';
import { baseUrlAttribute, resolveBaseUrl, type BaseUrlSpec } from './base-url';
import { credentialAttributes, requireCredential, resolveCredential, type CredentialSpec } from './credentials';

/** How the provider reaches OpenAI: its provider-block settings and the clients built from them. */
export const OPENAI_ADMIN_KEY: CredentialSpec = {
  attribute: 'openai_admin_key', envAttribute: 'openai_admin_key_env', defaultEnv: 'OPENAI_ADMIN_KEY', kind: 'openai_admin_key', label: 'OpenAI organization admin key (sk-admin-...)',
};

export const OPENAI_BASE_URL: BaseUrlSpec = {
  attribute: 'openai_base_url', envName: 'OPENAI_BASE_URL', defaultUrl: OPENAI_DEFAULT_BASE_URL, label: 'OpenAI API base URL',
};

export const openAiProviderAttributes: Record<string, AttributeSchema> = {
  ...credentialAttributes(OPENAI_ADMIN_KEY),
  ...baseUrlAttribute(OPENAI_BASE_URL),
};

/** The base URL the operator's policy allows; a ConfigurationError naming openai_base_url otherwise. */
export const openAiBaseUrl = (config: CtyObject, env: NodeJS.ProcessEnv): string => resolveBaseUrl(OPENAI_BASE_URL, config, env);

export interface OpenAiConnection {
  readonly adminKeys: OpenAiAdminKeysApi;
  readonly adminKeyInventory: Inventory<AdminApiKey>;
  readonly projectKeys: OpenAiProjectKeysApi;
  readonly serviceAccounts: OpenAiServiceAccountsApi;
  /** One listing of a project's keys per provider process, shared by every key of that project. */
  projectKeyInventory(projectId: string): Inventory<ProjectApiKey>;
}

/** OpenAI clients; throws a ConfigurationError, before any request, when no admin key is set. */
export function openAi(context: ProviderContext): OpenAiConnection {
  return context.memo('openai', () => {
    // The destination is checked first: a refused host fails even when no credential is set.
    const baseUrl = openAiBaseUrl(context.config, context.env);
    const credential = resolveCredential(OPENAI_ADMIN_KEY, context.config, context.env);
    const http = createOpenAiHttpClient({
      adminKey: requireCredential(OPENAI_ADMIN_KEY, credential), adminKeySource: credential.source, baseUrl, ...context.transport,
    });
    const adminKeys = new OpenAiAdminKeysApi(http);
    const serviceAccounts = new OpenAiServiceAccountsApi(http);
    const projectKeys = new OpenAiProjectKeysApi(http, serviceAccounts);
    return {
      adminKeys,
      adminKeyInventory: context.inventories.get(`openai:${baseUrl}:admin_api_keys`, () => adminKeys.list(), (key) => key.id),
      projectKeys,
      serviceAccounts,
      projectKeyInventory: (projectId: string) =>
        context.inventories.get(`openai:${baseUrl}:projects/${projectId}/api_keys`, () => projectKeys.list(projectId), (key) => key.id),
    };
  });
}
