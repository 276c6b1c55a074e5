import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { controlBody, ControlInputError } from './control';
import { FaultPlan, type FaultSpec } from './faults';
import { Router, json, readRequest, writeResponse, type ControlRoute, type EmulatorRequest, type EmulatorResponse } from './http';
import type { EmulatedVendor } from './vendor';
import { createFamilyEmulators, emulatedVendors, type FamilyEmulators, type FamilyOptions } from './vendors';

/** The port, and each family's options under its vendor name (see ./vendors/index.ts). */
export type EmulatorOptions = FamilyOptions & {
  /** 0 picks a free port. */
  port?: number;
};

/** One line of the request log: no headers, no bodies, so no secrets. */
export interface RequestRecord {
  vendor: string;
  method: string;
  path: string;
  query: string;
  status: number | 'reset' | 'dropped';
}

/** The first stdout line of `apikeys emulator`: where each vendor lives and what it accepts. */
export interface EmulatorDescription {
  url: string;
  control: string;
  vendors: Record<string, { baseUrl: string } & Record<string, string | number>>;
}

/** One line of GET /_emulator's route list. */
export interface ControlRouteSummary {
  method: string;
  path: string;
  summary: string;
}

/** Each family's emulator is a typed field of the server named after its vendor, e.g. `emulator.openai`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- merges FamilyEmulators' fields into the class
export interface VendorEmulator extends FamilyEmulators {}

/**
 * A local stand-in for the vendors' key APIs on 127.0.0.1, faithful to their
 * wire formats, with a control API for out-of-band changes and faults. The
 * vendor families come from the registry (./vendors/index.ts); each holds
 * any number of organizations.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface above gives the class its per-vendor fields
export class VendorEmulator {
  readonly faults = new FaultPlan();
  readonly requests: RequestRecord[] = [];
  private readonly vendors: EmulatedVendor[];
  private readonly vendorRouters = new Map<EmulatedVendor, Router>();
  private readonly control = new Router();
  /** Every control route, for GET /_emulator and docs/emulator.md. */
  private readonly controlRouteList: ControlRoute[];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private baseUrl = '';

  private constructor(options: EmulatorOptions) {
    const emulators = createFamilyEmulators(options);
    Object.assign(this, emulators);
    const families = emulatedVendors(emulators);
    this.vendors = families.map(({ vendor }) => vendor);
    for (const vendor of this.vendors) this.vendorRouters.set(vendor, new Router().addAll(vendor.routes()));
    this.controlRouteList = [...this.ownControlRoutes(), ...families.flatMap(({ controlRoutes }) => controlRoutes)];
    this.control.addAll(this.controlRouteList);
  }

  /** What the emulator itself answers under /_emulator: its description and routes, the request log, faults. */
  private ownControlRoutes(): ControlRoute[] {
    return [
      {
        method: 'GET', pattern: '/_emulator', summary: 'the description line (each vendor\'s base URL and credentials) and this list of control routes',
        handler: () => json(200, { ...this.describe(), controlRoutes: this.controlRoutes() }),
      },
      { method: 'GET', pattern: '/_emulator/requests', summary: 'the vendor requests seen so far: vendor, method, path, query, status (no headers, no bodies)', handler: () => json(200, this.requests) },
      {
        method: 'DELETE', pattern: '/_emulator/requests', summary: 'forget the requests seen so far',
        handler: () => {
          this.requests.length = 0;
          return { status: 204 };
        },
      },
      {
        method: 'POST', pattern: '/_emulator/faults', summary: 'inject a fault: a status, a reset, a lost answer or a delay, for matching vendor requests',
        handler: (request) => {
          this.faults.inject(controlBody(request) as unknown as FaultSpec);
          return json(201, { pending: this.faults.pending });
        },
      },
      {
        method: 'DELETE', pattern: '/_emulator/faults', summary: 'clear every injected fault',
        handler: () => {
          this.faults.clear();
          return { status: 204 };
        },
      },
    ];
  }

  /** Every control route: method, path (with :parameters) and a one-line summary. */
  controlRoutes(): ControlRouteSummary[] {
    return this.controlRouteList.map((route) => ({ method: route.method, path: route.pattern, summary: route.summary }));
  }

  static async start(options: EmulatorOptions = {}): Promise<VendorEmulator> {
    const emulator = new VendorEmulator(options);
    await emulator.listen(options.port ?? 0);
    return emulator;
  }

  get url(): string {
    return this.baseUrl;
  }

  describe(): EmulatorDescription {
    return {
      url: this.baseUrl,
      control: `${this.baseUrl}/_emulator`,
      vendors: Object.fromEntries(this.vendors.map((vendor) => [vendor.name, { baseUrl: this.baseUrl + vendor.prefix, ...vendor.credentials() }])),
    };
  }

  /** Requests to one vendor, optionally filtered by method and a path fragment. */
  requestsTo(vendor: string, method?: string, pathIncludes?: string): RequestRecord[] {
    return this.requests.filter((record) =>
      record.vendor === vendor && (!method || record.method === method) && (!pathIncludes || record.path.includes(pathIncludes)));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((incoming, outgoing) => {
      this.handle(incoming, outgoing).catch((error: unknown) => {
        if (!outgoing.headersSent) writeResponse(outgoing, json(500, { error: `emulator failure: ${(error as Error).message}` }));
      });
    });
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** A control request; a bad value in it (ControlInputError) is a 400 naming the field. */
  private async handleControl(request: Omit<EmulatorRequest, 'params'>): Promise<EmulatorResponse> {
    const found = this.control.match(request.method, request.path);
    if (!('handler' in found)) return json(404, { error: 'no such control route; GET /_emulator lists them' });
    try {
      return await found.handler({ ...request, params: found.params });
    } catch (error) {
      if (error instanceof ControlInputError) return json(400, { error: error.message });
      throw error;
    }
  }

  private async handle(incoming: import('node:http').IncomingMessage, outgoing: import('node:http').ServerResponse): Promise<void> {
    const partial = await readRequest(incoming);
    if (partial.path === '/_emulator' || partial.path.startsWith('/_emulator/')) {
      writeResponse(outgoing, await this.handleControl(partial));
      return;
    }
    const vendor = this.vendors.find((candidate) => partial.path === candidate.prefix || partial.path.startsWith(`${candidate.prefix}/`));
    if (!vendor) {
      writeResponse(outgoing, json(404, { error: `no emulated vendor at ${partial.path}` }));
      return;
    }
    const record: RequestRecord = { vendor: vendor.name, method: partial.method, path: partial.path, query: partial.query.toString(), status: 0 };
    this.requests.push(record);

    const fault = this.faults.take(vendor.name, partial.method, partial.path);
    if (fault?.kind === 'reset') {
      record.status = 'reset';
      incoming.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await sleep(fault.ms);

    const request: EmulatorRequest = { ...partial, params: {} };
    let response: EmulatorResponse;
    if (fault?.kind === 'status') {
      response = { status: fault.status, body: fault.body, headers: fault.headers };
    } else {
      const found = this.vendorRouters.get(vendor)!.match(partial.method, partial.path);
      response = 'handler' in found ? await found.handler({ ...partial, params: found.params }) : vendor.notFound(request);
    }
    if (fault?.kind === 'drop-response') {
      record.status = 'dropped';
      incoming.socket.destroy();
      return;
    }
    vendor.decorate?.(response, request);
    record.status = response.status;
    writeResponse(outgoing, response);
  }
}
