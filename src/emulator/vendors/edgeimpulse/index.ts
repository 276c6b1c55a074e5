import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import type { EmulatorFamily } from '../../vendor';
import { EdgeImpulseEmulator, type EdgeImpulseEmulatorOptions } from './emulator';
import { edgeImpulseConsoleEdits } from './console-edits';
import { provisionEdgeImpulseOrganization } from './provision';

/** The emulated Edge Impulse: organization API keys of many organizations. */
export const EDGE_IMPULSE_EMULATOR = {
  facts: EDGE_IMPULSE,
  create: (options?: EdgeImpulseEmulatorOptions) => new EdgeImpulseEmulator(options),
  provision: provisionEdgeImpulseOrganization,
  consoleEdits: edgeImpulseConsoleEdits,
} as const satisfies EmulatorFamily<'edgeimpulse', EdgeImpulseEmulator, EdgeImpulseEmulatorOptions>;

export * from './emulator';
