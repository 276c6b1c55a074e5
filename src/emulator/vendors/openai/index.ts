import { OPENAI } from '../../../core/facts/openai';
import type { EmulatorFamily } from '../../vendor';
import { openAiConsoleEdits } from './console-edits';
import { openAiControlRoutes } from './control';
import { OpenAiEmulator, type OpenAiEmulatorOptions } from './emulator';
import { openAiOrganizationSpec, provisionOpenAiOrganization, type EmulatedOpenAiOrganizationSpec } from './provision';

/** The emulated OpenAI: admin keys, projects, project keys and service accounts of many organizations. */
export const OPENAI_EMULATOR = {
  facts: OPENAI,
  create: (options?: OpenAiEmulatorOptions) => new OpenAiEmulator(options),
  controlRoutes: openAiControlRoutes,
  spec: openAiOrganizationSpec,
  provision: provisionOpenAiOrganization,
  consoleEdits: openAiConsoleEdits,
} as const satisfies EmulatorFamily<'openai', OpenAiEmulator, OpenAiEmulatorOptions, EmulatedOpenAiOrganizationSpec>;

export * from './emulator';
export { EmulatedOpenAiOrganization, type NewEmulatedOpenAiOrganization } from './organization';
export type { EmulatedOpenAiOrganizationSpec } from './provision';
export type { StoredProject, StoredProjectKey, StoredServiceAccount, OpenAiProjectsSettings } from './projects';
