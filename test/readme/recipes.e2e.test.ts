/**
 * The README stays true: every shell block in it is a marked recipe
 * (`<!-- recipe: NAME -->` on the line before), and each recipe runs here,
 * literally, in bash, against the emulator, in scratch directories with a
 * scratch HOME. `npx apikeys` and `npx cdktf` resolve to this checkout
 * (offline); nothing else is reachable through npx.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { loadManifestFile, parseManifest } from '../../lib/manifest/loader';
import { provisionForManifest } from '../../src/cli/emulated-organizations';
import { VendorEmulator } from '../../src/emulator/server';
import { expectExit } from '../../harness/terraform';
import { firstStdoutLine } from '../support/child-output';

const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

interface Recipe {
  body: string;
  /** The first ```json or ```hcl block after the recipe, before the next heading: its sample output or configuration. */
  follower?: { language: string; body: string };
}

function readRecipes(): Map<string, Recipe> {
  const recipes = new Map<string, Recipe>();
  for (const match of README.matchAll(/<!-- recipe: ([\w-]+) -->\n```sh\n([\s\S]*?)\n```\n/g)) {
    const rest = README.slice((match.index ?? 0) + match[0].length);
    const nextHeading = rest.search(/^#{2,3} /m);
    const following = /```(json|hcl)\n([\s\S]*?)\n```/.exec(nextHeading === -1 ? rest : rest.slice(0, nextHeading));
    const nextRecipe = rest.indexOf('<!-- recipe:');
    const isOwn = following && (nextRecipe === -1 || (following.index ?? 0) < nextRecipe);
    recipes.set(match[1], { body: match[2], follower: isOwn ? { language: following[1], body: following[2] } : undefined });
  }
  return recipes;
}

const RECIPES = readRecipes();
const recipe = (name: string): Recipe => {
  const found = RECIPES.get(name);
  if (!found) throw new Error(`README.md has no recipe "${name}"`);
  return found;
};

/** `npx` inside recipes: this checkout's apikeys and cdktf-cli, never the registry (`-p @cdktf-apikeys/apikeys` names this package). */
const PRELUDE = `set -euo pipefail
npx() {
  if [ "$1" = "-p" ] && [ "$2" = "@cdktf-apikeys/apikeys" ]; then shift 2; fi
  local tool="$1"; shift
  case "$tool" in
    apikeys) node "$APIKEYS_ROOT/bin/apikeys.js" "$@" ;;
    cdktf) "$APIKEYS_ROOT/node_modules/.bin/cdktf" "$@" ;;
    *) echo "README test: npx $tool is not available offline" >&2; return 127 ;;
  esac
}
`;

/** The environment of a fresh runner: a scratch HOME, none of our harness's Terraform settings. */
function runnerEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['XDG_DATA_HOME', 'TF_CLI_CONFIG_FILE', 'TF_PLUGIN_CACHE_DIR', 'APIKEYS_MANIFEST', 'APIKEYS_STATE_FILE', 'GITHUB_STEP_SUMMARY', 'CDKTF_DISABLE_PLUGIN_CACHE_ENV', 'APIKEYS_DEBUG']) delete env[name];
  return { ...env, HOME: home, APIKEYS_ROOT: PACKAGE_ROOT, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: 'true', ...extra };
}

const runRecipe = (name: string, cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> =>
  run('bash', ['-c', PRELUDE + recipe(name).body], { cwd, env });

/** Every key path of `sample` (first array element standing for all) exists in `actual`. */
function missingPaths(sample: unknown, actual: unknown, path = '$'): string[] {
  if (Array.isArray(sample)) {
    if (!Array.isArray(actual)) return [path];
    return sample.length > 0 && actual.length > 0 ? missingPaths(sample[0], actual[0], `${path}[0]`) : [];
  }
  if (sample !== null && typeof sample === 'object') {
    if (actual === null || typeof actual !== 'object') return [path];
    return Object.entries(sample).flatMap(([key, value]) => (key in actual ? missingPaths(value, (actual as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`]));
  }
  return [];
}

const scratch = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

describe('README recipes', () => {
  test('every shell block is a marked recipe, and every recipe has a test here', () => {
    const shellBlocks = README.match(/^```sh$/gm) ?? [];
    expect(shellBlocks.length).toBe(RECIPES.size);
    expect([...RECIPES.keys()].sort()).toEqual(['bench', 'drift-json', 'emulator', 'own-app', 'pipeline', 'plain-terraform', 'pull-request', 'quick-start', 'read-secret', 'sealed-identity', 'sealed-use']);
  });

  test('quick start: npm ci and npm test are this repository\'s set-up (exempt); npm start is the demo, which test/cli/file-modes.e2e.test.ts runs', () => {
    expect(recipe('quick-start').body.split('\n').map((line) => line.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(PACKAGE.scripts.start).toBe('node bin/apikeys.js demo');
    // Builds on `npm ci` here, and is no install script of the packed package (test/packaging/own-app.e2e.test.ts).
    expect(PACKAGE.scripts.postprepare).toBe('npm run build');
    expect(PACKAGE.scripts.prepare).toBeUndefined();
    expect(PACKAGE.scripts.test).toMatch(/\bjest\b/);
    // The demo run (exit 0, its drift and heal) is asserted where its files are checked.
    expect(readFileSync(join(PACKAGE_ROOT, 'test', 'cli', 'file-modes.e2e.test.ts'), 'utf8')).toContain('bin/apikeys.js demo`]');
  });

  test('own app: run step by step from the packed tarball by test/packaging/own-app.e2e.test.ts (exempt here: it needs the package installed)', () => {
    expect(recipe('own-app').body).toContain('npx apikeys init');
    expect(readFileSync(join(PACKAGE_ROOT, 'test', 'packaging', 'own-app.e2e.test.ts'), 'utf8')).toContain('<!-- recipe: own-app -->');
  });

  test('recipes that run outside a project name the package: a bare npx apikeys would run the unscoped package of that name', () => {
    expect(recipe('plain-terraform').body).toMatch(/^npx -p @cdktf-apikeys\/apikeys apikeys install-provider/m);
    expect(recipe('plain-terraform').body).not.toMatch(/(^|[^-\w])npx apikeys/m);
    for (const file of ['INSTALL.md', 'examples/hcl/main.tf']) {
      const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
      expect({ file, bare: text.match(/npx apikeys install-provider/g) ?? [] }).toEqual({ file, bare: file === 'INSTALL.md' ? ['npx apikeys install-provider'] : [] }); // INSTALL.md's once is inside a CDKTF app
    }
  });

  test('no cdktf command line passes --manifest (cdktf never hands flags to the app)', () => {
    expect(README.match(/cdktf (synth|deploy|diff|destroy)\b[^\n`]*--manifest/g)).toBeNull();
  });

  test('the validation sample is what the loader prints for the manifest it describes', () => {
    const sample = /Validation reports every problem at\s+once[^`]*```\n([\s\S]*?)\n```/.exec(README)?.[1];
    expect(sample).toBeDefined();
    const described = 'version: 1\norganizations:\n  - name: acme\n    vendor: openai\n    adminKeyEnv: GITHUB_TOKEN\n' +
      '    adminKeys:\n      - name: ci\n        expiresInSeconds: -5\n';
    expect(() => parseManifest(described, 'keys.yaml')).toThrow(sample);
  });

  test('the library example synthesizes: every family, from the manifest and from typed constructs', async () => {
    const example = /## Using the library in your own CDKTF app[\s\S]*?```ts\n([\s\S]*?)\n```/.exec(README)?.[1];
    expect(example).toContain("from '@cdktf-apikeys/apikeys'");
    const dir = scratch('apikeys-readme-library-');
    try {
      // The package and cdktf by absolute path: the scratch directory has no node_modules.
      const app = example!
        .replace("from '@cdktf-apikeys/apikeys'", `from ${JSON.stringify(join(PACKAGE_ROOT, 'lib', 'index'))}`)
        .replace("from 'cdktf'", `from ${JSON.stringify(join(PACKAGE_ROOT, 'node_modules', 'cdktf'))}`);
      writeFileSync(join(dir, 'main.ts'), app);
      cpSync(join(PACKAGE_ROOT, 'examples', 'apikeys.yaml'), join(dir, 'keys.yaml'));
      const register = join(PACKAGE_ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only');
      const result = await run(process.execPath, ['--require', register, 'main.ts'], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: join(dir, 'out'), TS_NODE_PROJECT: join(PACKAGE_ROOT, 'tsconfig.json') } });
      expectExit(result, 0);
      const synthesized = readFileSync(join(dir, 'out', 'stacks', 'keys', 'cdk.tf.json'), 'utf8');
      for (const family of ['apikeys_openai_admin_key', 'apikeys_openai_project_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_atlas_organization_key']) {
        expect(synthesized).toContain(`"${family}"`);
      }
      expect(synthesized).toContain('"api_key_env": "EDGE_EI_API_KEY"'); // in the edge organization's connection
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('benchmarks: npm run bench exists (exempt: benchmarks never run in tests)', () => {
    expect(recipe('bench').body.trim()).toBe('npm run bench');
    // The script runs the bench's entry point, which exists (a renamed or removed bench fails here).
    const entry = /^node --require ts-node\/register\/transpile-only (\S+\.ts)$/.exec(PACKAGE.scripts.bench ?? '')?.[1];
    expect(entry).toBe('bench/main.ts');
    expect(existsSync(join(PACKAGE_ROOT, entry!))).toBe(true);
  });

  test('emulator: the first stdout line has every field of the README\'s sample', async () => {
    const home = scratch('apikeys-readme-home-');
    const child = spawn('bash', ['-c', PRELUDE + recipe('emulator').body], { cwd: home, env: runnerEnv(home), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      const line = await firstStdoutLine(child, 'the emulator');
      const sample = recipe('emulator').follower;
      expect(sample?.language).toBe('json');
      expect(missingPaths(JSON.parse(sample!.body), JSON.parse(line))).toEqual([]);
    } finally {
      // The recipe's shell and the emulator it started share one process group.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('plain Terraform: install-provider, then terraform init of the README\'s configuration, offline', async () => {
    const home = scratch('apikeys-readme-home-');
    const dir = scratch('apikeys-readme-hcl-');
    try {
      const configuration = recipe('plain-terraform').follower;
      expect(configuration?.language).toBe('hcl');
      writeFileSync(join(dir, 'main.tf'), configuration!.body);
      const result = await runRecipe('plain-terraform', dir, runnerEnv(home));
      expectExit(result, 0);
      expect(result.stdout).toContain('Terraform has been successfully initialized');
      expect(result.stdout).toContain(`Installing cdktf-apikeys/apikeys v${PACKAGE_VERSION}`);
      expect(existsSync(join(home, '.terraform.d', 'plugins', 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION))).toBe(true);
      // The lock file install-provider prints, copied as the README says: terraform init keeps it as it is.
      const lockFile = /copy (\S+terraform\.lock\.hcl) to \.terraform\.lock\.hcl/.exec(result.stdout)?.[1];
      expect(lockFile).toBeDefined();
      cpSync(lockFile!, join(dir, '.terraform.lock.hcl'));
      rmSync(join(dir, '.terraform'), { recursive: true, force: true });
      const init = await run('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env: runnerEnv(home) });
      expectExit(init, 0);
      expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toBe(readFileSync(lockFile!, 'utf8'));
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('in a CDKTF project, against the emulator', () => {
    let emulator: VendorEmulator;
    let home: string;
    let project: string;
    let credentials: Record<string, string>;
    const env = (extra: NodeJS.ProcessEnv = {}) => runnerEnv(home, { ...credentials, APIKEYS_ALLOWED_HOSTS: '127.0.0.1', ...extra });
    const statePath = () => join(project, 'terraform.apikeys.tfstate');
    const state = () => JSON.parse(readFileSync(statePath(), 'utf8')) as {
      resources: { type: string; name: string; instances: { attributes: Record<string, string> }[] }[];
      outputs: Record<string, { value: unknown }>;
    };

    beforeAll(async () => {
      emulator = await VendorEmulator.start();
      const manifestFile = join(PACKAGE_ROOT, 'examples', 'apikeys.yaml');
      credentials = provisionForManifest(emulator, loadManifestFile(manifestFile));
      home = scratch('apikeys-readme-home-');
      project = scratch('apikeys-readme-project-');
      // A project whose app is this repository's (compiled), with the manifest where the recipe names it.
      writeFileSync(join(project, 'cdktf.json'), JSON.stringify({
        language: 'typescript', app: `"${process.execPath}" "${join(PACKAGE_ROOT, 'dist', 'src', 'app', 'main.js')}"`,
        projectId: 'readme-recipes', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {},
      }));
      mkdirSync(join(project, 'keys'));
      cpSync(manifestFile, join(project, 'keys', 'production.yaml'));
    });

    afterAll(async () => {
      for (const dir of [home, project]) if (dir) rmSync(dir, { recursive: true, force: true });
      await emulator?.stop();
    });

    test('pipeline: umask, install-provider, cdktf deploy, apikeys drift: deployed, in sync, state owner-only', async () => {
      const result = await runRecipe('pipeline', project, env());
      expectExit(result, 0);
      expect(result.stdout).toContain('in sync: 0 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys (stack apikeys)');
      expect(state().resources.filter((resource) => resource.type.startsWith('apikeys_') && resource.type !== 'apikeys_organization_keys')).toHaveLength(8);
      expect(statSync(statePath()).mode & 0o777).toBe(0o600);
    });

    test('read-secret: terraform output -json and node print exactly the secret the vendor issued, from the organization\'s map output', async () => {
      const result = await runRecipe('read-secret', project, env());
      expectExit(result, 0);
      const secret = state().resources.find((resource) => resource.name === 'acme-openai_ci-deployer')!.instances[0].attributes.secret;
      expect(secret).toEqual(expect.any(String));
      expect(state().outputs['acme-openai_secrets'].value).toMatchObject({ 'ci-deployer': secret });
      expect(result.stdout).toBe(secret);
    });

    test('drift-json: a key revoked in the console is reported with the fields of the README\'s sample, exit 2', async () => {
      const deployer = state().resources.find((resource) => resource.name === 'acme-openai_ci-deployer')!.instances[0].attributes;
      expect(emulator.openai.adminKeys.delete(deployer.id)).toBeTruthy();
      const result = await runRecipe('drift-json', project, env());
      expect(result.exitCode).toBe(2);
      const report = JSON.parse(readFileSync(join(project, 'drift.json'), 'utf8'));
      const sample = JSON.parse(recipe('drift-json').follower!.body);
      expect(missingPaths({ ...sample, undeclaredKeys: [] }, report)).toEqual([]);
      expect(Object.keys(report).sort()).toEqual(Object.keys(sample).sort());
      expect(report.resources).toEqual([sample.resources[0]]); // the README's first row is this very change
      expect(result.stderr).toContain('drift: 1 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys (stack apikeys)');
    });

    test('pull-request: with no vendor credentials, drift fails with exit 1 before any vendor call, naming the variable', async () => {
      const withoutCredentials = env();
      for (const name of Object.keys(credentials)) if (!name.endsWith('_BASE_URL') && !name.startsWith('APIKEYS_')) delete withoutCredentials[name];
      emulator.requests.length = 0;
      const result = await runRecipe('pull-request', project, withoutCredentials);
      expect(result.exitCode).toBe(1);
      expect(result.stdout + result.stderr).toMatch(/ACME_OPENAI_ADMIN_KEY|ACME_EI_API_KEY|ACME_ATLAS_/);
      expect(emulator.requests).toHaveLength(0);
    });
  });
  describe('a sealed pipeline: the deploy job holds only the recipient, the job that uses the key decrypts', () => {
    let emulator: VendorEmulator;
    let home: string;
    let project: string;
    let credentials: Record<string, string>;
    const env = () => runnerEnv(home, { ...credentials, APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });

    beforeAll(async () => {
      emulator = await VendorEmulator.start();
      const manifestFile = join(PACKAGE_ROOT, 'examples', 'apikeys.yaml');
      credentials = provisionForManifest(emulator, loadManifestFile(manifestFile));
      home = scratch('apikeys-readme-home-');
      project = scratch('apikeys-readme-sealed-');
      writeFileSync(join(project, 'cdktf.json'), JSON.stringify({
        language: 'typescript', app: `"${process.execPath}" "${join(PACKAGE_ROOT, 'dist', 'src', 'app', 'main.js')}"`,
        projectId: 'readme-sealed', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {},
      }));
      mkdirSync(join(project, 'keys'));
    });

    afterAll(async () => {
      for (const dir of [home, project]) if (dir) rmSync(dir, { recursive: true, force: true });
      await emulator?.stop();
    });

    test('sealed-identity, the manifest line, the pipeline, sealed-use: the decrypted key is the one the vendor issued, and the state holds it nowhere', async () => {
      expectExit(await runRecipe('sealed-identity', project, env()), 0);
      const recipient = /Public key: (age1[0-9a-z]+)/.exec(readFileSync(join(project, 'recipient.txt'), 'utf8'))![1];
      // The README's manifest line, on the example's acme-openai organization.
      const example = readFileSync(join(PACKAGE_ROOT, 'examples', 'apikeys.yaml'), 'utf8');
      const sealed = example.replace('    adminKeyEnv: ACME_OPENAI_ADMIN_KEY\n', `    adminKeyEnv: ACME_OPENAI_ADMIN_KEY\n    secretRecipients: [${recipient}]\n`);
      expect(sealed).not.toBe(example);
      expect(parseManifest(sealed, 'production.yaml').organizations[0]).toMatchObject({ secretRecipients: [recipient] });
      writeFileSync(join(project, 'keys', 'production.yaml'), sealed);
      expectExit(await runRecipe('pipeline', project, env()), 0);
      const result = await runRecipe('sealed-use', project, env());
      expectExit(result, 0);
      const decrypted = readFileSync(join(project, 'ci-deployer.key'), 'utf8');
      const issued = emulator.openai.adminKeys.all().find((key) => key.name === 'ci-deployer')!;
      expect(decrypted).toBe(issued.value);
      const state = readFileSync(join(project, 'terraform.apikeys.tfstate'), 'utf8');
      expect(state).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
      expect(state).not.toContain(issued.value);
    });
  });
});
