import type { CtyObject } from '../cty/value';
import type { ProviderContext } from '../context';
import type { AttributeSchema } from '../framework/schema';
import type { Inventory } from '../../reconcile/inventory';
import { CoalescedRefresh } from '../../reconcile/coalesced-refresh';
import { EDGE_IMPULSE_DEFAULT_BASE_URL, createEdgeImpulseHttpClient } from '../../vendors/edgeimpulse/client';
import { EdgeImpulseOrganizationKeysApi } from '../../vendors/edgeimpulse/organization-keys';
import type { OrganizationApiKey } from '../../vendors/edgeimpulse/types';
import { baseUrlAttribute, resolveBaseUrl, type BaseUrlSpec } from './base-url';
import { credentialAttributes, requireCredential, resolveCredential, type CredentialSpec } from './credentials';

/** How the provider reaches Edge Impulse: its provider-block settings and the clients built from them. */
export const EDGE_IMPULSE_API_KEY: CredentialSpec = {
  attribute: 'edgeimpulse_api_key', envAttribute: 'edgeimpulse_api_key_env', defaultEnv: 'EI_API_KEY', kind: 'edgeimpulse_api_key',
  label: 'Edge Impulse organization API key (ei_..., admin role)',
};

export const EDGE_IMPULSE_BASE_URL: BaseUrlSpec = {
  attribute: 'edgeimpulse_base_url', envName: 'EDGEIMPULSE_BASE_URL', defaultUrl: EDGE_IMPULSE_DEFAULT_BASE_URL, label: 'Edge Impulse API base URL',
};

export const edgeImpulseProviderAttributes: Record<string, AttributeSchema> = {
  ...credentialAttributes(EDGE_IMPULSE_API_KEY),
  ...baseUrlAttribute(EDGE_IMPULSE_BASE_URL),
};

/** The base URL the operator's policy allows; a ConfigurationError naming edgeimpulse_base_url otherwise. */
export const edgeImpulseBaseUrl = (config: CtyObject, env: NodeJS.ProcessEnv): string => resolveBaseUrl(EDGE_IMPULSE_BASE_URL, config, env);

/** One organization's keys: the shared listing, and fresh listings after creates. */
export interface EdgeImpulseOrganizationKeys {
  readonly inventory: Inventory<OrganizationApiKey>;
  /** A listing that starts after this call: creates that finish together share one. */
  readonly relist: CoalescedRefresh<OrganizationApiKey>;
}

export interface EdgeImpulseConnection {
  readonly keys: EdgeImpulseOrganizationKeysApi;
  organization(organizationId: number): EdgeImpulseOrganizationKeys;
}

/** Edge Impulse clients; throws a ConfigurationError, before any request, when no API key is set. */
export function edgeImpulse(context: ProviderContext): EdgeImpulseConnection {
  return context.memo('edgeimpulse', () => {
    // The destination is checked first: a refused host fails even when no credential is set.
    const baseUrl = edgeImpulseBaseUrl(context.config, context.env);
    const credential = resolveCredential(EDGE_IMPULSE_API_KEY, context.config, context.env);
    const http = createEdgeImpulseHttpClient({
      apiKey: requireCredential(EDGE_IMPULSE_API_KEY, credential), apiKeySource: credential.source, baseUrl, ...context.transport,
    });
    const keys = new EdgeImpulseOrganizationKeysApi(http);
    const organizations = new Map<number, EdgeImpulseOrganizationKeys>();
    return {
      keys,
      organization(organizationId: number): EdgeImpulseOrganizationKeys {
        let found = organizations.get(organizationId);
        if (!found) {
          const inventory = context.inventories.get(
            `edgeimpulse:${baseUrl}:${organizationId}:apikeys`, () => keys.list(organizationId), (key: OrganizationApiKey) => String(key.id),
          );
          found = { inventory, relist: new CoalescedRefresh(inventory) };
          organizations.set(organizationId, found);
        }
        return found;
      },
    };
  });
}
