import type { ProviderFamily } from '../family';
import { atlasConnection } from './connection';
import { atlasOrganizationKeyListing, atlasOrganizationKeyResource } from './organization-key';

/** MongoDB Atlas: organization programmatic API keys. */
export const atlasFamily: ProviderFamily = {
  connection: atlasConnection,
  resources: [atlasOrganizationKeyResource],
  listings: { atlas_organization_key: atlasOrganizationKeyListing },
};
