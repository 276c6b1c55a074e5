/**
 * The ground floor: vendor facts, validation rules, the operator's credential
 * policy, secret patterns and redaction, and the error hierarchy. The
 * library (lib/), the provider, the CLI and the emulator build on it; it
 * imports nothing above it. The library reaches it only through this module.
 */
export * from './errors';
export * from './facts';
export * from './rules';
export { MAX_PRUNE_LIMIT, PRUNE_RULES } from './rules/pruning';
export { closestKey } from './rules/closest';
export * from './security/policy';
export { looksLikeSecret, secretPatterns } from './security/secret-patterns';
export { redact, registerSecret, REDACTED } from './security/redaction';
