import { ConfigurationError } from '../../core/errors';
import type { CtyObject } from '../cty/value';
import type { AttributeSchema, Validator } from '../framework/schema';
import { integerBetween } from '../framework/validators';

const TIMEOUT_SECONDS = integerBetween(1, 600, 'seconds');
const MAX_RETRIES = integerBetween(0, 10);

/** Settings shared by every vendor's HTTP client. */
export const transportProviderAttributes: Record<string, AttributeSchema> = {
  request_timeout_seconds: {
    type: 'number', optional: true, validators: [TIMEOUT_SECONDS],
    description: 'Deadline for each HTTP attempt to a vendor, 1 to 600. Default 30.',
  },
  max_retries: {
    type: 'number', optional: true, validators: [MAX_RETRIES],
    description: 'How many times, 0 to 10, an idempotent request (list, get, delete) is retried after a 429, a 5xx or a lost connection, with backoff that honours Retry-After. Creates are only retried after a 429. Default 4.',
  },
};

export interface TransportSettings {
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/** A number setting, checked again here: validation is skipped for values unknown until configure. */
function numberSetting(config: CtyObject, attribute: string, validator: Validator, fallback: number): number {
  const value = config[attribute];
  if (typeof value !== 'number') return fallback;
  const problem = validator(value);
  if (problem) throw new ConfigurationError(`${attribute} ${problem}`, attribute, undefined, [attribute]);
  return value;
}

export function resolveTransportSettings(config: CtyObject): TransportSettings {
  return {
    timeoutMs: numberSetting(config, 'request_timeout_seconds', TIMEOUT_SECONDS, 30) * 1000,
    maxRetries: numberSetting(config, 'max_retries', MAX_RETRIES, 4),
  };
}
