import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The emulator's request and response model, and a route table.
 *
 * Hand-rolled on node:http rather than a web framework: the point of the
 * emulator is exact control of the wire (status, headers, body bytes,
 * connection resets, digest challenges), and frameworks add defaults of
 * their own.
 */
export interface EmulatorRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly params: Record<string, string>;
  readonly rawBody: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly json: unknown;
  /** Path and query exactly as received (digest auth signs this). */
  readonly url: string;
  /** The caller's IP address, as vendors record it with a key's last use. */
  readonly remoteAddress: string;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless `text` is set; omitted for an empty body. */
  body?: unknown;
  text?: string;
}

export type Handler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly handler: Handler;
}

/** A route of the control API (/_emulator/...): listed by GET /_emulator with its summary, and documented in docs/emulator.md. */
export interface ControlRoute extends Route {
  /** One line: what the route does. */
  readonly summary: string;
}

interface CompiledRoute extends Route {
  readonly regex: RegExp;
  readonly names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    const names: string[] = [];
    const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern, handler, regex: new RegExp(`^${source}/?$`), names });
    return this;
  }

  addAll(routes: readonly Route[]): this {
    for (const route of routes) this.add(route.method, route.pattern, route.handler);
    return this;
  }

  /** The matching handler and its path parameters; `methodMismatch` when only the method is wrong. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
      return { handler: route.handler, params };
    }
    return { methodMismatch };
  }
}

export async function readRequest(incoming: IncomingMessage): Promise<Omit<EmulatorRequest, 'params'>> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(incoming.url ?? '/', 'http://emulator.invalid');
  let json: unknown;
  if (rawBody !== '') {
    try {
      json = JSON.parse(rawBody);
    } catch {
      json = undefined;
    }
  }
  return {
    method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, rawBody, json, url: incoming.url ?? '/',
    remoteAddress: callerAddress(incoming.socket.remoteAddress),
  };
}

/** IPv4 callers on a dual-stack socket show as ::ffff:a.b.c.d; vendors show a.b.c.d. */
function callerAddress(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

export function writeResponse(outgoing: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.text !== undefined) {
    payload = response.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse => ({ status, body, headers });
