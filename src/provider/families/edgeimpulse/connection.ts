import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import { CoalescedRefresh } from '../../../reconcile/coalesced-refresh';
import type { Inventory } from '../../../reconcile/inventory';
import { createEdgeImpulseHttpClient } from '../../../vendors/edgeimpulse/client';
import { EdgeImpulseOrganizationKeysApi } from '../../../vendors/edgeimpulse/organization-keys';
import type { OrganizationApiKey } from '../../../vendors/edgeimpulse/types';
import type { VendorConnection } from '../../connections/connection';
import { couldBeRedactedFormOf } from '../../../core/security/redacted-forms';
import { baseUrlAndCredential, credentialSpec } from '../../connections/credentials';

const API_KEY = credentialSpec(EDGE_IMPULSE, 'api_key');

/** One organization's keys: the shared listing, and fresh listings after creates. */
export interface EdgeImpulseOrganizationKeys {
  readonly inventory: Inventory<OrganizationApiKey>;
  /** A listing that starts after this call: creates that finish together share one. */
  readonly relist: CoalescedRefresh<OrganizationApiKey>;
}

/** The clients of one Edge Impulse connection (an organization API key). */
export interface EdgeImpulseClients {
  readonly keys: EdgeImpulseOrganizationKeysApi;
  organization(organizationId: number): EdgeImpulseOrganizationKeys;
}

/** How the provider reaches Edge Impulse: an organization API key and a base URL per connection. */
export const edgeImpulseConnection: VendorConnection<EdgeImpulseClients> = {
  facts: EDGE_IMPULSE,
  connect(settings, context) {
    const { baseUrl, secret, source, holder } = baseUrlAndCredential(API_KEY, settings, context.env);
    const keys = new EdgeImpulseOrganizationKeysApi(createEdgeImpulseHttpClient({ apiKey: secret, apiKeySource: source, baseUrl, ...context.transport }));
    const organizations = new Map<number, EdgeImpulseOrganizationKeys>();
    return {
      credential: { what: 'API key', holder, resembles: ({ redacted }) => couldBeRedactedFormOf(redacted, secret) },
      clients: {
        keys,
        organization(organizationId: number): EdgeImpulseOrganizationKeys {
          let found = organizations.get(organizationId);
          if (!found) {
            const inventory = context.inventories.get(
              `${settings.key}:${organizationId}:apikeys`, () => keys.list(organizationId), (key: OrganizationApiKey) => String(key.id),
            );
            found = { inventory, relist: new CoalescedRefresh(inventory) };
            organizations.set(organizationId, found);
          }
          return found;
        },
      },
    };
  },
};
