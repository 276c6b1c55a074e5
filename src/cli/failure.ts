import { appendFileSync } from 'node:fs';
import { ApiKeysError } from '../core/errors';
import { redact } from '../core/security/redaction';

/**
 * How every command ends, one rule for all (drift now, audit next): 0 clean,
 * 2 findings (drift, undeclared keys), 1 any error, a usage error included.
 */
export const EXIT = { ok: 0, error: 1, findings: 2 } as const;

/**
 * A step that failed with output the user has just seen (the app's, or
 * Terraform's): the message says which step; `details`, lines ready to
 * print, repeat its causes (the missing variable, the manifest's problems)
 * for `--json` and the GitHub step summary, where that output is not.
 */
export class StepFailedError extends ApiKeysError {
  constructor(override readonly code: 'APIKEYS_ERR_SYNTHESIS' | 'APIKEYS_ERR_TERRAFORM', message: string, readonly details: readonly string[], hint?: string) {
    super(message, { hint });
  }
}

/** What `--json` prints on stdout when a command fails, in place of its report. */
export interface FailureReport {
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly exitCode: typeof EXIT.error;
}

const codeOf = (error: unknown): string => {
  const code = error instanceof ApiKeysError ? error.code : undefined;
  return typeof code === 'string' ? code : 'APIKEYS_ERR_INTERNAL';
};
const detailsOf = (error: unknown): readonly string[] => (error instanceof StepFailedError ? error.details : []);
const hintOf = (error: unknown): string | undefined => (error instanceof ApiKeysError ? error.hint : undefined);

/** The error as data: its stable code and a message that names the cause on its own (the details included). Redacted. */
export function failureReport(error: unknown): FailureReport {
  const message = [error instanceof Error ? error.message : String(error), ...detailsOf(error)].join('\n');
  const hint = hintOf(error);
  return { error: { code: codeOf(error), message: redact(message), ...(hint ? { hint: redact(hint) } : {}) }, exitCode: EXIT.error };
}

/**
 * One message per error, never a stack trace: input problems say what to
 * fix. APIKEYS_DEBUG=1 adds the stack, for debugging this package. Details
 * are not repeated: the output they come from is above.
 */
export function failureText(error: unknown): string {
  const lines = [`apikeys: ${error instanceof Error ? error.message : String(error)}`];
  const hint = hintOf(error);
  if (hint) lines.push(...hint.split('\n').map((line) => (line ? `  ${line}` : '')));
  if (process.env.APIKEYS_DEBUG === '1' && error instanceof Error && error.stack) lines.push('', error.stack);
  // Our own errors (APIKEYS_ERR_* codes) are complete; anything else may be a bug.
  else if (!(error instanceof ApiKeysError)) lines.push('Set APIKEYS_DEBUG=1 to see where it happened.');
  return `${redact(lines.join('\n'))}\n`;
}

/** A GitHub Actions job summary section for a failed command: the cause itself, not "see the log". */
export function failureMarkdown(command: string, report: FailureReport): string {
  const [first, ...details] = report.error.message.split('\n');
  const block = details.length > 0 ? ['', '```text', ...details.map((line) => line.replace(/```/g, "'''")), '```'] : [];
  return [`### ${command}`, '', `**Error** (\`${report.error.code}\`): ${first}`, ...block, ''].join('\n') + '\n';
}

/** Appends to the GitHub Actions job summary, when the job has one. */
export function appendStepSummary(markdown: string): void {
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
}
