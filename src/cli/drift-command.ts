import { resolve } from 'node:path';
import { assertProviderBuilt, WORK_DIR } from './paths';
import { cdktfSynth, writeProviderLock, planDrift } from './stack';
import { terraformEnvironment } from './terraform-env';

/**
 * `apikeys drift [--manifest PATH]`: synthesizes the manifest and runs
 * `terraform plan -detailed-exitcode`, exiting with Terraform's status
 * (0 in sync, 2 drift or pending changes, 1 error). For pipeline gates.
 */
export async function driftCommand(options: { manifest?: string }): Promise<number> {
  assertProviderBuilt();
  const env = terraformEnvironment(WORK_DIR, options.manifest ? { APIKEYS_MANIFEST: resolve(options.manifest) } : {});
  const synth = await cdktfSynth(env);
  if (synth.exitCode !== 0) {
    process.stderr.write(synth.stderr || synth.stdout);
    return 1;
  }
  writeProviderLock();
  const plan = await planDrift(env, (line) => process.stdout.write(`${line}\n`));
  if (plan.exitCode === 1) process.stderr.write(plan.stderr);
  return plan.exitCode;
}
