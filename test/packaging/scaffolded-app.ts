import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../src/cli/run';
import { FirstLineProcess, OutsideWorkspace, expectExit } from '../examples/outside-project';

/**
 * A new user's own app, as the README's "Your own app in five minutes" makes it, from the packed
 * tarball: `npm init -y`, `npm install <the package> <framework> constructs`, `npx apikeys init`,
 * `npm install`. Shared by test/packaging/own-app.e2e.test.ts (CDKTF, Node.js 20) and
 * test/examples/cdk-terrain.e2e.test.ts (CDK Terrain, Node.js 22).
 */
export const DEPENDENCY = '@cdktf-apikeys/apikeys';
export const STACK = 'keys';
const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

export interface ScaffoldedApp {
  readonly dir: string;
  /** The first `npm install`: the package from the tarball, with the framework. */
  readonly install: RunResult;
  readonly init: RunResult;
  /** `npx --no-install <args>` in the app: the app's own apikeys (or cdktn), never the registry's. */
  npx(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
}

/** The README's first four steps in `workspace/<name>`. `frameworks` are what the user installs next to the package. */
export async function scaffoldApp(workspace: OutsideWorkspace, options: { name: string; tarball: string; frameworks: string[]; initArgs?: string[]; env?: NodeJS.ProcessEnv }): Promise<ScaffoldedApp> {
  const dir = join(workspace.dir, options.name);
  mkdirSync(dir);
  const env = options.env ?? workspace.env();
  expectExit('npm init -y', await workspace.run('npm', ['init', '-y'], dir, env));
  const install = await workspace.run('npm', [...INSTALL, options.tarball, ...options.frameworks], dir, env);
  expectExit('npm install (the package)', install);
  const npx = (args: string[], extra: NodeJS.ProcessEnv = env) => workspace.run('npx', ['--no-install', ...args], dir, extra);
  const init = await npx(['apikeys', 'init', ...(options.initArgs ?? [])]);
  expectExit('apikeys init', init);
  expectExit('npm install (the scaffold\'s devDependencies)', await workspace.run('npm', INSTALL, dir, env));
  return { dir, install, init, npx };
}

/** Replaces `from` (which must be there) in a file of the app. */
export function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer holds ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/**
 * `npx apikeys emulator --app` for the scaffolded app, as the README says (it holds keys.yaml's
 * organizations and the one main.ts declares in code, under the variables the app chose), and the
 * environment a deploy against it needs: the `env` of its first line. The app is used as scaffolded:
 * the key each deploy authenticates with is the connection's credential, never reported as undeclared.
 */
export async function emulateApp(app: ScaffoldedApp, env: NodeJS.ProcessEnv): Promise<{ emulator: FirstLineProcess; env: NodeJS.ProcessEnv }> {
  const emulator = await FirstLineProcess.start(join(app.dir, 'node_modules', '.bin', 'apikeys'), ['emulator', '--port', '0', '--app'], app.dir, env);
  return { emulator, env: { ...env, ...emulator.firstLine.env } };
}
