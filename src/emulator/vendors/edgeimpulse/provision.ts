import type { ManifestOrganizationOf } from '../../vendor';
import type { EdgeImpulseEmulator } from './emulator';

/** Each manifest organization is the emulated organization of its id, made on first sight. */
export function provisionEdgeImpulseOrganization(emulator: EdgeImpulseEmulator, org: ManifestOrganizationOf<'edgeimpulse'>): Record<string, string> {
  const organization = emulator.organizations.get(org.organizationId) ?? emulator.addOrganization({ id: org.organizationId, name: org.name });
  return { [org.apiKeyEnv]: organization.bootstrapApiKey };
}
