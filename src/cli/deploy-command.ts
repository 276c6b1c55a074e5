import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors';
import { readCdktfApp } from './cdktf-app';
import { EXIT } from './failure';
import { assertProviderBuilt } from './paths';
import { prepareStack } from './prepare-stack';
import { usePrivateUmask } from './private-files';
import { Progress } from './progress';
import { run } from './run';
import { terraformApply } from './stack';
import { terraformFailed } from './terraform-errors';
import { terraformEnvironment } from './terraform-env';

export interface DeployOptions {
  /** The CDKTF project (holding cdktf.json). */
  projectDir: string;
  stack?: string;
  manifest?: string;
  app?: string;
  output?: string;
  /** Apply without asking; required when not on a terminal. */
  autoApprove?: boolean;
}

/**
 * `apikeys deploy`: what `cdktf deploy` does, without cdktf-cli (archived,
 * heavy, and it builds native code): synthesize the app as drift does, then
 * `terraform init` and `terraform apply` in the stack, with this package's
 * provider, under umask 077 (state, its backups and plans are owner-only).
 * Without --auto-approve, Terraform shows the plan and asks, on the terminal.
 */
export async function deployCommand(options: DeployOptions): Promise<number> {
  usePrivateUmask();
  assertProviderBuilt();
  const interactive = !options.autoApprove;
  if (interactive && !process.stdin.isTTY) {
    throw new UsageError('deploy: not on a terminal, so Terraform could not ask before applying', { hint: 'Pass --auto-approve to apply without asking (in CI, for example).' });
  }
  const app = readCdktfApp(options.projectDir, { app: options.app, output: options.output });
  // Holds only our Terraform CLI configuration.
  const scratch = mkdtempSync(join(tmpdir(), 'apikeys-deploy-'));
  // While Terraform applies, an interrupt is Terraform's to handle: it lets creates in flight finish and saves them.
  const keepRunning = () => undefined;
  process.on('SIGINT', keepRunning);
  process.on('SIGTERM', keepRunning);
  try {
    const manifest = options.manifest === undefined ? undefined : resolve(options.manifest);
    const env = terraformEnvironment(scratch, manifest ? { APIKEYS_MANIFEST: manifest } : {});
    const stack = await prepareStack(app, env, { stack: options.stack, manifest, progress: new Progress() });
    const apply = interactive
      ? await run('terraform', ['apply'], { cwd: stack.dir, env, interactive: true })
      : await terraformApply(stack.dir, env, { forwardStdout: process.stdout, forwardStderr: process.stderr });
    if (apply.exitCode !== 0) throw terraformFailed('apply', apply);
    return EXIT.ok;
  } finally {
    process.removeListener('SIGINT', keepRunning);
    process.removeListener('SIGTERM', keepRunning);
    rmSync(scratch, { recursive: true, force: true });
  }
}
