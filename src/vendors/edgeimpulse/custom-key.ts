/** Edge Impulse's rule for a caller-chosen key value (AddApiKeyRequest.apiKey). */
export const CUSTOM_KEY_PREFIX = 'ei_';
export const CUSTOM_KEY_MIN_LENGTH = 32;

/** What is wrong with a caller-chosen key, without repeating any of it; undefined when Edge Impulse would accept it. */
export function customKeyProblem(value: string): string | undefined {
  const problems: string[] = [];
  if (!value.startsWith(CUSTOM_KEY_PREFIX)) problems.push(`start with "${CUSTOM_KEY_PREFIX}"`);
  if (value.length < CUSTOM_KEY_MIN_LENGTH) problems.push(`be at least ${CUSTOM_KEY_MIN_LENGTH} characters long (it has ${value.length})`);
  return problems.length ? `Edge Impulse requires a caller-supplied key to ${problems.join(' and ')}.` : undefined;
}
