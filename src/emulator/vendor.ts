import type { EmulatorRequest, EmulatorResponse, Route } from './http';

/** What each emulated vendor plugs into the emulator server. */
export interface EmulatedVendor {
  /** Short name used in the description line, faults and the request log, e.g. "openai". */
  readonly name: string;
  /** Path prefix of the vendor's API on the emulator, e.g. /openai/v1. */
  readonly prefix: string;
  routes(): Route[];
  /** Out-of-band changes, mounted under /_emulator/<name>/. */
  controlRoutes(): Route[];
  /** The vendor's own answer for an unknown path or method. */
  notFound(request: EmulatorRequest): EmulatorResponse;
  /** Headers the vendor adds to every answer (request ids, rate-limit headers). */
  decorate?(response: EmulatorResponse, request: EmulatorRequest): void;
  /** Credentials the emulator accepts, for the description line. */
  credentials(): Record<string, string | number>;
}
