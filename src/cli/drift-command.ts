import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCdktfApp } from './cdktf-app';
import { driftReport, markdownSummary, summaryLine, type DriftReport, type PlanJson } from './drift-report';
import { appendStepSummary, EXIT } from './failure';
import { assertProviderBuilt } from './paths';
import { usePrivateUmask } from './private-files';
import { Progress } from './progress';
import { printOutput } from './run';
import { prepareStack } from './prepare-stack';
import { terraformPlan, terraformShowJson } from './stack';
import { terraformFailed } from './terraform-errors';
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
 * provider. Exit 0 in sync, 2 drift (changes or undeclared keys); errors
 * are thrown, and the CLI reports them (exit 1, a JSON error with --json, the
 * step summary). Every step's output is printed once; stdout carries the
 * plan and the summary line, or only the JSON report with --json.
 */
export async function driftCommand(options: DriftOptions): Promise<number> {
  // What this command and the Terraform it starts write (state, backups, plans, .apikeys/) is private.
  usePrivateUmask();
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
    const manifest = options.manifest === undefined ? undefined : resolve(options.manifest);
    const env = terraformEnvironment(scratch, manifest ? { APIKEYS_MANIFEST: manifest } : {});
    const progress = new Progress();
    const stack = await prepareStack(app, env, { stack: options.stack, manifest, progress });

    const planFile = options.out ? resolve(options.out) : join(scratch, 'drift.tfplan');
    const plan = await progress.during(`terraform plan (stack ${stack.name})`, terraformPlan(stack.dir, env, { out: planFile }));
    if (!options.json) printOutput(plan.stdout, process.stdout);
    printOutput(plan.stderr);
    if (plan.exitCode !== EXIT.ok && plan.exitCode !== EXIT.findings) throw terraformFailed('plan', plan);

    const shown = await terraformShowJson(stack.dir, env, planFile);
    if (shown.exitCode !== 0) {
      printOutput(shown.stderr);
      throw terraformFailed('show -json', shown);
    }
    const report = driftReport(stack.name, JSON.parse(shown.stdout) as PlanJson);
    const exitCode = exitCodeFor(report, plan.exitCode);
    const line = summaryLine(report);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...report, exitCode }, null, 2)}\n`);
      process.stderr.write(`${line}\n`);
    } else {
      process.stdout.write(`${line}\n`);
    }
    appendStepSummary(markdownSummary(report));
    return exitCode;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    removeScratch();
  }
}

/** Undeclared keys are drift too; other pending changes (outputs) count as Terraform says. */
function exitCodeFor(report: DriftReport, planExitCode: number): number {
  return report.inSync && planExitCode === EXIT.ok ? EXIT.ok : EXIT.findings;
}
