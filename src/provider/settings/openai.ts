import type { CtyObject } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';
import { httpUrl } from '../framework/validators';
import { OPENAI_DEFAULT_BASE_URL } from '../../vendors/openai/client';
import { credentialAttributes, resolveCredential, resolveSetting, type CredentialSpec, type ResolvedCredential } from './credentials';

export const OPENAI_ADMIN_KEY: CredentialSpec = {
  attribute: 'openai_admin_key', envAttribute: 'openai_admin_key_env', defaultEnv: 'OPENAI_ADMIN_KEY', label: 'OpenAI organization admin key (sk-admin-...)',
};

export const openAiProviderAttributes: Record<string, AttributeSchema> = {
  ...credentialAttributes(OPENAI_ADMIN_KEY),
  openai_base_url: {
    type: 'string', optional: true, validators: [httpUrl],
    description: `OpenAI API base URL. Default \`${OPENAI_DEFAULT_BASE_URL}\`, or the environment variable \`OPENAI_BASE_URL\` when set.`,
  },
};

export interface OpenAiSettings {
  readonly adminKey: ResolvedCredential;
  readonly baseUrl: string;
}

export function resolveOpenAiSettings(config: CtyObject, env: NodeJS.ProcessEnv): OpenAiSettings {
  return {
    adminKey: resolveCredential(OPENAI_ADMIN_KEY, config, env),
    baseUrl: resolveSetting(config, 'openai_base_url', 'OPENAI_BASE_URL', OPENAI_DEFAULT_BASE_URL, env),
  };
}
