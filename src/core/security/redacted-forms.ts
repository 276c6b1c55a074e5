/**
 * What a vendor shows of a key instead of the key: its start and its end
 * around a mask (`sk-admin...def`, `ei_1a2b…`, `********-****-****-db2c132ca78d`:
 * dots, an ellipsis or stars). Whether a shown form could belong to a
 * secret we hold tells the key a pipeline authenticates with among the keys a
 * vendor lists, so that nothing revokes it.
 */
const MASK = /(?:\.{3,}|…|\*+(?:-\*+)*-?)+/;

/**
 * Whether `shown` (a vendor's redacted form) could be `secret`: its visible
 * start and end are the secret's. Deliberately generous: the answer protects
 * keys, and protecting one key too many is safe. A form without a mask must
 * be the secret itself.
 */
export function couldBeRedactedFormOf(shown: string | null | undefined, secret: string): boolean {
  if (typeof shown !== 'string' || shown === '' || secret === '') return false;
  const pieces = shown.split(MASK);
  if (pieces.length < 2) return shown === secret;
  const head = pieces[0];
  const tail = pieces[pieces.length - 1];
  return head.length + tail.length <= secret.length && secret.startsWith(head) && secret.endsWith(tail);
}
