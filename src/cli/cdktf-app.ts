import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ProjectError } from '../core/errors';
import { run, type RunResult } from './run';

/**
 * A CDKTF app as cdktf-cli sees it, and its synthesis without cdktf-cli:
 * we run the app command ourselves with the environment cdktf-cli gives it
 * (@cdktf/cli-core SynthStack.synth), so `apikeys` works in any CDKTF
 * project, whether or not cdktf-cli is installed there.
 */
export interface CdktfApp {
  /** Where the app command runs (the directory holding cdktf.json). */
  readonly projectDir: string;
  /** The shell command that synthesizes (cdktf.json "app"). */
  readonly command: string;
  /** Absolute output directory (cdktf.json "output", default cdktf.out). */
  readonly outdir: string;
  /** cdktf.json "context", handed to the app in CDKTF_CONTEXT_JSON. */
  readonly context: Record<string, unknown>;
}

export interface SynthesizedStack {
  readonly name: string;
  /** The stack's Terraform working directory (holds cdk.tf.json). */
  readonly dir: string;
  /** What constructs noted during synthesis (cdktf annotations): warnings such as deprecated props, and errors. */
  readonly annotations: readonly Annotation[];
}

export interface Annotation {
  readonly constructPath: string;
  /** cdktf's levels: @cdktf/info, @cdktf/warn, @cdktf/error. */
  readonly level: string;
  readonly message: string;
}

const CONFIG_FILE = 'cdktf.json';

/** Reads `projectDir/cdktf.json`; `overrides` are the --app / --output flags, which win as they do for cdktf-cli. */
export function readCdktfApp(projectDir: string, overrides: { app?: string; output?: string } = {}): CdktfApp {
  const configPath = join(projectDir, CONFIG_FILE);
  let config: { app?: unknown; output?: unknown; context?: unknown } = {};
  if (existsSync(configPath)) {
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (error) {
      throw new ProjectError(`${configPath}: not valid JSON (${(error as Error).message})`, { hint: 'Fix the file, or pass --app "<command>".' });
    }
  } else if (overrides.app === undefined) {
    throw new ProjectError(`no ${CONFIG_FILE} in ${projectDir}`, { hint: 'Run apikeys drift in your CDKTF project (the directory holding cdktf.json), or pass --app "<command>".' });
  }
  const command = overrides.app ?? config.app;
  if (typeof command !== 'string' || command.trim() === '') {
    throw new ProjectError(`${configPath}: "app" must be the command that synthesizes your app, such as "npx ts-node main.ts"`, { hint: 'Add it, or pass --app "<command>".' });
  }
  const output = overrides.output ?? config.output ?? 'cdktf.out';
  if (typeof output !== 'string' || output === '') throw new ProjectError(`${configPath}: "output" must be a directory name such as "cdktf.out"`);
  const context = config.context !== null && typeof config.context === 'object' ? config.context as Record<string, unknown> : {};
  return { projectDir, command, outdir: isAbsolute(output) ? output : resolve(projectDir, output), context };
}

/** The environment cdktf-cli gives an app command (minus its telemetry and module bookkeeping). */
export function synthEnvironment(app: CdktfApp, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // cdktf-cli keeps Terraform variables away from synthesis: they belong to plan and apply.
  const inherited = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TF_VAR_')));
  const inheritedContext = env.CDKTF_CONTEXT_JSON ? safeJson(env.CDKTF_CONTEXT_JSON) : {};
  return {
    ...inherited,
    NODE_OPTIONS: inherited.NODE_OPTIONS || '--max-old-space-size=4096',
    CDKTF_OUTDIR: app.outdir,
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...app.context, ...inheritedContext, cdktfRelativeModules: [] }),
    SYNTH_HCL_OUTPUT: 'false',
  };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/** Runs the app command in the project directory; its output is forwarded once, as it comes. */
export function synthesize(app: CdktfApp, env: NodeJS.ProcessEnv, forward: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<RunResult> {
  return run(app.command, [], { cwd: app.projectDir, env: synthEnvironment(app, env), shell: true, forwardStdout: forward.stdout, forwardStderr: forward.stderr });
}

/** The stacks the last synthesis wrote (cdktf's manifest.json). */
export function synthesizedStacks(app: CdktfApp): SynthesizedStack[] {
  const manifestPath = join(app.outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new ProjectError(`the app command ran but wrote no ${manifestPath}`, { hint: 'The app must call app.synth(); check the "app" command in cdktf.json.' });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stacks?: Record<string, { name?: string; workingDirectory?: string; annotations?: Annotation[] }> };
  return Object.entries(manifest.stacks ?? {}).map(([key, stack]) => ({
    name: stack.name ?? key,
    dir: resolve(app.outdir, stack.workingDirectory ?? join('stacks', key)),
    annotations: stack.annotations ?? [],
  }));
}

/** The stack named by --stack, or the only one. */
export function selectStack<Stack extends { readonly name: string }>(stacks: readonly Stack[], name: string | undefined): Stack {
  const names = stacks.map((stack) => stack.name).join(', ');
  if (name !== undefined) {
    const found = stacks.find((stack) => stack.name === name);
    if (!found) throw new ProjectError(`the app has no stack "${name}"`, { hint: `Stacks: ${names || 'none'}.` });
    return found;
  }
  if (stacks.length === 1) return stacks[0];
  if (stacks.length === 0) throw new ProjectError('the app synthesized no stack', { hint: 'Add a TerraformStack to the app.' });
  throw new ProjectError(`the app has ${stacks.length} stacks`, { hint: `Choose one with --stack NAME (${names}).` });
}
