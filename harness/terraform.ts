import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_LOCK_FILE, assertProviderBuilt } from '../src/cli/paths';
import { run, type RunResult } from '../src/cli/run';
import { terraformEnvironment } from '../src/cli/terraform-env';
import { ALLOWED_HOSTS_ENV } from '../src/core/security/policy';

/**
 * The operator's policy for test runs: credentials may go to the local
 * emulator (any port on 127.0.0.1). Suites that test the policy override it.
 */
export const TEST_POLICY_ENV: NodeJS.ProcessEnv = { [ALLOWED_HOSTS_ENV]: '127.0.0.1' };

/** Commands that would prompt without -input=false (and accept the flag). */
const INTERACTIVE_COMMANDS = new Set(['init', 'plan', 'apply', 'destroy', 'import', 'refresh']);
/** Commands whose first argument is a subcommand (`terraform state rm`). */
const COMMAND_GROUPS = new Set(['state', 'workspace']);

/**
 * A scratch Terraform working directory driving the real terraform binary,
 * with the provider from this checkout's build (implied local mirror) and
 * its lock entry. Nothing reaches a registry.
 */
export class TerraformWorkspace {
  readonly outputs: RunResult[] = [];

  private constructor(readonly dir: string, private env: NodeJS.ProcessEnv) {}

  static create(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): TerraformWorkspace {
    assertProviderBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'apikeys-tf-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    copyFileSync(PROVIDER_LOCK_FILE, join(dir, '.terraform.lock.hcl'));
    return new TerraformWorkspace(dir, terraformEnvironment(join(dir, '.cli'), { ...TEST_POLICY_ENV, ...env }));
  }

  write(name: string, content: string): void {
    writeFileSync(join(this.dir, name), content);
  }

  setEnv(extra: NodeJS.ProcessEnv): void {
    this.env = { ...this.env, ...extra };
  }

  /**
   * Runs terraform with -no-color and -input=false; every result is kept for leak checks.
   * With `timeoutMs`, a run that has not finished by then is killed (with the
   * provider processes it started) and fails, so a hang fails the test instead of blocking it.
   */
  async terraform(args: string[], extraEnv: NodeJS.ProcessEnv = {}, options: { timeoutMs?: number } = {}): Promise<RunResult> {
    // Flags follow the whole command: `state rm -no-color ...`.
    const words = COMMAND_GROUPS.has(args[0]) ? 2 : 1;
    const [command, rest] = [args.slice(0, words), args.slice(words)];
    const input = INTERACTIVE_COMMANDS.has(command[0]) ? ['-input=false'] : [];
    const fullArgs = [...command, '-no-color', ...input, ...rest];
    const env = { ...this.env, ...extraEnv };
    const result = options.timeoutMs === undefined
      ? await run('terraform', fullArgs, { cwd: this.dir, env })
      : await runWithDeadline('terraform', fullArgs, { cwd: this.dir, env }, options.timeoutMs);
    this.outputs.push(result);
    return result;
  }

  state(): { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[]; outputs: Record<string, { value: unknown; sensitive?: boolean }> } {
    return JSON.parse(readFileSync(join(this.dir, 'terraform.tfstate'), 'utf8'));
  }

  /** Attributes of one resource instance from the state file. */
  attributes(type: string, name: string): Record<string, unknown> {
    const resource = this.state().resources.find((candidate) => candidate.type === type && candidate.name === name);
    if (!resource) throw new Error(`no ${type}.${name} in state`);
    return resource.instances[0].attributes;
  }

  /** Everything terraform printed so far, for leak checks. */
  allOutput(): string {
    return this.outputs.map((result) => result.stdout + result.stderr).join('\n');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Like run(), in its own process group, which is killed when the deadline passes; the promise then rejects. */
function runWithDeadline(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output.stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output.stderr += chunk; });
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new Error(`terraform ${args[0]} did not finish within ${timeoutMs} ms\n--- stdout\n${output.stdout}\n--- stderr\n${output.stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 1, ...output });
    });
  });
}

/** Fails with the command's output when it did not exit as expected. */
export function expectExit(result: RunResult, code: number): void {
  if (result.exitCode !== code) {
    throw new Error(`expected exit ${code}, got ${result.exitCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}
