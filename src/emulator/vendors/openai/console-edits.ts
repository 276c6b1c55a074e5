import { OPENAI } from '../../../core/facts/openai';
import type { ConsoleEdit, ManifestOrganizationOf } from '../../vendor';
import type { OpenAiEmulator } from './emulator';
import { organizationFor } from './provision';

/** The last declared admin key is revoked, and a user makes a key in the first project that no manifest declares. */
export function openAiConsoleEdits(emulator: OpenAiEmulator, org: ManifestOrganizationOf<'openai'>): ConsoleEdit[] {
  const organization = organizationFor(emulator, org);
  const edits: ConsoleEdit[] = [];
  const declared = org.adminKeys.at(-1);
  const key = declared && organization?.adminKeys.find((found) => found.name === declared.name);
  if (key) {
    organization!.adminKeys.delete(key.id);
    edits.push({ said: `${OPENAI.label}: admin key "${key.name}" (${key.id}) revoked`, planShows: { text: 'has been deleted', why: 'the revoked keys' } });
  }
  const projectId = org.projects?.[0]?.id;
  if (organization && projectId && organization.projects.projects.get(projectId)) {
    const rogue = organization.projects.addUserKey(projectId, { name: 'laptop-test', user: { email: 'dev@acme.example' } });
    edits.push({
      said: `${OPENAI.label}: a user made key "${rogue.name}" (${rogue.id}) in ${projectId}, declared nowhere`,
      planShows: { text: rogue.id, why: 'the undeclared key' },
      revokeUndeclared: () => organization.projects.keys(projectId).delete(rogue.id),
    });
  }
  return edits;
}
