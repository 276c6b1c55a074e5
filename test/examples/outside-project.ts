import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { run, type RunResult } from '../../src/cli/run';

/** The repository root, and the versions its lock file resolved (the example pins the same, so npm's cache serves them). */
export const ROOT = join(__dirname, '..', '..');
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json has no node_modules/${name}`);
  return version;
}

/**
 * A scratch directory outside the repository (under os.tmpdir(), never under it) holding what a
 * user would have: the packed tarball, a project, a HOME of its own (Terraform's implied mirror
 * ~/.terraform.d/plugins and CLI config live there). Every command's result is kept for leak checks.
 */
export class OutsideWorkspace {
  readonly results: RunResult[] = [];
  readonly home: string;
  private constructor(readonly dir: string) {
    this.home = join(dir, 'home');
    mkdirSync(this.home, { recursive: true });
    writeFileSync(join(this.home, 'terraform.rc'), '# empty: only implied local mirrors\n');
  }

  static create(prefix: string): OutsideWorkspace {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    // Fresh means Node finds nothing of ours: not inside the repository, and no node_modules above it.
    if (dir.startsWith(`${realpathSync(ROOT)}/`)) throw new Error(`the scratch directory ${dir} must be outside the repository`);
    for (let ancestor = dirname(dir); ; ancestor = dirname(ancestor)) {
      if (existsSync(join(ancestor, 'node_modules'))) throw new Error(`${join(ancestor, 'node_modules')} would leak into the scratch project ${dir}; set TMPDIR elsewhere`);
      if (dirname(ancestor) === ancestor) break;
    }
    return new OutsideWorkspace(dir);
  }

  /**
   * The environment of a user's shell: the scratch HOME; npm keeps the real cache and config
   * (so installs stay offline-first); no telemetry, no shared plugin cache; the emulator's
   * loopback host allowed for credentials.
   */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const { TF_PLUGIN_CACHE_DIR: _cache, TF_CLI_CONFIG_FILE: _config, TF_DATA_DIR: _data, JEST_WORKER_ID: _worker, ...inherited } = process.env;
    return {
      ...inherited,
      HOME: this.home,
      npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
      npm_config_userconfig: process.env.npm_config_userconfig ?? join(homedir(), '.npmrc'),
      npm_config_update_notifier: 'false',
      TF_CLI_CONFIG_FILE: join(this.home, 'terraform.rc'),
      CHECKPOINT_DISABLE: '1',
      DISABLE_VERSION_CHECK: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
      CI: 'true',
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
      ...extra,
    };
  }

  async run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = this.env()): Promise<RunResult> {
    const result = await run(command, args, { cwd, env });
    this.results.push(result);
    return result;
  }

  /** Copies a directory of the repository's examples into the workspace. */
  copyExample(name: string, target = name): string {
    const destination = join(this.dir, target);
    cpSync(join(ROOT, 'examples', name), destination, { recursive: true, filter: (source) => !/node_modules|cdktf\.out|\.terraform/.test(source) });
    return destination;
  }

  /** A directory holding only a `terraform` link (and `node`'s, when asked), to be the whole PATH. */
  pathWith(tools: string[]): string {
    const bin = join(this.dir, `bin-${tools.join('-')}`);
    mkdirSync(bin, { recursive: true });
    for (const tool of tools) {
      const found = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, tool)).find((candidate) => {
        try {
          return realpathSync(candidate) !== '';
        } catch {
          return false;
        }
      });
      if (!found) throw new Error(`${tool} is not on PATH`);
      symlinkSync(realpathSync(found), join(bin, tool));
    }
    return bin;
  }

  allOutput(): string {
    return this.results.map((result) => result.stdout + result.stderr).join('\n');
  }
}

/** A long-running command whose first stdout line is JSON (the emulator); stopped with SIGTERM by its pid. */
export class FirstLineProcess {
  private constructor(private readonly child: ChildProcess, readonly firstLine: Record<string, any>) {} // eslint-disable-line @typescript-eslint/no-explicit-any

  static async start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<FirstLineProcess> {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => { stderr += chunk; });
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (text) => resolve(text));
      child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code} before printing a line\n${stderr}`)));
      child.once('error', reject);
    });
    return new FirstLineProcess(child, JSON.parse(line));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Which files `constructs` and the framework (`cdktf`, or `cdktn` for CDK Terrain) resolve to from the app
 * and from the library (`dependency`), as Node resolves them in that project: one copy of each is what
 * makes the library's constructs accept the app's stack.
 */
export async function resolvedCopies(workspace: OutsideWorkspace, app: string, dependency: string, env?: NodeJS.ProcessEnv, framework = 'cdktf'): Promise<Record<string, { app: string; library: string; name: string }>> {
  const script = [
    `const library = require.resolve(${JSON.stringify(dependency)});`,
    'const from = (name, where) => require.resolve(name, { paths: [where] });',
    "const copies = (name) => ({ app: from(name + '/package.json', process.cwd()), library: from(name + '/package.json', library), name: require(from(name + '/package.json', library)).name });",
    `console.log(JSON.stringify({ constructs: copies('constructs'), ${JSON.stringify(framework)}: copies(${JSON.stringify(framework)}) }));`,
  ].join('\n');
  const result = await workspace.run('node', ['-e', script], app, env);
  expectExit('resolve constructs and cdktf', result);
  return JSON.parse(result.stdout);
}

/** `npm pack` of this checkout into the workspace: the tarball and its files. */
export async function packTarball(workspace: OutsideWorkspace): Promise<{ tarball: string; files: string[] }> {
  // --ignore-scripts: the build already ran (npm test builds first).
  const pack = await workspace.run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workspace.dir], ROOT);
  expectExit('npm pack', pack);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(workspace.dir, packed.filename), files: packed.files.map((file) => file.path) };
}

/** Fails with the command's output when it did not exit as expected. */
export function expectExit(step: string, result: RunResult, code = 0): void {
  if (result.exitCode !== code) throw new Error(`${step}: expected exit ${code}, got ${result.exitCode}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
}
