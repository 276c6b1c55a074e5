import type { ProviderFamily } from '../family';
import { edgeImpulseConnection } from './connection';
import { edgeImpulseOrganizationKeyListing, edgeImpulseOrganizationKeyResource } from './organization-key';

/** Edge Impulse: organization API keys. */
export const edgeImpulseFamily: ProviderFamily = {
  connection: edgeImpulseConnection,
  resources: [edgeImpulseOrganizationKeyResource],
  listings: { edgeimpulse_organization_key: edgeImpulseOrganizationKeyListing },
};
