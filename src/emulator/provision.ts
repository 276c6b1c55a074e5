import type { Manifest } from '../../lib/manifest/schema';
import { ALLOWED_HOSTS_ENV } from '../security/policy';
import type { VendorEmulator } from './server';

/**
 * Makes the emulator hold every organization and project a manifest names
 * (with the manifest's own ids), and returns the environment a deploy of
 * that manifest needs: each organization's credentials under the variable
 * names the manifest chose, each vendor's base URL, and the operator's
 * APIKEYS_ALLOWED_HOSTS entry that lets the provider send credentials to the
 * emulator (its host and port only).
 */
export function provisionForManifest(emulator: VendorEmulator, manifest: Manifest): Record<string, string> {
  const vendors = emulator.describe().vendors;
  const env: Record<string, string> = {
    OPENAI_BASE_URL: vendors.openai.baseUrl,
    EDGEIMPULSE_BASE_URL: vendors.edgeimpulse.baseUrl,
    MONGODB_ATLAS_BASE_URL: vendors.atlas.baseUrl,
    [ALLOWED_HOSTS_ENV]: new URL(emulator.url).host,
  };
  for (const org of manifest.organizations) {
    switch (org.vendor) {
      case 'openai':
        // One emulated OpenAI organization: every manifest organization authenticates with its admin key.
        env[org.adminKeyEnv ?? 'OPENAI_ADMIN_KEY'] = emulator.openai.bootstrapAdminKey;
        for (const project of org.projects ?? []) {
          if (!emulator.openai.projects.projects.get(project.id)) emulator.openai.projects.createProject(`Project ${project.id}`, project.id);
        }
        break;
      case 'edgeimpulse': {
        const existing = emulator.edgeimpulse.organizations.get(org.organizationId);
        const created = existing ?? emulator.edgeimpulse.addOrganization({ id: org.organizationId, name: org.name });
        env[org.apiKeyEnv] = created.bootstrapApiKey;
        break;
      }
      case 'atlas': {
        const created = emulator.atlas.organization(org.organizationId) ?? emulator.atlas.addOrganization(org.name, org.organizationId);
        const auth = org.auth ?? {};
        if (auth.clientIdEnv === undefined && auth.clientSecretEnv === undefined) {
          env[auth.publicKeyEnv ?? 'MONGODB_ATLAS_PUBLIC_KEY'] = created.bootstrapKey.publicKey;
          env[auth.privateKeyEnv ?? 'MONGODB_ATLAS_PRIVATE_KEY'] = created.bootstrapKey.privateKey;
        } else {
          env[auth.clientIdEnv ?? 'MONGODB_ATLAS_CLIENT_ID'] = created.serviceAccount.clientId;
          env[auth.clientSecretEnv ?? 'MONGODB_ATLAS_CLIENT_SECRET'] = created.serviceAccount.clientSecret;
        }
        break;
      }
    }
  }
  return env;
}
