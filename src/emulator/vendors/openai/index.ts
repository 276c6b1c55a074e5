import { OPENAI } from '../../../core/facts/openai';
import type { EmulatorFamily } from '../../vendor';
import { OpenAiEmulator, type OpenAiEmulatorOptions } from './emulator';
import { openAiConsoleEdits } from './console-edits';
import { provisionOpenAiOrganization } from './provision';

/** The emulated OpenAI: admin keys, projects, project keys and service accounts of many organizations. */
export const OPENAI_EMULATOR = {
  facts: OPENAI,
  create: (options?: OpenAiEmulatorOptions) => new OpenAiEmulator(options),
  provision: provisionOpenAiOrganization,
  consoleEdits: openAiConsoleEdits,
} as const satisfies EmulatorFamily<'openai', OpenAiEmulator, OpenAiEmulatorOptions>;

export * from './emulator';
export { EmulatedOpenAiOrganization, type NewEmulatedOpenAiOrganization } from './organization';
export type { StoredProject, StoredProjectKey, StoredServiceAccount, OpenAiProjectsSettings } from './projects';
