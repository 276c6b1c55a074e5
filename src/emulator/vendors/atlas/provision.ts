import { ATLAS } from '../../../core/facts/atlas';
import type { ManifestOrganizationOf } from '../../vendor';
import type { AtlasEmulator } from './emulator';

const { public_key: PUBLIC_KEY, private_key: PRIVATE_KEY, client_id: CLIENT_ID, client_secret: CLIENT_SECRET } = ATLAS.credentials;

/**
 * Each manifest organization is the emulated organization of its id, made
 * on first sight; the manifest's auth block says whether the deploy signs
 * in with the bootstrap programmatic key (digest) or the service account (OAuth).
 */
export function provisionAtlasOrganization(emulator: AtlasEmulator, org: ManifestOrganizationOf<'atlas'>): Record<string, string> {
  const organization = emulator.organization(org.organizationId) ?? emulator.addOrganization(org.name, org.organizationId);
  const auth = org.auth ?? {};
  if (auth.clientIdEnv === undefined && auth.clientSecretEnv === undefined) {
    return {
      [auth.publicKeyEnv ?? PUBLIC_KEY.defaultEnv]: organization.bootstrapKey.publicKey,
      [auth.privateKeyEnv ?? PRIVATE_KEY.defaultEnv]: organization.bootstrapKey.privateKey,
    };
  }
  return {
    [auth.clientIdEnv ?? CLIENT_ID.defaultEnv]: organization.serviceAccount.clientId,
    [auth.clientSecretEnv ?? CLIENT_SECRET.defaultEnv]: organization.serviceAccount.clientSecret,
  };
}
