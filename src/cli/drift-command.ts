import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCdktfApp, selectStack, synthesize, synthesizedStacks } from './cdktf-app';
import { driftReport, markdownSummary, summaryLine, type PlanJson } from './drift-report';
import { ProjectError } from '../core/errors';
import { assertProviderBuilt } from './paths';
import { usePrivateUmask } from './private-files';
import { Progress } from './progress';
import { terraformInit, terraformPlan, terraformShowJson, writeProviderLock } from './stack';
import { terraformEnvironment } from './terraform-env';

export interface DriftOptions {
  /** The CDKTF project (holding cdktf.json). */
  projectDir: string;
  manifest?: string;
  stack?: string;
  app?: string;
  output?: string;
  json?: boolean;
  /** Keep the saved plan here (written 0600) instead of deleting it. */
  out?: string;
}

/**
 * `apikeys drift`: synthesizes any CDKTF app (running its cdktf.json app
 * command, without cdktf-cli), then `terraform init` and
 * `plan -detailed-exitcode` in the chosen stack, with this package's
 * provider. Exit 0 in sync, 2 drift (changes or undeclared keys), 1 error.
 * Every step's output is printed once; stdout carries the plan and the
 * summary line, or only the JSON report with --json.
 */
export async function driftCommand(options: DriftOptions): Promise<number> {
  // What this command and the Terraform it starts write (state, backups, plans, .apikeys/) is private.
  usePrivateUmask();
  try {
    const code = await checkDrift(options);
    if (code === 1) appendStepSummary(`### apikeys drift\n\n**Error**: terraform plan failed; see the job log.\n`);
    return code;
  } catch (error) {
    appendStepSummary(`### apikeys drift\n\n**Error**: ${(error as Error).message.split('\n')[0]}\n`);
    throw error;
  }
}

/** A GitHub Actions job summary, when the job has one. */
function appendStepSummary(markdown: string): void {
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
}

async function checkDrift(options: DriftOptions): Promise<number> {
  assertProviderBuilt();
  const app = readCdktfApp(options.projectDir, { app: options.app, output: options.output });
  // A private scratch directory: our Terraform CLI config and the saved plan (secrets may be in it).
  const scratch = mkdtempSync(join(tmpdir(), 'apikeys-drift-'));
  // Interrupted (Ctrl-C, a cancelled CI job): the saved plan must not outlive us.
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    removeScratch();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const env = terraformEnvironment(scratch, options.manifest ? { APIKEYS_MANIFEST: resolve(options.manifest) } : {});
    const progress = new Progress();
    const show = (text: string, stream: NodeJS.WritableStream) => {
      if (text) stream.write(text.endsWith('\n') ? text : `${text}\n`);
    };

    const synth = await progress.during(`Synthesizing (${app.command})`, synthesize(app, env));
    // The app's own output, once (stdout stays for the plan or the JSON report), without stack frames unless debugging.
    show(withoutStackFrames(synth.stdout), process.stderr);
    show(withoutStackFrames(synth.stderr), process.stderr);
    if (synth.exitCode !== 0) throw new ProjectError(`synthesis failed: the app command exited ${synth.exitCode} (its output is above)`);
    const stack = selectStack(synthesizedStacks(app), options.stack);
    if (readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8').includes('cdktf-apikeys/apikeys')) writeProviderLock(stack.dir);

    const init = await progress.during('terraform init', terraformInit(stack.dir, env));
    if (init.exitCode !== 0) {
      show(init.stdout, process.stderr);
      show(init.stderr, process.stderr);
      throw new ProjectError(`terraform init failed in ${stack.dir} (exit ${init.exitCode}; its output is above)`);
    }

    const planFile = options.out ? resolve(options.out) : join(scratch, 'drift.tfplan');
    const plan = await progress.during(`terraform plan (stack ${stack.name})`, terraformPlan(stack.dir, env, { out: planFile }));
    if (!options.json) show(plan.stdout, process.stdout);
    show(plan.stderr, process.stderr);
    if (plan.exitCode !== 0 && plan.exitCode !== 2) {
      process.stderr.write(`apikeys drift: terraform plan failed (exit ${plan.exitCode}; its output is above)\n`);
      return 1;
    }

    const shown = await terraformShowJson(stack.dir, env, planFile);
    if (shown.exitCode !== 0) {
      show(shown.stderr, process.stderr);
      throw new ProjectError(`terraform show -json could not read the plan (exit ${shown.exitCode})`);
    }
    const report = driftReport(stack.name, JSON.parse(shown.stdout) as PlanJson);
    const line = summaryLine(report);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...report, exitCode: exitCodeFor(report, plan.exitCode) }, null, 2)}\n`);
      process.stderr.write(`${line}\n`);
    } else {
      process.stdout.write(`${line}\n`);
    }
    appendStepSummary(markdownSummary(report));
    return exitCodeFor(report, plan.exitCode);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    removeScratch();
  }
}

/** An app that dies of an uncaught error prints a stack; apikeys shows stacks only with APIKEYS_DEBUG=1. */
function withoutStackFrames(text: string): string {
  return process.env.APIKEYS_DEBUG === '1' ? text : text.replace(/^\s+at .+\n?/gm, '');
}

/** Undeclared keys are drift too; other pending changes (outputs) count as Terraform says. */
function exitCodeFor(report: { inSync: boolean }, planExitCode: number): number {
  return report.inSync && planExitCode === 0 ? 0 : 2;
}
