import { request } from 'undici';

/** Raw HTTP against the emulator, for wire-format tests: status, headers and parsed body, nothing hidden. */
export interface Answer<T = any> { status: number; headers: Record<string, string | string[] | undefined>; body: T } // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON

export type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH';

export async function rawCall<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are parsed JSON
  method: Method, url: string, options: { bearer?: string | null; headers?: Record<string, string>; json?: unknown } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const answer = await request(url, { method, headers, body });
  const text = await answer.body.text();
  return { status: answer.statusCode, headers: answer.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** OpenAI's error envelope: exactly {error: {message, type, param, code}}. */
export function expectOpenAiError(answer: Answer, status: number, param: string | null = null): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body).sort()).toEqual(['error']);
  expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof answer.body.error.message).toBe('string');
  expect(answer.body.error.message.length).toBeGreaterThan(0);
  expect(typeof answer.body.error.type).toBe('string');
  expect(answer.body.error.param).toBe(param);
}
