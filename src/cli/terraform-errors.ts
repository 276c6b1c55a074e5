import type { RunResult } from './run';
import { StepFailedError } from './failure';

/** A paragraph of a diagnostic that shows where (`with …`, `on … line N`, source lines), not what. */
const LOCATION = /^(with |on |\d+:)/;

/**
 * The causes Terraform's errors name, from its `-no-color` output: for each
 * `Error:` diagnostic its explanation (else its summary), on one line, each
 * cause once. Errors about many resources often share one cause (a
 * credential variable that is not set): that cause is listed once.
 */
export function terraformErrorCauses(output: string): string[] {
  const causes = output.split(/^(?=(?:Error|Warning): )/m)
    .filter((block) => block.startsWith('Error: '))
    .map((block) => {
      const [first, ...rest] = block.split('\n');
      const explanation = rest.join('\n').split(/\n\s*\n/)
        .map((paragraph) => paragraph.trim())
        .filter((paragraph) => paragraph !== '' && !LOCATION.test(paragraph));
      const sentences = explanation.map((paragraph) => (/[.:;!?]$/.test(paragraph) ? paragraph : `${paragraph}.`));
      return (sentences.length > 0 ? sentences.join(' ') : first.slice('Error: '.length)).replace(/\s+/g, ' ').trim();
    });
  return [...new Set(causes)];
}

/** `terraform <step>` failed: its output has been shown; the error carries the causes for --json and the step summary. */
export function terraformFailed(step: string, result: RunResult): StepFailedError {
  return new StepFailedError('APIKEYS_ERR_TERRAFORM', `terraform ${step} failed (exit ${result.exitCode})`,
    terraformErrorCauses(`${result.stdout}\n${result.stderr}`).map((cause) => `- ${cause}`), 'Terraform\'s output is above.');
}
