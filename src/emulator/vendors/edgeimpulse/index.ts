import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import type { EmulatorFamily } from '../../vendor';
import { edgeImpulseConsoleEdits } from './console-edits';
import { edgeImpulseControlRoutes } from './control';
import { EdgeImpulseEmulator, type EdgeImpulseEmulatorOptions } from './emulator';
import { edgeImpulseOrganizationSpec, provisionEdgeImpulseOrganization, type EmulatedEdgeImpulseOrganizationSpec } from './provision';

/** The emulated Edge Impulse: organization API keys of many organizations. */
export const EDGE_IMPULSE_EMULATOR = {
  facts: EDGE_IMPULSE,
  create: (options?: EdgeImpulseEmulatorOptions) => new EdgeImpulseEmulator(options),
  controlRoutes: edgeImpulseControlRoutes,
  spec: edgeImpulseOrganizationSpec,
  provision: provisionEdgeImpulseOrganization,
  consoleEdits: edgeImpulseConsoleEdits,
} as const satisfies EmulatorFamily<'edgeimpulse', EdgeImpulseEmulator, EdgeImpulseEmulatorOptions, EmulatedEdgeImpulseOrganizationSpec>;

export * from './emulator';
export type { EmulatedEdgeImpulseOrganizationSpec } from './provision';
