import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectError, UsageError } from '../../src/core/errors';
import { registerSecret } from '../../src/core/security/redaction';
import { appendStepSummary, EXIT, failureMarkdown, failureReport, failureText, StepFailedError } from '../../src/cli/failure';
import { terraformErrorCauses, terraformFailed } from '../../src/cli/terraform-errors';

/** What `terraform plan -no-color` prints when two resources of one organization lack its credential, and another error. */
const PLAN_OUTPUT = `
Error: Cannot plan OpenAI admin key "ci-deployer"

  with apikeys_openai_admin_key.acme_ci-deployer,
  on cdk.tf.json line 311, in resource.apikeys_openai_admin_key.acme_ci-deployer:
 311:       },

no OpenAI organization admin key (sk-admin-...) is configured for
openai_connection "acme"

Set provider attribute admin_key in openai_connection "acme" or
environment variable ACME_OPENAI_ADMIN_KEY. Nothing was sent to the vendor.

Error: Cannot plan OpenAI admin key "cost-reporting"

  with apikeys_openai_admin_key.acme_cost-reporting,
  on cdk.tf.json line 322, in resource.apikeys_openai_admin_key.acme_cost-reporting:
 322:       }

no OpenAI organization admin key (sk-admin-...) is configured for
openai_connection "acme"

Set provider attribute admin_key in openai_connection "acme" or
environment variable ACME_OPENAI_ADMIN_KEY. Nothing was sent to the vendor.

Warning: Check block assertion failed

  on cdk.tf.json line 35, in check.x:
  35:           "condition": "\${length(x) == 0}",

Some key nobody declared.

Error: Failed to load plugin schemas
`;

describe('the causes of a Terraform failure', () => {
  test('each cause once, on one line, from the diagnostics\' explanations (else their summaries); warnings are not causes', () => {
    expect(terraformErrorCauses(PLAN_OUTPUT)).toEqual([
      'no OpenAI organization admin key (sk-admin-...) is configured for openai_connection "acme". Set provider attribute admin_key in openai_connection "acme" or environment variable ACME_OPENAI_ADMIN_KEY. Nothing was sent to the vendor.',
      'Failed to load plugin schemas',
    ]);
    expect(terraformErrorCauses('No changes.\n')).toEqual([]);
  });

  test('terraformFailed: names the step and exit code; the causes ride along as details', () => {
    const error = terraformFailed('plan', { exitCode: 1, stdout: '', stderr: PLAN_OUTPUT });
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error.code).toBe('APIKEYS_ERR_TERRAFORM');
    expect(error.message).toBe('terraform plan failed (exit 1)');
    expect(error.details).toHaveLength(2);
    expect(error.details[0]).toMatch(/^- no OpenAI .* ACME_OPENAI_ADMIN_KEY\. Nothing was sent to the vendor\.$/);
  });
});

describe('a failed command, for people and for machines', () => {
  const failed = new StepFailedError('APIKEYS_ERR_TERRAFORM', 'terraform plan failed (exit 1)', ['- ACME_OPENAI_ADMIN_KEY is not set'], 'Terraform\'s output is above.');

  test('the exit codes: 0 clean, 2 findings, 1 any error', () => {
    expect(EXIT).toEqual({ ok: 0, error: 1, findings: 2 });
  });

  test('--json: the stable code and a message that names the cause on its own', () => {
    expect(failureReport(failed)).toEqual({
      error: { code: 'APIKEYS_ERR_TERRAFORM', message: 'terraform plan failed (exit 1)\n- ACME_OPENAI_ADMIN_KEY is not set', hint: 'Terraform\'s output is above.' },
      exitCode: 1,
    });
    expect(failureReport(new UsageError('drift: Unknown option \'--stak\''))).toEqual({ error: { code: 'APIKEYS_ERR_USAGE', message: 'drift: Unknown option \'--stak\'' }, exitCode: 1 });
    expect(failureReport(new TypeError('x is undefined')).error.code).toBe('APIKEYS_ERR_INTERNAL');
  });

  test('the terminal: one message and its hint, the details not repeated (their output is above), no stack', () => {
    expect(failureText(failed)).toBe('apikeys: terraform plan failed (exit 1)\n  Terraform\'s output is above.\n');
    expect(failureText(new ProjectError('no cdktf.json', { hint: 'one\n\ntwo' }))).toBe('apikeys: no cdktf.json\n  one\n\n  two\n');
    expect(failureText(new TypeError('x is undefined'))).toBe('apikeys: x is undefined\nSet APIKEYS_DEBUG=1 to see where it happened.\n');
  });

  test('the step summary names the cause, in a block', () => {
    expect(failureMarkdown('apikeys drift', failureReport(failed))).toBe([
      '### apikeys drift', '', '**Error** (`APIKEYS_ERR_TERRAFORM`): terraform plan failed (exit 1)', '', '```text', '- ACME_OPENAI_ADMIN_KEY is not set', '```', '', '',
    ].join('\n'));
    expect(failureMarkdown('apikeys drift', failureReport(new ProjectError('no cdktf.json')))).toBe('### apikeys drift\n\n**Error** (`APIKEYS_ERR_PROJECT`): no cdktf.json\n\n');
  });

  test('secrets never reach any of them', () => {
    const secret = 'sk-admin-failuretestsecret0123456789abcdefgh';
    registerSecret(secret);
    const leaky = new StepFailedError('APIKEYS_ERR_SYNTHESIS', `synthesis failed: ${secret}`, [`  ${secret}`]);
    expect(JSON.stringify(failureReport(leaky))).not.toContain(secret);
    expect(failureText(leaky)).not.toContain(secret);
    expect(failureMarkdown('apikeys drift', failureReport(leaky))).not.toContain(secret);
  });

  test('appendStepSummary appends when GITHUB_STEP_SUMMARY names a file, and does nothing otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apikeys-summary-'));
    const saved = process.env.GITHUB_STEP_SUMMARY;
    try {
      const file = join(dir, 'summary.md');
      writeFileSync(file, '# before\n');
      process.env.GITHUB_STEP_SUMMARY = file;
      appendStepSummary('### after\n');
      expect(readFileSync(file, 'utf8')).toBe('# before\n### after\n');
      delete process.env.GITHUB_STEP_SUMMARY;
      expect(() => appendStepSummary('nowhere\n')).not.toThrow();
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
