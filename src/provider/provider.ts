import { ProviderContext, exactlyOnceProviderAttributes } from './context';
import type { ProviderDefinition } from './framework/resource';
import { atlasProviderAttributes } from './connections/atlas';
import { edgeImpulseProviderAttributes } from './connections/edgeimpulse';
import { openAiProviderAttributes } from './connections/openai';
import { checkConnectionSettings } from './connections/policy-check';
import { organizationKeysDataSource } from './data-sources/organization-keys';
import { atlasOrganizationKeyResource } from './resources/atlas-organization-key';
import { edgeImpulseOrganizationKeyResource } from './resources/edgeimpulse-organization-key';
import { openAiAdminKeyResource } from './resources/openai-admin-key';
import { openAiProjectKeyResource } from './resources/openai-project-key';
import { transportProviderAttributes } from './connections/transport';

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
  // Base URLs and credential variable names against the operator's policy (APIKEYS_ALLOWED_HOSTS...); never throws.
  validateConfig: (config, diagnostics) => checkConnectionSettings(config, diagnostics, process.env),
  configure: (config, { ledger }) => new ProviderContext(config, process.env, ledger),
  stop: (context) => context.stop(),
  resources: [openAiAdminKeyResource, openAiProjectKeyResource, edgeImpulseOrganizationKeyResource, atlasOrganizationKeyResource],
  dataSources: [organizationKeysDataSource],
};
