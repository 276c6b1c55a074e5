import { json, type EmulatorRequest, type EmulatorResponse } from './http';

/**
 * What the control API (/_emulator/...) shares: its error answer, its
 * request bodies, and the times it reads. A control request with a bad
 * value throws ControlInputError; the server answers it with 400 and the
 * message, which names the field.
 */
export class ControlInputError extends Error {}

/** The control API's error answer: `{ error }`. */
export const controlError = (status: number, error: string): EmulatorResponse => json(status, { error });

/** A control request's JSON object body; {} when there is none. */
export function controlBody(request: EmulatorRequest): Record<string, unknown> {
  if (request.rawBody === '') return {};
  if (request.json === null || typeof request.json !== 'object' || Array.isArray(request.json)) throw new ControlInputError('the body must be a JSON object');
  return request.json as Record<string, unknown>;
}

/** An ISO-8601 time (e.g. 2025-01-31T12:00:00Z) in a control body: a Date, null when the body says null, undefined when absent. */
export function isoTimeField(body: Record<string, unknown>, field: string): Date | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new ControlInputError(`${field} must be an ISO-8601 time such as 2025-01-31T12:00:00Z, or null (got ${JSON.stringify(value)})`);
  return parsed;
}

/** A time in whole Unix seconds (as OpenAI writes them) in a control body: a Date, null, or undefined when absent. */
export function unixSecondsField(body: Record<string, unknown>, field: string): Date | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new ControlInputError(`${field} must be whole Unix seconds such as 1735689600, or null (got ${JSON.stringify(value)})`);
  return new Date((value as number) * 1000);
}

/** A string in a control body, or undefined when absent. */
export function stringField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ControlInputError(`${field} must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}
