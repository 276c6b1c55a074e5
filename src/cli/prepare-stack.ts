import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ProjectError } from '../core/errors';
import { selectStack, synthesize, synthesizedStacks, type CdktfApp, type SynthesizedStack } from './cdktf-app';
import { StepFailedError } from './failure';
import type { Progress } from './progress';
import { printOutput } from './run';
import { terraformInit, writeProviderLock } from './stack';
import { terraformFailed } from './terraform-errors';

export interface SynthesisOptions {
  /** --stack: the stack to work on; required when the app has several. */
  readonly stack?: string;
  /** --manifest: the file the app was asked to read (APIKEYS_MANIFEST), which it must have read. */
  readonly manifest?: string;
  readonly progress: Progress;
}

/** The app's output, which it wrote once; stack frames only with APIKEYS_DEBUG=1. */
const withoutStackFrames = (text: string): string => (process.env.APIKEYS_DEBUG === '1' ? text : text.replace(/^\s+at .+\n?/gm, ''));

/** The app's error output, for --json and the step summary: what it said, bounded. */
function appErrorLines(stderr: string): string[] {
  const lines = withoutStackFrames(stderr).split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  return lines.length > 30 ? [...lines.slice(0, 30), `… (${lines.length - 30} more lines)`] : lines;
}

const LEVELS: Record<string, string> = { '@cdktf/info': 'info', '@cdktf/warn': 'warning', '@cdktf/error': 'error' };

/** What constructs noted (deprecated props, cdktf's own errors), as `cdktf synth` prints it; errors fail, as they do there. */
function reportAnnotations(stacks: readonly SynthesizedStack[]): void {
  const errors: string[] = [];
  for (const { constructPath, level, message } of stacks.flatMap((stack) => stack.annotations)) {
    const label = LEVELS[level] ?? level;
    process.stderr.write(`${label}: ${constructPath}: ${message}\n`);
    if (label === 'error') errors.push(`${constructPath}: ${message}`);
  }
  if (errors.length > 0) {
    throw new StepFailedError('APIKEYS_ERR_SYNTHESIS', `synthesis reported ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors.map((error) => `- ${error}`), 'They are listed above.');
  }
}

const realPath = (path: string): string => (existsSync(path) ? realpathSync(path) : resolve(path));

/** The manifest files the stack notes it was built from (ManifestKeys, in the stack's metadata), absolute. */
function manifestsRead(stack: SynthesizedStack, projectDir: string): string[] {
  const synthesized = JSON.parse(readFileSync(resolve(stack.dir, 'cdk.tf.json'), 'utf8')) as { '//'?: { metadata?: { apikeys?: { manifests?: Record<string, string> } } } };
  return Object.values(synthesized['//']?.metadata?.apikeys?.manifests ?? {}).map((file) => realPath(resolve(projectDir, file)));
}

/**
 * `--manifest` only sets APIKEYS_MANIFEST; an app that loads another file
 * would be checked, deployed or audited against that one without a word.
 * One of `stacks` (the one a command works on, or every stack) must have read it.
 */
export function checkManifestRead(stacks: readonly SynthesizedStack[], manifest: string, projectDir: string): void {
  const read = stacks.map((stack) => ({ stack, files: manifestsRead(stack, projectDir) }));
  if (read.some(({ files }) => files.includes(realPath(manifest)))) return;
  const shown = (file: string) => relative(process.cwd(), file) || file;
  const instead = read.map(({ stack, files }) => `stack ${stack.name}: ${files.length === 0 ? 'it loads no manifest file with loadManifestFile' : `it read ${files.map(shown).join(', ')}`}`);
  throw new ProjectError(`--manifest ${shown(realPath(manifest))}: the app never read it (${instead.join('; ')})`, {
    hint: 'Make the app load process.env.APIKEYS_MANIFEST, as apikeys init\'s main.ts does: loadManifestFile(process.env.APIKEYS_MANIFEST || \'keys.yaml\'); or leave out --manifest.',
  });
}

/**
 * What `cdktf synth` does, without cdktf-cli, then one stack: runs the app
 * command (its output shown once, on stderr, so stdout stays for reports),
 * prints the constructs' warnings, picks the stack, checks that a --manifest
 * was read, and pins this package's provider in the stack's lock file.
 */
async function synthesizeStack(app: CdktfApp, env: NodeJS.ProcessEnv, options: SynthesisOptions): Promise<SynthesizedStack> {
  const synth = await options.progress.during(`Synthesizing (${app.command})`, synthesize(app, env));
  printOutput(withoutStackFrames(synth.stdout));
  printOutput(withoutStackFrames(synth.stderr));
  if (synth.exitCode !== 0) {
    throw new StepFailedError('APIKEYS_ERR_SYNTHESIS', `synthesis failed: the app command exited ${synth.exitCode}`, appErrorLines(synth.stderr), 'Its output is above.');
  }
  const stacks = synthesizedStacks(app);
  reportAnnotations(stacks);
  const stack = selectStack(stacks, options.stack);
  if (options.manifest !== undefined) checkManifestRead([stack], options.manifest, app.projectDir);
  if (readFileSync(resolve(stack.dir, 'cdk.tf.json'), 'utf8').includes('cdktf-apikeys/apikeys')) writeProviderLock(stack.dir);
  return stack;
}

/** The stack, synthesized and `terraform init`ed with this package's provider: what drift plans and deploy applies. */
export async function prepareStack(app: CdktfApp, env: NodeJS.ProcessEnv, options: SynthesisOptions): Promise<SynthesizedStack> {
  const stack = await synthesizeStack(app, env, options);
  const init = await options.progress.during('terraform init', terraformInit(stack.dir, env));
  if (init.exitCode !== 0) {
    printOutput(init.stdout + init.stderr);
    throw terraformFailed('init', init);
  }
  return stack;
}
