/**
 * Faults a test can inject into the emulator. Each matches requests by
 * vendor, method and a path fragment, fires `times` times, then disarms.
 */
export type FaultAction =
  /** Answer with this status (and body/headers) instead of handling the request. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Close the socket without an answer; the request is not handled. */
  | { kind: 'reset' }
  /** Handle the request (so a create happens), then close the socket: the answer is lost. */
  | { kind: 'drop-response' }
  /** Wait before handling the request. */
  | { kind: 'delay'; ms: number };

export interface FaultSpec {
  vendor?: string;
  method?: string;
  /** Matches when the request path contains this text. */
  pathIncludes?: string;
  /** How many requests it affects. Default 1. */
  times?: number;
  action: FaultAction;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export class FaultPlan {
  private armed: ArmedFault[] = [];

  inject(spec: FaultSpec): void {
    this.armed.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** Takes the first armed fault that matches, counting it down. */
  take(vendor: string, method: string, path: string): FaultAction | undefined {
    const fault = this.armed.find((candidate) =>
      candidate.remaining > 0 &&
      (candidate.vendor === undefined || candidate.vendor === vendor) &&
      (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
      (candidate.pathIncludes === undefined || path.includes(candidate.pathIncludes)));
    if (!fault) return undefined;
    fault.remaining--;
    this.armed = this.armed.filter((candidate) => candidate.remaining > 0);
    return fault.action;
  }

  get pending(): number {
    return this.armed.reduce((sum, fault) => sum + fault.remaining, 0);
  }
}
