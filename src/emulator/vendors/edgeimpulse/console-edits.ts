import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import type { ConsoleEdit } from '../../vendor';
import type { EdgeImpulseEmulator } from './emulator';
import type { EmulatedEdgeImpulseOrganizationSpec } from './provision';

/** A key (the last by name, besides the one the pipeline signs in with) is revoked in Studio. */
export function edgeImpulseConsoleEdits(emulator: EdgeImpulseEmulator, spec: EmulatedEdgeImpulseOrganizationSpec): ConsoleEdit[] {
  const organization = spec.organizationId === undefined ? undefined : emulator.organizations.get(spec.organizationId);
  const key = organization && emulator.keys(organization.id)
    .filter((found) => found.apiKey !== organization.bootstrapApiKey)
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .at(-1);
  if (!organization || !key) return [];
  emulator.revokeKey(organization.id, key.id);
  return [{ said: `${EDGE_IMPULSE.label}: key "${key.name}" (${key.id}) revoked`, planShows: { text: 'has been deleted', why: 'the revoked keys' } }];
}
