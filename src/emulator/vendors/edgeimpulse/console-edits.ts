import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import type { ConsoleEdit, ManifestOrganizationOf } from '../../vendor';
import type { EdgeImpulseEmulator } from './emulator';

/** The last declared key is revoked in Studio. */
export function edgeImpulseConsoleEdits(emulator: EdgeImpulseEmulator, org: ManifestOrganizationOf<'edgeimpulse'>): ConsoleEdit[] {
  const declared = org.keys.at(-1);
  const key = declared && emulator.organizations.get(org.organizationId) && emulator.keys(org.organizationId).find((found) => found.name === declared.name);
  if (!key) return [];
  emulator.revokeKey(org.organizationId, key.id);
  return [{ said: `${EDGE_IMPULSE.label}: key "${key.name}" (${key.id}) revoked`, planShows: { text: 'has been deleted', why: 'the revoked keys' } }];
}
