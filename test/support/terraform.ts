import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_LOCK_FILE, assertProviderBuilt } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { terraformEnvironment } from '../../src/cli/terraform-env';

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
    return new TerraformWorkspace(dir, terraformEnvironment(join(dir, '.cli'), env));
  }

  write(name: string, content: string): void {
    writeFileSync(join(this.dir, name), content);
  }

  setEnv(extra: NodeJS.ProcessEnv): void {
    this.env = { ...this.env, ...extra };
  }

  /** Runs terraform with -no-color and -input=false; every result is kept for leak checks. */
  async terraform(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    // Flags follow the whole command: `state rm -no-color ...`.
    const words = COMMAND_GROUPS.has(args[0]) ? 2 : 1;
    const [command, rest] = [args.slice(0, words), args.slice(words)];
    const input = INTERACTIVE_COMMANDS.has(command[0]) ? ['-input=false'] : [];
    const result = await run('terraform', [...command, '-no-color', ...input, ...rest], {
      cwd: this.dir, env: { ...this.env, ...extraEnv },
    });
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

/** Fails with the command's output when it did not exit as expected. */
export function expectExit(result: RunResult, code: number): void {
  if (result.exitCode !== code) {
    throw new Error(`expected exit ${code}, got ${result.exitCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}
