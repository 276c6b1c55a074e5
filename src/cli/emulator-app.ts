import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProjectError } from '../core/errors';
import type { EmulatedOrganizationSpec } from '../emulator/vendors';
import { readCdktfApp, selectStack, synthesize, synthesizedStacks } from './cdktf-app';
import { organizationsOfStack, type SynthesizedStackJson } from './emulated-organizations';

export interface EmulatorAppOptions {
  /** The CDKTF project (holding cdktf.json). */
  readonly projectDir: string;
  /** Only this stack's organizations; default every stack's. */
  readonly stack?: string;
  /** Overrides cdktf.json's app command and output directory, as cdktf's flags do. */
  readonly app?: string;
  readonly output?: string;
  /** Sets APIKEYS_MANIFEST for the app, as `apikeys drift --manifest` does. */
  readonly manifest?: string;
}

/**
 * `apikeys emulator --app`: the organizations a user's CDKTF app declares,
 * in code or from a manifest. The app is synthesized as `apikeys drift`
 * does it (its cdktf.json command, without cdktf-cli), then each stack is
 * read (./emulated-organizations.ts). Its output is shown only when it fails.
 */
export async function organizationsOfApp(options: EmulatorAppOptions): Promise<EmulatedOrganizationSpec[]> {
  if (options.app === undefined && !existsSync(join(options.projectDir, 'cdktf.json'))) {
    throw new ProjectError(`no cdktf.json in ${options.projectDir}`, { hint: 'Run apikeys emulator --app in your CDKTF project (the directory holding cdktf.json), or pass --app "<command>".' });
  }
  const app = readCdktfApp(options.projectDir, { app: options.app, output: options.output });
  const env = options.manifest === undefined ? process.env : { ...process.env, APIKEYS_MANIFEST: resolve(options.manifest) };
  const synth = await synthesize(app, env);
  if (synth.exitCode !== 0) {
    const output = `${synth.stdout}${synth.stderr}`.replace(/^\s+at .+\n?/gm, '').trimEnd();
    if (output !== '') process.stderr.write(`${output}\n`);
    throw new ProjectError(`synthesis failed: the app command (${app.command}) exited ${synth.exitCode}${output === '' ? '' : ' (its output is above)'}`);
  }
  const all = synthesizedStacks(app);
  const stacks = options.stack === undefined ? all : [selectStack(all, options.stack)];
  if (stacks.length === 0) throw new ProjectError('the app synthesized no stack', { hint: 'Add a TerraformStack to the app.' });
  return stacks.flatMap((stack) => {
    const json = JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8')) as SynthesizedStackJson;
    return organizationsOfStack(json, `stack ${stack.name}`);
  });
}
