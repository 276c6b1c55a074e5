import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDKTF_BIN, PACKAGE_ROOT, assertProviderBuilt } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { STACK, writeProviderLock } from '../../src/cli/stack';
import { terraformEnvironment } from '../../src/cli/terraform-env';
import { TEST_POLICY_ENV } from '../../harness/terraform';

/**
 * The repository's cdktf app run on a scratch manifest, with its synthesized
 * output and state in a temporary directory, so suites do not share files.
 */
export class CdktfProject {
  readonly outputs: RunResult[] = [];
  readonly outDir: string;
  readonly stackDir: string;
  readonly env: NodeJS.ProcessEnv;

  private constructor(readonly dir: string, env: NodeJS.ProcessEnv) {
    this.outDir = join(dir, 'cdktf.out');
    this.stackDir = join(this.outDir, 'stacks', STACK);
    this.env = terraformEnvironment(join(dir, '.cli'), {
      APIKEYS_MANIFEST: join(dir, 'manifest.yaml'),
      APIKEYS_STATE_FILE: join(dir, 'terraform.tfstate'),
      CI: 'true',
      ...TEST_POLICY_ENV, // credentials may go to the emulator on 127.0.0.1
      ...env,
    });
    writeProviderLock(this.stackDir);
  }

  static create(manifest: string, env: NodeJS.ProcessEnv): CdktfProject {
    assertProviderBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'apikeys-cdktf-'));
    writeFileSync(join(dir, 'manifest.yaml'), manifest);
    return new CdktfProject(dir, env);
  }

  writeManifest(manifest: string): void {
    writeFileSync(join(this.dir, 'manifest.yaml'), manifest);
  }

  async cdktf(command: 'synth' | 'deploy' | 'destroy', extra: string[] = []): Promise<RunResult> {
    const args = [command, STACK, '--output', this.outDir, ...extra];
    if (command !== 'synth') args.push('--auto-approve', '--skip-provider-lock');
    const result = await run(CDKTF_BIN, args, { cwd: PACKAGE_ROOT, env: this.env });
    this.outputs.push(result);
    return result;
  }

  async terraform(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const result = await run('terraform', args, { cwd: this.stackDir, env: { ...this.env, ...extraEnv } });
    this.outputs.push(result);
    return result;
  }

  state(): { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[]; outputs: Record<string, { value: unknown; sensitive?: boolean }> } {
    return JSON.parse(readFileSync(join(this.dir, 'terraform.tfstate'), 'utf8'));
  }

  /** Every file cdktf synthesized (but not Terraform's own .terraform cache). */
  synthesizedText(): string {
    const texts: string[] = [];
    const walk = (directory: string): void => {
      for (const entry of readdirSync(directory)) {
        const path = join(directory, entry);
        if (entry === '.terraform') continue;
        if (statSync(path).isDirectory()) walk(path);
        else texts.push(readFileSync(path, 'utf8'));
      }
    };
    walk(this.outDir);
    return texts.join('\n');
  }

  allOutput(): string {
    return this.outputs.map((result) => result.stdout + result.stderr).join('\n');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
