/**
 * Attribute checks are the shared rules (src/core/rules), so the provider, the
 * constructs and the manifest apply the same rule with the same words.
 */
export { eachOneOf, integerBetween, lengthBetween, maxLength, notBlank, notEmptyCollection, oneOf, positiveWholeNumber, matches } from '../../core/rules';

/** A user value as a message may repeat it: never one that looks like a key, never more than a short prefix. */
export { quoteForMessage as quoted } from '../../core/security/secret-patterns';
