/**
 * A seeded fault-injecting HTTP proxy for 127.0.0.1, placed between the
 * provider and the vendor emulator. Independent of the emulator's own fault
 * switches (src/emulator/faults.ts) and of any src/ code, so a campaign run
 * through it tests the provider, not the emulator's idea of faults.
 *
 * Each request that matches (by default: the key and service-account creates
 * of all four families) draws a fault from a PRNG seeded by the campaign seed
 * and the request's identity (method, path without ids, the key name in its
 * body, and how often that identity was seen), not by arrival order, so a seed replays the
 * same faults however Terraform interleaves its calls.
 *
 * "Before acting" faults never reach the emulator; "after acting" faults let
 * the emulator act and then spoil the answer. Atlas digest challenges (a 401
 * with WWW-Authenticate) and requests without credentials pass untouched.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAULT_KINDS = [
  'rate-limited', // 429 with Retry-After, not forwarded
  'error-before', // 500/502/503/504, not forwarded
  'error-after', // forwarded, answer discarded, then 500/502/503/504
  'reset-before', // connection reset, not forwarded
  'reset-after', // forwarded, then connection reset
  'lost-after', // forwarded, then no answer at all (the socket stays open)
  'delay-before-short', // held shorter than the provider's timeout, then forwarded
  'delay-before-long', // held longer than the provider's timeout, then forwarded: the vendor acts late
  'delay-after-short', // forwarded, answer held shorter than the timeout
  'delay-after-long', // forwarded, answer held longer than the timeout
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ProxyRecord {
  seq: number;
  method: string;
  path: string;
  /** The key name the body carried (name, desc), when any. */
  label?: string;
  fault: FaultKind | 'none' | 'passthrough';
  /** The status sent to the client, or how the answer failed. */
  answered: number | 'reset' | 'lost' | 'client-gone';
  /** The emulator's status when the request was forwarded. */
  upstreamStatus?: number;
  forwarded: boolean;
  /** When the client closed its connection before an answer was written (its timeout gave up on it), ms since the epoch. */
  clientClosedAt?: number;
  /** What a campaign hook did to it besides the drawn fault (e.g. "answer-withheld"), for reports. */
  hookFault?: string;
}

export interface FaultProxyOptions {
  /** Origin of the emulator, e.g. http://127.0.0.1:4010. */
  target: string;
  seed: number;
  /** Chance that a matched request gets a fault. Default 0.5. */
  faultRate?: number;
  /** Which faults to draw from. Default: all. */
  kinds?: readonly FaultKind[];
  /** The provider's request timeout: "short" delays are below it, "long" ones above. */
  providerTimeoutMs: number;
  /** Which requests may be faulted. Default: creates (see isKeyCreate). */
  matches?: (method: string, path: string) => boolean;
}

const CREATE_PATHS = [
  /^\/openai\/v1\/organization\/admin_api_keys$/,
  /^\/openai\/v1\/organization\/projects\/[^/]+\/service_accounts$/,
  /^\/edgeimpulse\/v1\/api\/organizations\/[^/]+\/apikeys$/,
  /^\/atlas\/api\/atlas\/(v2|v1\.0)\/orgs\/[^/]+\/apiKeys$/,
];

/** A POST that creates a key (or the service account that carries one) in one of the four families. */
export const isKeyCreate = (method: string, path: string): boolean => method === 'POST' && CREATE_PATHS.some((pattern) => pattern.test(path));

/** A create, or a DELETE of a key or of the service account that carries one: the vendor writes of a rotation. */
export const isKeyWrite = (method: string, path: string): boolean => isKeyCreate(method, path) || (method === 'DELETE' && isKeyCall(method, path));

/** Any call on the key collections: creates, and the lists, reads and deletes the provider's recovery relies on. */
export const isKeyCall = (method: string, path: string): boolean => {
  const collection = path.replace(/\/[^/]+$/, '');
  return CREATE_PATHS.some((pattern) => pattern.test(path) || (method !== 'POST' && pattern.test(collection))) ||
    /^\/openai\/v1\/organization\/projects\/[^/]+\/api_keys(\/[^/]+)?$/.test(path);
};

/** mulberry32: a tiny, well-known 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string mixed with a seed: the PRNG seed for one request identity. */
export function seedFor(seed: number, identity: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < identity.length; index++) {
    hash ^= identity.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const ERROR_STATUSES = [500, 502, 503, 504];
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class FaultProxy {
  readonly records: ProxyRecord[] = [];
  /** Off: every request passes untouched (clean applies). */
  enabled = true;
  /** Called when a request arrives (after its body is read), before any fault: the campaign's kill trigger. */
  onRequest?: (record: ProxyRecord) => void;
  /** Awaited before anything else is done with a request; false drops it unforwarded (connection reset): the campaign holds creates here. */
  beforeForward?: (record: ProxyRecord) => Promise<boolean> | boolean;
  /** Awaited after the emulator acted on a forwarded request and before anything is answered: the campaign kills terraform here. */
  beforeAnswer?: (record: ProxyRecord) => Promise<void> | void;
  /**
   * The key name of a request whose body carries none (a DELETE names its key by id only): the campaign maps the ids it
   * knows to names, so that faults on revocations are drawn per key, not by arrival order.
   */
  labelOf?: (method: string, path: string) => string | undefined;
  private readonly seen = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<ReturnType<typeof setTimeout>>();
  private server?: Server;
  private origin = '';
  private readonly target: URL;

  private constructor(private readonly options: FaultProxyOptions) {
    this.target = new URL(options.target);
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return this.origin;
  }

  /** Faults applied so far, by kind. */
  faultCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const record of this.records) {
      if (record.fault !== 'none' && record.fault !== 'passthrough') counts[record.fault] = (counts[record.fault] ?? 0) + 1;
      if (record.hookFault) counts[record.hookFault] = (counts[record.hookFault] ?? 0) + 1;
    }
    return counts;
  }

  /** The fault a request with this identity gets, and the PRNG for its details (status, delay). */
  decide(method: string, path: string, label: string | undefined): { fault: FaultKind | 'none'; random: () => number } {
    const identity = `${method} ${pathTemplate(path)} ${label ?? ''}`;
    const occurrence = (this.seen.get(identity) ?? 0) + 1;
    this.seen.set(identity, occurrence);
    const random = mulberry32(seedFor(this.options.seed, `${identity} #${occurrence}`));
    const kinds = this.options.kinds ?? FAULT_KINDS;
    if (kinds.length === 0 || random() >= (this.options.faultRate ?? 0.5)) return { fault: 'none', random };
    return { fault: kinds[Math.floor(random() * kinds.length)], random };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const timer of this.held) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const server = createServer((incoming, outgoing) => {
      this.handle(incoming, outgoing).catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(502).end();
        else outgoing.destroy();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const path = url.split('?')[0];
    const label = keyLabel(body) ?? this.labelOf?.(method, path);
    const record: ProxyRecord = { seq: this.records.length + 1, method, path, label, fault: 'passthrough', answered: 0, forwarded: false };
    this.records.push(record);
    let clientGone = false;
    outgoing.on('close', () => {
      if (outgoing.writableFinished) return;
      clientGone = true;
      record.clientClosedAt = Date.now();
    });
    this.onRequest?.(record);

    if (this.beforeForward && !(await this.beforeForward(record))) {
      record.answered = 'reset';
      incoming.socket.destroy();
      return;
    }

    const carriesCredentials = Boolean(incoming.headers.authorization || incoming.headers['x-api-key']);
    const matched = this.enabled && carriesCredentials && (this.options.matches ?? isKeyCreate)(method, path);
    const { fault, random } = matched ? this.decide(method, path, label) : { fault: 'passthrough' as const, random: Math.random };
    record.fault = fault;
    const timeout = this.options.providerTimeoutMs;
    const shortDelay = () => Math.round(timeout * (0.1 + 0.4 * random()));
    const longDelay = () => Math.round(timeout * (1.2 + 0.6 * random()));

    const forward = async (): Promise<Upstream> => {
      record.forwarded = true;
      const upstream = await this.forward(method, url, incoming.headers, body);
      record.upstreamStatus = upstream.status;
      await this.beforeAnswer?.(record);
      return upstream;
    };
    const answer = (upstream: Upstream) => {
      if (clientGone || outgoing.destroyed) {
        record.answered = 'client-gone';
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstream.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      headers['content-length'] = String(upstream.body.length);
      outgoing.writeHead(upstream.status, headers);
      outgoing.end(upstream.body);
      record.answered = upstream.status;
    };
    const fail = (status: number, extra: Record<string, string> = {}) => {
      const payload = JSON.stringify({ error: { message: `fault proxy: ${status}`, type: 'server_error' } });
      outgoing.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...extra });
      outgoing.end(payload);
      record.answered = status;
    };
    const reset = () => {
      record.answered = 'reset';
      const socket = incoming.socket as Socket & { resetAndDestroy?: () => void };
      if (socket.resetAndDestroy) socket.resetAndDestroy();
      else socket.destroy();
    };
    /** A digest challenge is passed on untouched: the fault applies to the authenticated retry instead. */
    const isChallenge = (upstream: Upstream) => upstream.status === 401 && upstream.headers['www-authenticate'] !== undefined;

    switch (fault) {
      case 'passthrough':
      case 'none':
        return answer(await forward());
      case 'rate-limited':
        return fail(429, { 'retry-after': String(1 + Math.floor(random() * 2)) });
      case 'error-before':
        return fail(ERROR_STATUSES[Math.floor(random() * ERROR_STATUSES.length)]);
      case 'reset-before':
        return reset();
      case 'delay-before-short':
      case 'delay-before-long': {
        await this.sleep(fault === 'delay-before-short' ? shortDelay() : longDelay());
        // Forwarded even when the client gave up meanwhile: the vendor acting late is the point.
        return answer(await forward());
      }
    }
    const upstream = await forward();
    if (isChallenge(upstream)) {
      record.fault = 'passthrough';
      return answer(upstream);
    }
    switch (fault) {
      case 'error-after':
        return fail(ERROR_STATUSES[Math.floor(random() * ERROR_STATUSES.length)]);
      case 'reset-after':
        return reset();
      case 'lost-after':
        // No answer: the socket stays open until the client's timeout closes it (or stop()).
        record.answered = 'lost';
        return;
      case 'delay-after-short':
      case 'delay-after-long':
        await this.sleep(fault === 'delay-after-short' ? shortDelay() : longDelay());
        return answer(upstream);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.held.delete(timer);
        resolve();
      }, ms);
      this.held.add(timer);
    });
  }

  /** One request to the emulator on a fresh connection, independent of the client's connection. */
  private forward(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Upstream> {
    const forwardedHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) forwardedHeaders[name] = value;
    }
    forwardedHeaders['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const upstream = httpRequest({
        host: this.target.hostname, port: this.target.port, method, path: url, headers: forwardedHeaders, agent: false,
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

/** The path with organization, project and key ids replaced, so a seed replays across emulators (whose ids are random). */
export const pathTemplate = (path: string): string =>
  path.split('/').map((segment) => (/^(proj_|key_|svc_acct_)|^[0-9a-f]{24}$|^\d+$/.test(segment) ? ':id' : segment)).join('/');

/** The key name a create carries (name in OpenAI and Edge Impulse, desc in Atlas); never the body itself. */
function keyLabel(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const label = parsed.name ?? parsed.desc;
    return typeof label === 'string' ? label : undefined;
  } catch {
    return undefined;
  }
}
