import type { CtyObject } from './cty/value';
import { ProviderContext, exactlyOnceProviderAttributes } from './context';
import type { Diagnostics } from './framework/diagnostics';
import type { ProviderDefinition } from './framework/resource';
import { atlasProviderAttributes } from './connections/atlas';
import { edgeImpulseProviderAttributes } from './connections/edgeimpulse';
import { openAiProviderAttributes } from './connections/openai';
import { organizationKeysDataSource } from './data-sources/organization-keys';
import { atlasOrganizationKeyResource } from './resources/atlas-organization-key';
import { edgeImpulseOrganizationKeyResource } from './resources/edgeimpulse-organization-key';
import { openAiAdminKeyResource } from './resources/openai-admin-key';
import { openAiProjectKeyResource } from './resources/openai-project-key';
import { transportProviderAttributes } from './connections/transport';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function warnAboutPlainHttp(config: CtyObject, diagnostics: Diagnostics): void {
  for (const attribute of Object.keys(config).filter((name) => name.endsWith('_base_url'))) {
    const value = config[attribute];
    if (typeof value !== 'string' || !value.startsWith('http:')) continue;
    const host = new URL(value).hostname;
    if (!LOOPBACK_HOSTS.has(host)) {
      diagnostics.warning(`${attribute} uses plain HTTP`, `Credentials and one-time secrets would cross the network unencrypted to ${host}. Use https:// unless this is a local emulator.`, [attribute]);
    }
  }
}

/** The apikeys provider: its configuration, and every resource and data source it serves. */
export const apiKeysProvider: ProviderDefinition<ProviderContext> = {
  typeName: 'apikeys',
  schema: {
    version: 0,
    description: 'Manages vendor API keys (OpenAI, Edge Impulse, MongoDB Atlas) as code. Credentials come from the environment; one-time secrets land only in state.',
    attributes: {
      ...openAiProviderAttributes,
      ...edgeImpulseProviderAttributes,
      ...atlasProviderAttributes,
      ...transportProviderAttributes,
      ...exactlyOnceProviderAttributes,
    },
  },
  validateConfig: warnAboutPlainHttp,
  configure: (config, { ledger }) => new ProviderContext(config, process.env, ledger),
  stop: (context) => context.stop(),
  resources: [openAiAdminKeyResource, openAiProjectKeyResource, edgeImpulseOrganizationKeyResource, atlasOrganizationKeyResource],
  dataSources: [organizationKeysDataSource],
};
