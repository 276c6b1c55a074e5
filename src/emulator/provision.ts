import { ALLOWED_HOSTS_ENV } from '../core/security/policy';
import type { VendorEmulator } from './server';
import { EmulatorSpecError } from './spec';
import { familyList, provisionOrganization, type EmulatedOrganizationSpec } from './vendors';

/**
 * Makes the emulator hold every organization the specs name (with their own
 * ids and projects), and returns the environment a deploy of them needs:
 * each organization's credentials under the variables its spec names, each
 * vendor's base URL, and the operator's APIKEYS_ALLOWED_HOSTS entry that lets
 * the provider send credentials to the emulator (its host and port only).
 * Each family provisions its own organizations
 * (src/emulator/vendors/<vendor>/provision.ts), so 100 specs get 100 emulated organizations.
 * One variable cannot hold two organizations' credentials: that is an EmulatorSpecError.
 */
export function provisionOrganizations(emulator: VendorEmulator, specs: readonly EmulatedOrganizationSpec[]): Record<string, string> {
  const vendors = emulator.describe().vendors;
  const env: Record<string, string> = Object.fromEntries(familyList().map(({ facts }) => [facts.baseUrlEnv, vendors[facts.vendor].baseUrl]));
  env[ALLOWED_HOSTS_ENV] = new URL(emulator.url).host;
  const holder = new Map<string, string>();
  for (const spec of specs) {
    for (const [name, value] of Object.entries(provisionOrganization(emulator, spec))) {
      if (env[name] !== undefined && env[name] !== value) {
        throw new EmulatorSpecError(`${name} would hold the credentials of two organizations (${holder.get(name) ?? name} and ${spec.name}); give each organization a variable of its own`);
      }
      env[name] = value;
      holder.set(name, spec.name);
    }
  }
  return env;
}
