import { OPENAI } from '../../../core/facts/openai';
import type { ConsoleEdit } from '../../vendor';
import type { OpenAiEmulator } from './emulator';
import { organizationFor, type EmulatedOpenAiOrganizationSpec } from './provision';

/**
 * Someone revokes an admin key (the last by name, besides the one the
 * pipeline signs in with), and a user makes a key in the organization's
 * first project that nobody declared.
 */
export function openAiConsoleEdits(emulator: OpenAiEmulator, spec: EmulatedOpenAiOrganizationSpec): ConsoleEdit[] {
  const organization = organizationFor(emulator, spec);
  if (!organization) return [];
  const edits: ConsoleEdit[] = [];
  const key = organization.adminKeys.all()
    .filter((found) => found.value !== organization.bootstrapAdminKey)
    .sort((a, b) => String(a.name).localeCompare(String(b.name), 'en'))
    .at(-1);
  if (key) {
    organization.adminKeys.delete(key.id);
    edits.push({ said: `${OPENAI.label}: admin key "${key.name}" (${key.id}) revoked`, planShows: { text: 'has been deleted', why: 'the revoked keys' } });
  }
  const projectId = spec.projectIds?.[0];
  if (projectId && organization.projects.projects.get(projectId)) {
    const rogue = organization.projects.addUserKey(projectId, { name: 'laptop-test', user: { email: 'dev@acme.example' } });
    edits.push({
      said: `${OPENAI.label}: a user made key "${rogue.name}" (${rogue.id}) in ${projectId}, declared nowhere`,
      planShows: { text: rogue.id, why: 'the undeclared key' },
    });
  }
  return edits;
}
