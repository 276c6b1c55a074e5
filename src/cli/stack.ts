import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_NAME } from '../app/main-constants';
import { CDKTF_BIN, PACKAGE_ROOT, PROVIDER_LOCK_FILE, STACK_DIR } from './paths';
import { run, type RunResult } from './run';

/**
 * The steps of a key pipeline on the repository's cdktf app: deploy, and
 * plan with -detailed-exitcode (cdktf diff always exits 0, so drift gating
 * runs terraform itself in the synthesized stack).
 */
export const STACK = STACK_NAME;

type LineSink = (line: string) => void;

/**
 * Pins the provider this checkout built. A lock file from an earlier build
 * would name another hash and make init fail ("does not match any of the
 * checksums"); the built one matches, on every platform.
 */
export function writeProviderLock(stackDir = STACK_DIR(STACK)): void {
  mkdirSync(stackDir, { recursive: true });
  copyFileSync(PROVIDER_LOCK_FILE, join(stackDir, '.terraform.lock.hcl'));
}

export function cdktfDeploy(env: NodeJS.ProcessEnv, onLine?: LineSink): Promise<RunResult> {
  // --skip-provider-lock: cdktf would otherwise ask the public registry for lock hashes, which fails offline.
  return run(CDKTF_BIN, ['deploy', STACK, '--auto-approve', '--skip-provider-lock'], { cwd: PACKAGE_ROOT, env, onLine });
}

export function cdktfSynth(env: NodeJS.ProcessEnv, onLine?: LineSink): Promise<RunResult> {
  return run(CDKTF_BIN, ['synth', STACK], { cwd: PACKAGE_ROOT, env, onLine });
}

/** terraform plan -detailed-exitcode in the synthesized stack: 0 in sync, 2 drift or changes, 1 error. */
export async function planDrift(env: NodeJS.ProcessEnv, onLine?: LineSink): Promise<RunResult> {
  const cwd = STACK_DIR(STACK);
  const init = await run('terraform', ['init', '-input=false', '-no-color'], { cwd, env });
  if (init.exitCode !== 0) return init;
  return run('terraform', ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false'], { cwd, env, onLine });
}

export function terraformOutputs(env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run('terraform', ['output', '-no-color'], { cwd: STACK_DIR(STACK), env });
}
