import type { CtyObject } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';
import { integerBetween } from '../framework/validators';

/** Settings shared by every vendor's HTTP client. */
export const transportProviderAttributes: Record<string, AttributeSchema> = {
  request_timeout_seconds: {
    type: 'number', optional: true, validators: [integerBetween(1, 600, 'seconds')],
    description: 'Deadline for each HTTP attempt to a vendor. Default 30.',
  },
  max_retries: {
    type: 'number', optional: true, validators: [integerBetween(0, 10)],
    description: 'How many times an idempotent request (list, get, delete) is retried after a 429, a 5xx or a lost connection, with backoff that honours Retry-After. Creates are only retried after a 429. Default 4.',
  },
};

export interface TransportSettings {
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export function resolveTransportSettings(config: CtyObject): TransportSettings {
  return {
    timeoutMs: typeof config.request_timeout_seconds === 'number' ? config.request_timeout_seconds * 1000 : 30_000,
    maxRetries: typeof config.max_retries === 'number' ? config.max_retries : 4,
  };
}
