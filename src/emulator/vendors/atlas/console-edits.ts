import { ATLAS } from '../../../core/facts/atlas';
import type { ConsoleEdit } from '../../vendor';
import type { AtlasEmulator } from './emulator';
import type { EmulatedAtlasOrganizationSpec } from './provision';

/** A key (the last by description, besides the one the pipeline signs in with) gets a new description in the Atlas console: the plan restores it in place. */
export function atlasConsoleEdits(emulator: AtlasEmulator, spec: EmulatedAtlasOrganizationSpec): ConsoleEdit[] {
  const organization = spec.organizationId === undefined ? undefined : emulator.organization(spec.organizationId);
  const key = organization?.keys.all()
    .filter((found) => found.id !== organization.bootstrapKey.id)
    .sort((a, b) => a.desc.localeCompare(b.desc, 'en'))
    .at(-1);
  if (!organization || !key) return [];
  const desc = `${key.desc} (edited in console)`;
  emulator.updateKey(organization.id, key.id, { desc });
  return [{ said: `${ATLAS.label}: key ${key.id} re-described as "${desc}"`, planShows: { text: 'will be updated in-place', why: 'the Atlas description to restore in place' } }];
}
