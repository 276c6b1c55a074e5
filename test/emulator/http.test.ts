/**
 * The emulator's request and response model and its route table
 * (src/emulator/http.ts), on an in-process node:http server: routing and
 * path parameters, request bodies, and the bytes and headers of answers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Router, json, readRequest, writeResponse, type EmulatorRequest, type EmulatorResponse } from '../../src/emulator/http';

describe('Router', () => {
  const handler = (name: string) => () => json(200, { name });
  const router = new Router()
    .add('GET', '/v1/keys', handler('list'))
    .add('POST', '/v1/keys', handler('create'))
    .add('GET', '/v1/keys/:id', handler('get'))
    .add('GET', '/v1/orgs/:orgId/keys/:keyId', handler('scoped'))
    .add('GET', '/v1/a.b', handler('dotted'));

  const routed = (method: string, path: string) => {
    const found = router.match(method, path);
    return 'handler' in found ? { name: (found.handler({} as EmulatorRequest) as EmulatorResponse).body, params: found.params } : found;
  };

  test('matches method and path, with an optional trailing slash', () => {
    expect(routed('GET', '/v1/keys')).toEqual({ name: { name: 'list' }, params: {} });
    expect(routed('POST', '/v1/keys/')).toEqual({ name: { name: 'create' }, params: {} });
  });

  test('path parameters are named, decoded, and never span a slash', () => {
    expect(routed('GET', '/v1/keys/key_abc')).toEqual({ name: { name: 'get' }, params: { id: 'key_abc' } });
    expect(routed('GET', '/v1/orgs/42/keys/a%20b%2Fc')).toEqual({ name: { name: 'scoped' }, params: { orgId: '42', keyId: 'a b/c' } });
    expect(routed('GET', '/v1/keys/a/b')).toEqual({ methodMismatch: false });
  });

  test('a path that matches only with another method says so; an unknown path does not', () => {
    expect(routed('DELETE', '/v1/keys')).toEqual({ methodMismatch: true });
    expect(routed('GET', '/v1/nothing')).toEqual({ methodMismatch: false });
    expect(routed('GET', '/v1/keysx')).toEqual({ methodMismatch: false });
    expect(routed('GET', '/prefix/v1/keys')).toEqual({ methodMismatch: false });
  });

  test('characters of a pattern are literal: a dot matches only a dot', () => {
    expect(routed('GET', '/v1/a.b')).toMatchObject({ name: { name: 'dotted' } });
    expect(routed('GET', '/v1/aXb')).toEqual({ methodMismatch: false });
  });

  test('the first route added wins; addAll adds in order', () => {
    const ordered = new Router().addAll([
      { method: 'GET', pattern: '/x/:id', handler: handler('param') },
      { method: 'GET', pattern: '/x/fixed', handler: handler('fixed') },
    ]);
    const found = ordered.match('GET', '/x/fixed');
    expect('handler' in found && (found.handler({} as EmulatorRequest) as EmulatorResponse).body).toEqual({ name: 'param' });
  });
});

describe('readRequest', () => {
  test('a body in several chunks is joined before decoding, so a character split between chunks survives', async () => {
    const bytes = Buffer.from(JSON.stringify({ name: 'clé 🔑' }));
    const split = bytes.indexOf(Buffer.from('🔑')) + 2; // inside the four bytes of the emoji
    const incoming = Object.assign(Readable.from([bytes.subarray(0, split), bytes.subarray(split)]), { method: 'POST', url: '/v1/keys', headers: {}, socket: { remoteAddress: '127.0.0.1' } });
    const request = await readRequest(incoming as unknown as IncomingMessage);
    expect(request.json).toEqual({ name: 'clé 🔑' });
    expect(request.rawBody).toBe('{"name":"clé 🔑"}');
  });

  test('without a method or URL (never from node:http, but typed so): GET /', async () => {
    const request = await readRequest(Object.assign(Readable.from([]), { headers: {}, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage);
    expect(request).toMatchObject({ method: 'GET', path: '/', url: '/', rawBody: '', json: undefined });
  });
});

describe('readRequest and writeResponse on a real socket', () => {
  let server: Server;
  let url: string;
  let seen: Omit<EmulatorRequest, 'params'>[];
  let answer: EmulatorResponse;

  beforeAll(async () => {
    server = createServer((incoming, outgoing) => {
      void readRequest(incoming).then((request) => {
        seen.push(request);
        writeResponse(outgoing, answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen = [];
    answer = { status: 204 };
  });

  test('method, path without the query, the query parsed, and the URL exactly as sent (digest auth signs it)', async () => {
    await fetch(`${url}/v1/keys?limit=2&after=key_a%2Bb&order=asc`, { method: 'PATCH', headers: { 'x-probe': 'yes' } });
    expect(seen[0]).toMatchObject({ method: 'PATCH', path: '/v1/keys', url: '/v1/keys?limit=2&after=key_a%2Bb&order=asc', rawBody: '', json: undefined });
    expect(Object.fromEntries(seen[0].query)).toEqual({ limit: '2', after: 'key_a+b', order: 'asc' });
    expect(seen[0].headers['x-probe']).toBe('yes');
  });

  test('a JSON body is parsed; any other body is kept raw, with json undefined', async () => {
    await fetch(`${url}/a`, { method: 'POST', body: JSON.stringify({ name: 'ci', roles: ['ORG_MEMBER'] }) });
    await fetch(`${url}/b`, { method: 'POST', body: '{"name": "torn' });
    await fetch(`${url}/c`, { method: 'POST', body: 'name=ci' });
    expect(seen.map((request) => [request.rawBody, request.json])).toEqual([
      ['{"name":"ci","roles":["ORG_MEMBER"]}', { name: 'ci', roles: ['ORG_MEMBER'] }],
      ['{"name": "torn', undefined],
      ['name=ci', undefined],
    ]);
  });

  test('a JSON answer: serialised, application/json, its length in bytes, and the handler\'s headers', async () => {
    answer = json(201, { name: 'clé' }, { 'x-request-id': 'req_1' });
    const response = await fetch(`${url}/x`);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength('{"name":"clé"}')));
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(await response.text()).toBe('{"name":"clé"}');
  });

  test('a text answer wins over a body and is text/plain unless the handler says otherwise', async () => {
    answer = { status: 200, text: 'plain', body: { ignored: true } };
    const plain = await fetch(`${url}/x`);
    expect([plain.headers.get('content-type'), await plain.text()]).toEqual(['text/plain; charset=utf-8', 'plain']);
    answer = { status: 200, text: '<html></html>', headers: { 'content-type': 'text/html' } };
    const html = await fetch(`${url}/x`);
    expect([html.headers.get('content-type'), await html.text()]).toEqual(['text/html', '<html></html>']);
  });

  test('no body: no content type and a length of 0; a handler\'s own JSON content type is kept', async () => {
    answer = { status: 204 };
    const empty = await fetch(`${url}/x`);
    expect([empty.status, empty.headers.get('content-type'), await empty.text()]).toEqual([204, null, '']);
    answer = { status: 200 };
    expect((await fetch(`${url}/x`)).headers.get('content-length')).toBe('0');
    answer = json(200, { a: 1 }, { 'content-type': 'application/vnd.atlas.2023-01-01+json' });
    expect((await fetch(`${url}/x`)).headers.get('content-type')).toBe('application/vnd.atlas.2023-01-01+json');
  });

  test('json() is a plain response object', () => {
    expect(json(404, { error: 'no' })).toEqual({ status: 404, body: { error: 'no' }, headers: undefined });
  });
});
