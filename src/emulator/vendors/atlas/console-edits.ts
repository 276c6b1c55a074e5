import { ATLAS } from '../../../core/facts/atlas';
import type { ConsoleEdit, ManifestOrganizationOf } from '../../vendor';
import type { AtlasEmulator } from './emulator';

const EDITED = 'edited in console';

/** The last declared key gets a new description in the Atlas console: the plan restores it in place. */
export function atlasConsoleEdits(emulator: AtlasEmulator, org: ManifestOrganizationOf<'atlas'>): ConsoleEdit[] {
  const declared = org.keys.at(-1);
  const description = declared && (declared.description ?? declared.name);
  const key = description === undefined ? undefined : emulator.organization(org.organizationId)?.keys.find((found) => found.desc === description);
  if (!key) return [];
  const desc = `${declared!.name} (${EDITED})`;
  emulator.updateKey(org.organizationId, key.id, { desc });
  return [{ said: `${ATLAS.label}: key ${key.id} re-described as "${desc}"`, planShows: { text: 'will be updated in-place', why: 'the Atlas description to restore in place' } }];
}
