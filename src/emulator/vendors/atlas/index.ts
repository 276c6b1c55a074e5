import { ATLAS } from '../../../core/facts/atlas';
import type { EmulatorFamily } from '../../vendor';
import { atlasConsoleEdits } from './console-edits';
import { atlasControlRoutes } from './control';
import { AtlasEmulator, type AtlasEmulatorOptions } from './emulator';
import { atlasOrganizationSpec, provisionAtlasOrganization, type EmulatedAtlasOrganizationSpec } from './provision';

/** The emulated MongoDB Atlas: organization programmatic API keys of many organizations, digest and OAuth. */
export const ATLAS_EMULATOR = {
  facts: ATLAS,
  create: (options?: AtlasEmulatorOptions) => new AtlasEmulator(options),
  controlRoutes: atlasControlRoutes,
  spec: atlasOrganizationSpec,
  provision: provisionAtlasOrganization,
  consoleEdits: atlasConsoleEdits,
} as const satisfies EmulatorFamily<'atlas', AtlasEmulator, AtlasEmulatorOptions, EmulatedAtlasOrganizationSpec>;

export * from './emulator';
export { atlasError } from './auth';
export type { AccessListEntry } from './access-list';
export type { EmulatedAtlasOrganizationSpec } from './provision';
