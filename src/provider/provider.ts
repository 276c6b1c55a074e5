import { ProviderContext, exactlyOnceProviderAttributes } from './context';
import { checkConnectionSettings } from './connections/policy-check';
import { connectionBlock, defaultConnectionAttributes } from './connections/schema';
import { transportProviderAttributes } from './connections/transport';
import { organizationKeysDataSource } from './data-sources/organization-keys';
import { atlasFamily } from './families/atlas';
import { edgeImpulseFamily } from './families/edgeimpulse';
import type { ProviderFamily } from './families/family';
import { openAiFamily } from './families/openai';
import type { ProviderDefinition } from './framework/resource';
import { lifecycleProviderAttributes } from './keys/rotation';
import { exclusiveKeysResource } from './pruning/exclusive-keys';
import { sealingProviderAttributes } from './keys/sealing';

/**
 * The registry: every vendor family of the provider, one line each. A family
 * (src/provider/families/<vendor>/) brings its connection settings, its
 * resources and its data-source listings; everything below composes them.
 */
export const PROVIDER_FAMILIES: readonly ProviderFamily[] = [
  openAiFamily,
  edgeImpulseFamily,
  atlasFamily,
];

const connections = PROVIDER_FAMILIES.map((family) => family.connection);

/** The apikeys provider: its configuration, and every resource and data source it serves. */
export const apiKeysProvider: ProviderDefinition<ProviderContext> = {
  typeName: 'apikeys',
  schema: {
    version: 0,
    description: `Manages vendor API keys (${connections.map((connection) => connection.facts.label).join(', ')}) as code. ` +
      'Credentials come from the environment; one-time secrets land only in state, encrypted to `secret_recipients` when set. The flat `<vendor>_*` attributes are each vendor\'s default ' +
      'connection; `<vendor>_connection "<label>"` blocks add named connections (other organizations) that resources choose with `connection_name`.',
    attributes: {
      ...Object.assign({}, ...connections.map(defaultConnectionAttributes)),
      ...transportProviderAttributes,
      ...exactlyOnceProviderAttributes,
      ...lifecycleProviderAttributes,
      ...sealingProviderAttributes,
    },
    blocks: Object.assign({}, ...connections.map(connectionBlock)),
  },
  // Base URLs and credential variable names of every connection against the operator's policy (APIKEYS_ALLOWED_HOSTS...); never throws.
  validateConfig: (config, diagnostics) => checkConnectionSettings(config, diagnostics, process.env, connections),
  configure: (config, { ledger }) => new ProviderContext(config, process.env, ledger),
  stop: (context) => context.stop(),
  resources: [...PROVIDER_FAMILIES.flatMap((family) => family.resources), exclusiveKeysResource(PROVIDER_FAMILIES)],
  dataSources: [organizationKeysDataSource(PROVIDER_FAMILIES)],
};
