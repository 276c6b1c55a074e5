import { ATLAS } from '../../../core/facts/atlas';
import type { EmulatorFamily } from '../../vendor';
import { AtlasEmulator, type AtlasEmulatorOptions } from './emulator';
import { atlasConsoleEdits } from './console-edits';
import { provisionAtlasOrganization } from './provision';

/** The emulated MongoDB Atlas: organization programmatic API keys of many organizations, digest and OAuth. */
export const ATLAS_EMULATOR = {
  facts: ATLAS,
  create: (options?: AtlasEmulatorOptions) => new AtlasEmulator(options),
  provision: provisionAtlasOrganization,
  consoleEdits: atlasConsoleEdits,
} as const satisfies EmulatorFamily<'atlas', AtlasEmulator, AtlasEmulatorOptions>;

export * from './emulator';
export { atlasError } from './auth';
