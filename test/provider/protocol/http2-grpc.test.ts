/**
 * The gRPC server on node:http2, driven by a raw node:http2 client so that
 * framing edge cases can be produced on purpose.
 */
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { GrpcError, GrpcStatus, MessageReader, frameMessage } from '../../../src/provider/protocol/grpc-framing';
import { bindService, startGrpcServer, type CallContext, type RunningGrpcServer } from '../../../src/provider/protocol/http2-grpc';
import { MESSAGES, type DynamicValue } from '../../../src/provider/protocol/tfplugin6.generated';
import { WireCodec, type ServiceDescriptor } from '../../../src/provider/protocol/wire-codec';
import { until } from './until';

interface TestMethods {
  Echo: { request: DynamicValue; response: DynamicValue };
  Wait: { request: DynamicValue; response: DynamicValue };
  Fail: { request: DynamicValue; response: DynamicValue };
  Crash: { request: DynamicValue; response: DynamicValue };
}
const TEST_SERVICE: ServiceDescriptor<TestMethods> = {
  name: 'test.Service',
  messages: MESSAGES,
  methods: {
    Echo: { request: 'DynamicValue', response: 'DynamicValue' },
    Wait: { request: 'DynamicValue', response: 'DynamicValue' },
    Fail: { request: 'DynamicValue', response: 'DynamicValue' },
    Crash: { request: 'DynamicValue', response: 'DynamicValue' },
  },
};
const codec = new WireCodec(MESSAGES);
const encode = (value: DynamicValue) => codec.encode('DynamicValue', value);

interface Answer { headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders; body: Buffer }

describe('startGrpcServer', () => {
  const MAX = 64 * 1024 * 1024;
  let server: RunningGrpcServer;
  let session: ClientHttp2Session;
  const callErrors: { method: string; message: string }[] = [];
  const waiting: { call: CallContext; release: (value: DynamicValue) => void; answered: boolean }[] = [];

  beforeAll(async () => {
    server = await startGrpcServer([bindService(TEST_SERVICE, {
      Echo: (request) => request,
      Wait: (request, call) => new Promise((resolve) => {
        const entry = { call, release: resolve, answered: false };
        call.afterAnswer(() => { entry.answered = true; });
        waiting.push(entry);
      }),
      Fail: () => { throw new GrpcError(GrpcStatus.INTERNAL, 'failed: 50% ✓\nsecond line'); },
      Crash: () => { throw new Error('a detail that must not reach the client'); },
    })], { maxMessageBytes: MAX, onCallError: (method, error) => callErrors.push({ method, message: (error as Error).message }) });
    session = connect(`http://127.0.0.1:${server.port}`);
  });

  afterAll(async () => {
    session?.close();
    await server?.close();
  });

  const open = (method: string, contentType = 'application/grpc', on: ClientHttp2Session = session): ClientHttp2Stream =>
    on.request({ ':method': 'POST', ':path': `/test.Service/${method}`, 'content-type': contentType, te: 'trailers' });

  const answer = (stream: ClientHttp2Stream): Promise<Answer> => new Promise((resolve, reject) => {
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (received) => { headers = received; });
    stream.on('trailers', (received) => { trailers = received; });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => resolve({ headers, trailers, body: Buffer.concat(chunks) }));
  });

  /** grpc-status and grpc-message from the trailers, or from the headers of a trailers-only answer. */
  const statusOf = (result: Answer) => {
    const source = result.trailers['grpc-status'] !== undefined ? result.trailers : result.headers;
    return { code: Number(source['grpc-status']), message: decodeURIComponent(String(source['grpc-message'] ?? '')) };
  };

  const messagesOf = (body: Buffer): Buffer[] => {
    const reader = new MessageReader(MAX);
    reader.push(body);
    expect(reader.pendingBytes).toBe(0);
    return reader.messages;
  };

  test('a unary call: the answer in one framed message, grpc-status 0 in the trailers', async () => {
    const stream = open('Echo');
    stream.end(frameMessage(encode({ msgpack: Buffer.from('hello') })));
    const result = await answer(stream);
    expect(result.headers[':status']).toBe(200);
    expect(result.headers['content-type']).toBe('application/grpc');
    expect(statusOf(result)).toEqual({ code: GrpcStatus.OK, message: '' });
    expect(messagesOf(result.body).map((message) => codec.decode('DynamicValue', message))).toEqual([{ msgpack: Buffer.from('hello') }]);
  });

  test('a message split across many DATA frames, even inside its 5-byte prefix, arrives whole', async () => {
    const frame = frameMessage(encode({ msgpack: Buffer.alloc(100_000, 7), json: Buffer.from('{}') }));
    const stream = open('Echo');
    const done = answer(stream);
    for (const cut of [0, 2, 3, 5, 9, 4_000, 70_000]) {
      const next = [2, 3, 5, 9, 4_000, 70_000, frame.length].find((value) => value > cut)!;
      await new Promise<void>((resolve) => stream.write(frame.subarray(cut, next), () => resolve()));
    }
    stream.end();
    const result = await done;
    expect(statusOf(result).code).toBe(GrpcStatus.OK);
    expect(codec.decode('DynamicValue', messagesOf(result.body)[0])).toEqual({ msgpack: Buffer.alloc(100_000, 7), json: Buffer.from('{}') });
  });

  test('the message reader reassembles a frame fed one byte at a time, and several frames in one chunk', () => {
    const frames = [frameMessage(Buffer.from('a')), frameMessage(Buffer.alloc(0)), frameMessage(Buffer.from('bcd'))];
    const byByte = new MessageReader(MAX);
    for (const byte of Buffer.concat(frames)) byByte.push(Buffer.from([byte]));
    const together = new MessageReader(MAX);
    together.push(Buffer.concat(frames));
    for (const reader of [byByte, together]) {
      expect(reader.messages.map(String)).toEqual(['a', '', 'bcd']);
      expect(reader.pendingBytes).toBe(0);
    }
  });

  test('a unary call with two messages, with none, or with a cut-off message is refused with INTERNAL', async () => {
    const one = frameMessage(encode({ json: Buffer.from('1') }));
    for (const [body, expected] of [
      [Buffer.concat([one, one]), 'received 2 messages'],
      [Buffer.alloc(0), 'received 0 messages'],
      [one.subarray(0, one.length - 1), 'received an incomplete message'],
    ] as const) {
      const stream = open('Echo');
      stream.end(body);
      const status = statusOf(await answer(stream));
      expect(status.code).toBe(GrpcStatus.INTERNAL);
      expect(status.message).toBe(`a unary call carries exactly one request message; Echo ${expected}`);
    }
  });

  test('a message larger than the limit is refused from its prefix, before its body is sent', async () => {
    const stream = open('Echo');
    const prefix = Buffer.from([0, 0, 0, 0, 0]);
    prefix.writeUInt32BE(MAX + 1, 1);
    stream.write(prefix); // and nothing more: the answer must not wait for the body
    const status = statusOf(await answer(stream));
    expect(status.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(status.message).toBe(`received message larger than max (${MAX + 1} vs. ${MAX})`);
  });

  test('a large message (40 MB, ten times grpc-js\'s default limit) goes both ways', async () => {
    const big = Buffer.alloc(40 * 1024 * 1024, 0xab);
    const stream = open('Echo');
    stream.end(frameMessage(encode({ msgpack: big })));
    const result = await answer(stream);
    expect(statusOf(result).code).toBe(GrpcStatus.OK);
    const echoed = codec.decode('DynamicValue', messagesOf(result.body)[0]) as DynamicValue;
    expect(Buffer.compare(Buffer.from(echoed.msgpack!), big)).toBe(0);
  });

  test('an unknown method (and go-plugin\'s streams) answer UNIMPLEMENTED at once', async () => {
    for (const path of ['/test.Service/Nope', '/plugin.GRPCStdio/StreamStdio', '/plugin.GRPCBroker/StartStream']) {
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
      stream.write(frameMessage(Buffer.alloc(0))); // a stream the client keeps open
      const status = statusOf(await answer(stream));
      expect(status).toEqual({ code: GrpcStatus.UNIMPLEMENTED, message: `Method not found: ${path}` });
    }
  });

  test('a request that is not gRPC is answered 415', async () => {
    const stream = open('Echo', 'application/json');
    stream.end('{}');
    expect((await answer(stream)).headers[':status']).toBe(415);
  });

  test('a handler\'s GrpcError reaches the client percent-encoded; any other error is INTERNAL without its text', async () => {
    const failed = open('Fail');
    failed.end(frameMessage(encode({})));
    const failedResult = await answer(failed);
    expect(failedResult.headers['grpc-message']).toBe('failed: 50%25 %E2%9C%93%0Asecond line');
    expect(statusOf(failedResult)).toEqual({ code: GrpcStatus.INTERNAL, message: 'failed: 50% ✓\nsecond line' });

    const crashed = open('Crash');
    crashed.end(frameMessage(encode({})));
    expect(statusOf(await answer(crashed))).toEqual({ code: GrpcStatus.INTERNAL, message: 'internal error' });
    expect(callErrors).toEqual([{ method: 'Crash', message: 'a detail that must not reach the client' }]);
  });

  test('a call the client cancels (RST_STREAM) aborts its handler\'s signal, and its answer is never counted as sent', async () => {
    const stream = open('Wait');
    const closed = new Promise((resolve) => stream.on('close', resolve));
    stream.on('error', () => undefined);
    stream.end(frameMessage(encode({})));
    await until(() => waiting.length === 1);
    const [entry] = waiting.splice(0);
    expect(entry.call.signal.aborted).toBe(false);
    stream.close(constants.NGHTTP2_CANCEL);
    await closed;
    await until(() => entry.call.signal.aborted);
    entry.release({});
    await new Promise((resolve) => setImmediate(resolve)); // the handler's answer is dropped, and no afterAnswer runs
    expect(entry.answered).toBe(false);
  });

  test('a connection that drops mid-call aborts the signal of every call on it', async () => {
    const other = connect(`http://127.0.0.1:${server.port}`);
    const streams = [open('Wait', undefined, other), open('Wait', undefined, other)];
    for (const stream of streams) {
      stream.on('error', () => undefined);
      stream.end(frameMessage(encode({})));
    }
    await until(() => waiting.length === 2);
    const entries = waiting.splice(0);
    expect(entries.map((entry) => entry.call.signal.aborted)).toEqual([false, false]);
    other.destroy();
    await until(() => entries.every((entry) => entry.call.signal.aborted));
    expect(entries.map((entry) => entry.call.signal.aborted)).toEqual([true, true]);
    for (const entry of entries) entry.release({});
    await new Promise((resolve) => setImmediate(resolve));
    expect(entries.map((entry) => entry.answered)).toEqual([false, false]);
  });

  test('an answered call runs afterAnswer and never aborts', async () => {
    const stream = open('Wait');
    stream.end(frameMessage(encode({})));
    const done = answer(stream);
    await until(() => waiting.length === 1);
    const [entry] = waiting.splice(0);
    entry.release({ json: Buffer.from('done') });
    expect(statusOf(await done).code).toBe(GrpcStatus.OK);
    await until(() => entry.answered);
    expect(entry.call.signal.aborted).toBe(false);
  });
});
