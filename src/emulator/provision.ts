import type { Manifest } from '../../lib/manifest/schema';
import { ALLOWED_HOSTS_ENV } from '../core/security/policy';
import type { VendorEmulator } from './server';
import { familyList, provisionOrganization } from './vendors';

/**
 * Makes the emulator hold every organization and project a manifest names
 * (with the manifest's own ids), and returns the environment a deploy of
 * that manifest needs: each organization's credentials under the variable
 * names the manifest chose, each vendor's base URL, and the operator's
 * APIKEYS_ALLOWED_HOSTS entry that lets the provider send credentials to the
 * emulator (its host and port only). Each family provisions its own
 * organizations (src/emulator/vendors/<vendor>/provision.ts), so a manifest
 * of 100 organizations gets 100 emulated organizations.
 */
export function provisionForManifest(emulator: VendorEmulator, manifest: Manifest): Record<string, string> {
  const vendors = emulator.describe().vendors;
  const env: Record<string, string> = Object.fromEntries(familyList().map(({ facts }) => [facts.baseUrlEnv, vendors[facts.vendor].baseUrl]));
  env[ALLOWED_HOSTS_ENV] = new URL(emulator.url).host;
  for (const organization of manifest.organizations) Object.assign(env, provisionOrganization(emulator, organization));
  return env;
}
