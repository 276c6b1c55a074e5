import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultPlan, type FaultSpec } from './faults';
import { Router, json, readRequest, writeResponse, type EmulatorRequest, type EmulatorResponse } from './http';
import type { EmulatedVendor } from './vendor';
import { createFamilyEmulators, type FamilyEmulators, type FamilyOptions } from './vendors';

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

/** Each family's emulator is a typed field of the server named after its vendor, e.g. `emulator.openai`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface VendorEmulator extends FamilyEmulators {}

/**
 * A local stand-in for the vendors' key APIs on 127.0.0.1, faithful to their
 * wire formats, with a control API for out-of-band changes and faults. The
 * vendor families come from the registry (./vendors/index.ts); each holds
 * any number of organizations.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VendorEmulator {
  readonly faults = new FaultPlan();
  readonly requests: RequestRecord[] = [];
  private readonly vendors: EmulatedVendor[];
  private readonly vendorRouters = new Map<EmulatedVendor, Router>();
  private readonly control = new Router();
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private baseUrl = '';

  private constructor(options: EmulatorOptions) {
    const emulators = createFamilyEmulators(options);
    Object.assign(this, emulators);
    this.vendors = Object.values(emulators).map((emulator) => emulator.asVendor());
    for (const vendor of this.vendors) {
      this.vendorRouters.set(vendor, new Router().addAll(vendor.routes()));
      this.control.addAll(vendor.controlRoutes());
    }
    this.control
      .add('GET', '/_emulator', () => json(200, this.describe()))
      .add('GET', '/_emulator/requests', () => json(200, this.requests))
      .add('DELETE', '/_emulator/requests', () => {
        this.requests.length = 0;
        return { status: 204 };
      })
      .add('POST', '/_emulator/faults', (request) => {
        this.faults.inject(request.json as FaultSpec);
        return json(201, { pending: this.faults.pending });
      })
      .add('DELETE', '/_emulator/faults', () => {
        this.faults.clear();
        return { status: 204 };
      });
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

  private async handle(incoming: import('node:http').IncomingMessage, outgoing: import('node:http').ServerResponse): Promise<void> {
    const partial = await readRequest(incoming);
    if (partial.path === '/_emulator' || partial.path.startsWith('/_emulator/')) {
      const found = this.control.match(partial.method, partial.path);
      const response = 'handler' in found ? await found.handler({ ...partial, params: found.params }) : json(404, { error: 'no such control route' });
      writeResponse(outgoing, response);
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
