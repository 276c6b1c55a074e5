import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_NAME } from '../app/main-constants';
import { PROVIDER_LOCK_FILE } from './paths';
import { run, type RunResult, type RunOptions } from './run';

/**
 * Terraform steps in a synthesized stack directory, with this package's
 * provider pinned. cdktf diff always exits 0, so drift gating runs
 * `terraform plan -detailed-exitcode` itself.
 */
export const STACK = STACK_NAME;

const PROVIDER_BLOCK = /^provider "registry\.terraform\.io\/cdktf-apikeys\/apikeys" \{\n[\s\S]*?^\}\n?/m;

/**
 * Pins the provider this package built in the stack's lock file. A lock
 * entry from an earlier build would name another hash and make init fail
 * ("does not match any of the checksums"); the built one matches on every
 * platform. Entries for other providers are kept.
 */
export function writeProviderLock(stackDir: string): void {
  mkdirSync(stackDir, { recursive: true });
  const lockPath = join(stackDir, '.terraform.lock.hcl');
  const ours = readFileSync(PROVIDER_LOCK_FILE, 'utf8').match(PROVIDER_BLOCK)?.[0];
  if (!ours) throw new Error(`${PROVIDER_LOCK_FILE} holds no apikeys provider entry; rebuild with "npm run build"`);
  const existing = existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';
  const others = existing.replace(PROVIDER_BLOCK, '').replace(/\n*$/, '\n');
  writeFileSync(lockPath, `${others}\n${ours.replace(/\n?$/, '\n')}`);
}

type Forwarding = Pick<RunOptions, 'onLine' | 'forwardStdout' | 'forwardStderr'>;

export function terraformInit(stackDir: string, env: NodeJS.ProcessEnv, forward: Forwarding = {}): Promise<RunResult> {
  return run('terraform', ['init', '-input=false', '-no-color'], { cwd: stackDir, env, ...forward });
}

/**
 * terraform plan -detailed-exitcode: 0 in sync, 2 drift or changes, 1 error.
 * -lock=false: a plan writes no state, and read-only credentials cannot take a backend lock.
 */
export function terraformPlan(stackDir: string, env: NodeJS.ProcessEnv, options: { out?: string } & Forwarding = {}): Promise<RunResult> {
  const { out, ...forward } = options;
  const args = ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false', ...(out ? [`-out=${out}`] : [])];
  return run('terraform', args, { cwd: stackDir, env, ...forward });
}

export function terraformApply(stackDir: string, env: NodeJS.ProcessEnv, forward: Forwarding = {}): Promise<RunResult> {
  return run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: stackDir, env, ...forward });
}

export function terraformShowJson(stackDir: string, env: NodeJS.ProcessEnv, planFile: string): Promise<RunResult> {
  return run('terraform', ['show', '-json', '-no-color', planFile], { cwd: stackDir, env });
}

export function terraformOutputs(stackDir: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run('terraform', ['output', '-no-color'], { cwd: stackDir, env });
}
