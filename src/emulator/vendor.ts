import type { VendorFacts } from '../core/facts';
import type { ControlRoute, EmulatorRequest, EmulatorResponse, Route } from './http';
import type { OrganizationFields } from './spec';

/** What each emulated vendor plugs into the emulator server. */
export interface EmulatedVendor {
  /** Short name used in the description line, faults and the request log, e.g. "openai". */
  readonly name: string;
  /** Path prefix of the vendor's API on the emulator, e.g. /openai/v1. */
  readonly prefix: string;
  routes(): Route[];
  /** The vendor's own answer for an unknown path or method. */
  notFound(request: EmulatorRequest): EmulatorResponse;
  /** Headers the vendor adds to every answer (request ids, rate-limit headers). */
  decorate?(response: EmulatorResponse, request: EmulatorRequest): void;
  /** Credentials the emulator accepts, for the description line. */
  credentials(): Record<string, string | number>;
}

/**
 * One vendor family of the emulator, as its folder (src/emulator/vendors/<vendor>/)
 * exports it and the registry (./vendors/index.ts) lists it.
 */
export interface EmulatorFamily<Vendor extends string, Emulator extends { asVendor(): EmulatedVendor }, Options, Spec extends { readonly vendor: Vendor }> {
  readonly facts: VendorFacts & { readonly vendor: Vendor };
  create(options?: Options): Emulator;
  /** Out-of-band changes and switches, mounted under /_emulator/<vendor>/ (see docs/emulator.md). */
  controlRoutes(emulator: Emulator): ControlRoute[];
  /** The family's spec from the emulator's generic fields, checked (an EmulatorSpecError names what is wrong). */
  spec(fields: OrganizationFields): Spec;
  /**
   * Makes the emulator hold an organization (an existing one when a spec
   * names it again) and returns the credentials a deploy of it needs, under
   * the variable names the spec gives.
   */
  provision(emulator: Emulator, spec: Spec): Record<string, string>;
  /**
   * For the demo (`apikeys demo`): what a person might do in this vendor's
   * console to a deployed organization's keys, done to the emulator now.
   */
  consoleEdits?(emulator: Emulator, spec: Spec): ConsoleEdit[];
}

/** One out-of-band change to a deployed organization, and how the next plan shows it. */
export interface ConsoleEdit {
  /** One line for the reader, e.g. `OpenAI: admin key "x" (key_...) revoked`. */
  readonly said: string;
  /** Text the drift plan must contain, and what it stands for (for the failure message). */
  readonly planShows: { readonly text: string; readonly why: string };
}
