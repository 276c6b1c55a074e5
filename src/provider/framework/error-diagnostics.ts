import { ApiKeysError, VendorResponseError } from '../../core/errors';
import { redact } from '../../core/security/redaction';
import type { AttributePath, Diagnostics } from './diagnostics';

/**
 * Turns an error into one diagnostic: a summary that says what failed and for
 * which instance, a detail with the cause and what to do, on the attribute
 * the error names (ApiKeysError.attributePath) unless the caller says. Anything
 * that is not one of our own errors is a provider bug, reported as such.
 * Every text is redacted on the way out.
 */
export function reportError(
  diagnostics: Diagnostics,
  error: unknown,
  summary: string,
  options: { subject?: string; path?: AttributePath; extraDetail?: string } = {},
): void {
  const lines: string[] = [];
  if (error instanceof ApiKeysError) {
    lines.push(options.subject ? `${options.subject}: ${error.message}` : error.message);
    if (error instanceof VendorResponseError && error.details.param) lines.push(`The vendor points at request field "${error.details.param}".`);
    if (options.extraDetail) lines.push(options.extraDetail);
    if (error.hint) lines.push(error.hint);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${options.subject ? `${options.subject}: ` : ''}unexpected provider error: ${message}`);
    if (options.extraDetail) lines.push(options.extraDetail);
    lines.push('This is a bug in the apikeys provider; please report it with TF_LOG=debug output.');
  }
  const path = options.path ?? (error instanceof ApiKeysError ? error.attributePath : undefined);
  diagnostics.error(redact(summary), redact(lines.join('\n\n')), path);
}
