/**
 * The CDKTF app as `apikeys drift` reads it, without running it: cdktf.json
 * and the --app/--output overrides, the environment cdktf-cli gives an app
 * command, the stacks a synthesis wrote, and the choice of stack. Running the
 * app command is the e2e suites' part.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCdktfApp, selectStack, synthEnvironment, synthesizedStacks, type CdktfApp } from '../../src/cli/cdktf-app';
import { ProjectError } from '../../src/core/errors';

let project: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'apikeys-cdktf-app-'));
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

const writeConfig = (config: unknown) => writeFileSync(join(project, 'cdktf.json'), typeof config === 'string' ? config : JSON.stringify(config));

/** The ProjectError `call` throws. */
function projectError(call: () => unknown): ProjectError {
  try {
    call();
  } catch (error) {
    if (error instanceof ProjectError) return error;
    throw error;
  }
  throw new Error('expected a ProjectError');
}

describe('readCdktfApp', () => {
  test('the app command, the output directory resolved in the project (cdktf.out by default), and the context', () => {
    writeConfig({ app: 'npx ts-node main.ts', context: { feature: true } });
    expect(readCdktfApp(project)).toEqual({ projectDir: project, command: 'npx ts-node main.ts', outdir: join(project, 'cdktf.out'), context: { feature: true } });
    writeConfig({ app: 'node main.js', output: 'out/synth', context: 'not an object' });
    expect(readCdktfApp(project)).toMatchObject({ outdir: join(project, 'out', 'synth'), context: {} });
  });

  test('--app and --output win over cdktf.json; an absolute output stays as it is', () => {
    writeConfig({ app: 'node main.js', output: 'cdktf.out' });
    const elsewhere = join(tmpdir(), 'elsewhere');
    expect(readCdktfApp(project, { app: 'node other.js', output: elsewhere })).toMatchObject({ command: 'node other.js', outdir: elsewhere });
  });

  test('without cdktf.json only --app will do', () => {
    const missing = projectError(() => readCdktfApp(project));
    expect(missing.message).toBe(`no cdktf.json in ${project}`);
    expect(missing.hint).toContain('pass --app "<command>"');
    expect(readCdktfApp(project, { app: 'node main.js' })).toMatchObject({ command: 'node main.js', outdir: join(project, 'cdktf.out'), context: {} });
  });

  test('a cdktf.json that is not JSON, or has no usable app or output, is a ProjectError naming the file', () => {
    const configPath = join(project, 'cdktf.json');
    writeConfig('{ "app": ');
    expect(projectError(() => readCdktfApp(project)).message).toMatch(new RegExp(`^${configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    for (const config of [{}, { app: '  ' }, { app: 42 }]) {
      writeConfig(config);
      expect(projectError(() => readCdktfApp(project)).message).toBe(`${configPath}: "app" must be the command that synthesizes your app, such as "npx ts-node main.ts"`);
    }
    writeConfig({ app: 'node main.js', output: '' });
    expect(projectError(() => readCdktfApp(project)).message).toBe(`${configPath}: "output" must be a directory name such as "cdktf.out"`);
  });
});

describe('synthEnvironment', () => {
  const app: CdktfApp = { projectDir: '/p', command: 'node main.js', outdir: '/p/cdktf.out', context: { fromConfig: 1, shared: 'config' } };

  test('what cdktf-cli gives an app command: the output directory, the context, no Terraform variables', () => {
    const env = synthEnvironment(app, { PATH: '/bin', TF_VAR_secret: 'x', APIKEYS_MANIFEST: '/p/keys.yaml' });
    expect(env).toEqual({
      PATH: '/bin', APIKEYS_MANIFEST: '/p/keys.yaml', NODE_OPTIONS: '--max-old-space-size=4096', CDKTF_OUTDIR: '/p/cdktf.out',
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', SYNTH_HCL_OUTPUT: 'false',
      CDKTF_CONTEXT_JSON: JSON.stringify({ fromConfig: 1, shared: 'config', cdktfRelativeModules: [] }),
    });
  });

  test('the caller\'s NODE_OPTIONS and context are kept, its context winning over cdktf.json\'s; an unreadable one is ignored', () => {
    const env = synthEnvironment(app, { NODE_OPTIONS: '--enable-source-maps', CDKTF_CONTEXT_JSON: JSON.stringify({ shared: 'caller' }) });
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(JSON.parse(env.CDKTF_CONTEXT_JSON!)).toEqual({ fromConfig: 1, shared: 'caller', cdktfRelativeModules: [] });
    for (const unreadable of ['{torn', '42', 'null']) {
      expect(JSON.parse(synthEnvironment(app, { CDKTF_CONTEXT_JSON: unreadable }).CDKTF_CONTEXT_JSON!)).toEqual({ fromConfig: 1, shared: 'config', cdktfRelativeModules: [] });
    }
  });
});

describe('synthesizedStacks and selectStack', () => {
  const app = (): CdktfApp => ({ projectDir: project, command: 'node main.js', outdir: join(project, 'cdktf.out'), context: {} });

  test('the stacks of cdktf\'s manifest.json, each with its working directory', () => {
    mkdirSync(join(project, 'cdktf.out'));
    writeFileSync(join(project, 'cdktf.out', 'manifest.json'), JSON.stringify({
      stacks: { keys: { name: 'keys', workingDirectory: 'stacks/keys' }, other: {} },
    }));
    const stacks = synthesizedStacks(app());
    expect(stacks.map(({ name, dir }) => ({ name, dir }))).toEqual([
      { name: 'keys', dir: join(project, 'cdktf.out', 'stacks', 'keys') },
      { name: 'other', dir: join(project, 'cdktf.out', 'stacks', 'other') },
    ]);
  });

  test('no manifest.json: the app never called synth()', () => {
    const error = projectError(() => synthesizedStacks(app()));
    expect(error.message).toBe(`the app command ran but wrote no ${join(project, 'cdktf.out', 'manifest.json')}`);
    expect(error.hint).toContain('app.synth()');
  });

  test('selectStack: the named one, else the only one; none or several without a name is an error that lists them', () => {
    const keys = { name: 'keys', dir: '/k' };
    const other = { name: 'other', dir: '/o' };
    expect(selectStack([keys, other], 'other')).toBe(other);
    expect(selectStack([keys], undefined)).toBe(keys);
    const unknown = projectError(() => selectStack([keys, other], 'prod'));
    expect([unknown.message, unknown.hint]).toEqual(['the app has no stack "prod"', 'Stacks: keys, other.']);
    expect(projectError(() => selectStack([], 'prod')).hint).toBe('Stacks: none.');
    expect(projectError(() => selectStack([], undefined)).message).toBe('the app synthesized no stack');
    const several = projectError(() => selectStack([keys, other], undefined));
    expect([several.message, several.hint]).toEqual(['the app has 2 stacks', 'Choose one with --stack NAME (keys, other).']);
  });
});
