import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack } from '../../lib/cdk';
import { ManifestKeys } from '../../lib/manifest/manifest-keys';
import type { Manifest } from '../../lib/manifest/schema';
import { ProjectError } from '../core/errors';
import { readCdktfApp, selectStack, synthesize, synthesizedStacks } from './cdktf-app';
import { checkManifestRead } from './prepare-stack';

/**
 * The synthesized stacks (cdk.tf.json) that the commands reading a
 * configuration without Terraform start from: `apikeys emulator --app` and
 * `apikeys audit`. Either a user's CDKTF app, synthesized as `apikeys drift`
 * does it (its cdktf.json command, without cdktf-cli), or the stack the
 * library makes of a manifest (ManifestKeys), in process.
 */

type Attributes = Record<string, unknown>;

/** The parts of a synthesized stack these commands read. */
export interface SynthesizedStackJson {
  provider?: { apikeys?: Attributes[] | Attributes };
  resource?: Record<string, Record<string, Attributes>>;
  data?: Record<string, Record<string, Attributes>>;
}

export interface NamedStackJson {
  readonly name: string;
  readonly json: SynthesizedStackJson;
}

export interface AppStacksOptions {
  /** The CDKTF project (holding cdktf.json). */
  readonly projectDir: string;
  /** Only this stack; default every stack. */
  readonly stack?: string;
  /** Overrides cdktf.json's app command and output directory, as cdktf's flags do. */
  readonly app?: string;
  readonly output?: string;
  /** Sets APIKEYS_MANIFEST for the app, as `apikeys drift --manifest` does. */
  readonly manifest?: string;
}

export const isCdktfProject = (projectDir: string): boolean => existsSync(join(projectDir, 'cdktf.json'));

/** A user's app, synthesized; its output is shown only when it fails. */
export async function appStacks(options: AppStacksOptions, command: string): Promise<NamedStackJson[]> {
  if (options.app === undefined && !isCdktfProject(options.projectDir)) {
    throw new ProjectError(`no cdktf.json in ${options.projectDir}`, { hint: `Run ${command} in your CDKTF project (the directory holding cdktf.json), or pass --app "<command>".` });
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
  if (options.manifest !== undefined) checkManifestRead(stacks, options.manifest, app.projectDir);
  return stacks.map((stack) => ({ name: stack.name, json: JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8')) as SynthesizedStackJson }));
}

/** The stack a deploy of this manifest synthesizes (ManifestKeys), without writing it anywhere. */
export function manifestStack(manifest: Manifest): SynthesizedStackJson {
  // cdktf's App insists on an output directory even when nothing is written to it.
  const outdir = mkdtempSync(join(tmpdir(), 'apikeys-manifest-'));
  try {
    const stack = new TerraformStack(new App({ outdir }), 'manifest');
    new ManifestKeys(stack, 'keys', { manifest });
    return stack.toTerraform() as SynthesizedStackJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
