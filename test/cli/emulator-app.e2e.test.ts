/**
 * `apikeys emulator --app` in a user's CDKTF project: the app (its own
 * cdktf.json, the library from this package's build) declares
 * organizations in code and from a manifest, each with variables of its
 * own, over two stacks. The emulator holds every one, the first stdout line
 * carries the credentials under the app's variable names, and each works
 * with the real adapters. Errors are one message, exit 1, no stack trace.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths';
import { run } from '../../src/cli/run';
import { createAtlasHttpClient, type AtlasCredentials } from '../../src/vendors/atlas/client';
import { AtlasOrganizationKeysApi } from '../../src/vendors/atlas/organization-keys';
import { createEdgeImpulseHttpClient } from '../../src/vendors/edgeimpulse/client';
import { EdgeImpulseOrganizationKeysApi } from '../../src/vendors/edgeimpulse/organization-keys';
import { OpenAiAdminKeysApi } from '../../src/vendors/openai/admin-keys';
import { createOpenAiHttpClient } from '../../src/vendors/openai/client';
import { OpenAiProjectKeysApi } from '../../src/vendors/openai/project-keys';
import { OpenAiServiceAccountsApi } from '../../src/vendors/openai/service-accounts';
import { firstStdoutLine } from '../support/child-output';

const CLI = join(PACKAGE_ROOT, 'bin', 'apikeys.js');
const ATLAS_FROM_MANIFEST = '5f1e2d3c4b5a69788796a5b4';
const ATLAS_IN_CODE = '6a1e2d3c4b5a69788796a5b4';

const MANIFEST = `version: 1
organizations:
  - name: acme-edge
    vendor: edgeimpulse
    organizationId: 4242
    apiKeyEnv: ACME_EI_API_KEY
    keys:
      - { name: uploader, role: member }
  - name: acme-atlas
    vendor: atlas
    organizationId: ${ATLAS_FROM_MANIFEST}
    auth: { publicKeyEnv: ACME_ATLAS_PUBLIC_KEY, privateKeyEnv: ACME_ATLAS_PRIVATE_KEY }
    keys:
      - { name: backup, roles: [ORG_READ_ONLY] }
`;

// A user's app: the library and cdktf by absolute path, as a dependent project would require them.
const APP = `const { App, TerraformStack } = require(${JSON.stringify(join(PACKAGE_ROOT, 'node_modules', 'cdktf'))});
const lib = require(${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'lib', 'index.js'))});
const app = new App();
const keys = new TerraformStack(app, 'keys');
new lib.ManifestKeys(keys, 'manifest', { manifest: lib.loadManifestFile(process.env.APIKEYS_MANIFEST || require('node:path').join(__dirname, 'keys.yaml')) });
new lib.OpenAiOrganization(keys, 'research', {
  adminKeyEnv: 'RESEARCH_OPENAI_ADMIN_KEY',
  adminKeys: [{ name: 'notebook' }],
  projects: [{ projectId: 'proj_research', keys: [{ name: 'batch-jobs' }] }],
});
new lib.AtlasOrganization(keys, 'analytics', {
  organizationId: '${ATLAS_IN_CODE}',
  auth: { clientIdEnv: 'ANALYTICS_ATLAS_CLIENT_ID', clientSecretEnv: 'ANALYTICS_ATLAS_CLIENT_SECRET' },
  keys: [{ name: 'reporting', roles: ['ORG_READ_ONLY'] }],
});
const lab = new TerraformStack(app, 'lab');
new lib.EdgeImpulseOrganization(lab, 'lab', { organizationId: 77, apiKeyEnv: 'LAB_EI_API_KEY', keys: [{ name: 'ci', role: 'admin' }] });
app.synth();
`;

interface Description {
  url: string;
  env: Record<string, string>;
}

const credentialNames = (env: Record<string, string>) => Object.keys(env).filter((name) => !name.endsWith('_BASE_URL') && name !== 'APIKEYS_ALLOWED_HOSTS').sort();
const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('apikeys emulator --app', () => {
  let project: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  const env = () => {
    const { APIKEYS_MANIFEST: _manifest, ...inherited } = process.env;
    return { ...inherited, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };
  };

  /** Starts the emulator in `cwd` and answers its first stdout line. */
  async function start(args: string[], cwd = project): Promise<Description> {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', ...args], { cwd, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    return JSON.parse(await firstStdoutLine(child, 'the emulator')) as Description;
  }

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'apikeys-emulator-app-'));
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node app.js', output: 'synth-out' }));
    writeFileSync(join(project, 'app.js'), APP);
    writeFileSync(join(project, 'keys.yaml'), MANIFEST);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test('every organization of every stack, in code and from the manifest, under the variables the app chose; each credential works', async () => {
    const { url, env: exported } = await start(['--app']);
    expect(credentialNames(exported)).toEqual([
      'ACME_ATLAS_PRIVATE_KEY', 'ACME_ATLAS_PUBLIC_KEY', 'ACME_EI_API_KEY', 'ANALYTICS_ATLAS_CLIENT_ID', 'ANALYTICS_ATLAS_CLIENT_SECRET', 'LAB_EI_API_KEY', 'RESEARCH_OPENAI_ADMIN_KEY',
    ]);
    expect(exported.APIKEYS_ALLOWED_HOSTS).toBe(new URL(url).host);
    expect(exported.OPENAI_BASE_URL).toBe(`${url}/openai/v1`);
    expect(existsSync(join(project, 'synth-out', 'manifest.json'))).toBe(true);

    const retry = { maxRetries: 0 };
    const openAiHttp = createOpenAiHttpClient({ adminKey: exported.RESEARCH_OPENAI_ADMIN_KEY, baseUrl: exported.OPENAI_BASE_URL, adminKeySource: 'test', retry });
    expect((await new OpenAiAdminKeysApi(openAiHttp).list()).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(await new OpenAiProjectKeysApi(openAiHttp, new OpenAiServiceAccountsApi(openAiHttp)).list('proj_research')).toEqual([]);
    for (const [variable, organization] of [['ACME_EI_API_KEY', 4242], ['LAB_EI_API_KEY', 77]] as const) {
      const keys = new EdgeImpulseOrganizationKeysApi(createEdgeImpulseHttpClient({ apiKey: exported[variable], baseUrl: exported.EDGEIMPULSE_BASE_URL, apiKeySource: 'test', retry }));
      expect((await keys.list(organization)).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    }
    const atlas = (credentials: AtlasCredentials) =>
      new AtlasOrganizationKeysApi(createAtlasHttpClient({ baseUrl: exported.MONGODB_ATLAS_BASE_URL, apiVersion: 'v2', credentials, retry }), { apiVersion: 'v2' });
    const digest = atlas({ kind: 'api-key', publicKey: exported.ACME_ATLAS_PUBLIC_KEY, privateKey: exported.ACME_ATLAS_PRIVATE_KEY, source: 'test' });
    expect((await digest.list(ATLAS_FROM_MANIFEST)).map((key) => key.desc)).toEqual(['emulator bootstrap key']);
    const oauth = atlas({ kind: 'service-account', clientId: exported.ANALYTICS_ATLAS_CLIENT_ID, clientSecret: exported.ANALYTICS_ATLAS_CLIENT_SECRET, source: 'test' });
    expect((await oauth.list(ATLAS_IN_CODE)).map((key) => key.desc)).toEqual(['emulator bootstrap key']);
  });

  test('--stack picks one stack; --app CMD and --output override cdktf.json; --manifest reaches the app as APIKEYS_MANIFEST', async () => {
    const lab = await start(['--app', 'node app.js', '--stack', 'lab', '--output', 'elsewhere']);
    expect(credentialNames(lab.env)).toEqual(['LAB_EI_API_KEY']);
    expect(existsSync(join(project, 'elsewhere', 'manifest.json'))).toBe(true);

    writeFileSync(join(project, 'other.yaml'), MANIFEST.replace(/ACME_EI_API_KEY/g, 'OTHER_EI_API_KEY'));
    const keys = await start(['--app', '--stack', 'keys', '--manifest', 'other.yaml']);
    expect(credentialNames(keys.env)).toContain('OTHER_EI_API_KEY');
    expect(credentialNames(keys.env)).not.toContain('ACME_EI_API_KEY');
  });

  test('no cdktf.json, a failing synthesis, an unknown stack, --stack without --app: one message, exit 1, no stack trace, nothing on stdout', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'apikeys-emulator-noapp-'));
    const broken = mkdtempSync(join(tmpdir(), 'apikeys-emulator-broken-'));
    try {
      writeFileSync(join(broken, 'cdktf.json'), JSON.stringify({ app: 'node app.js' }));
      writeFileSync(join(broken, 'app.js'), 'function synthesize() { throw new Error("the app is broken"); }\nsynthesize();\n');
      const cases: [string, string[], RegExp][] = [
        [empty, ['--app'], /^apikeys: no cdktf\.json in .+\n {2}Run apikeys emulator --app in your CDKTF project/],
        [broken, ['--app'], /apikeys: synthesis failed: the app command \(node app\.js\) exited 1 \(its output is above\)/],
        [project, ['--app', '--stack', 'nope'], /^apikeys: the app has no stack "nope"\n {2}Stacks: keys, lab\./],
        [project, ['--stack', 'keys'], /^apikeys: --stack needs --app\n/],
      ];
      for (const [cwd, args, message] of cases) {
        const result = await run(process.execPath, [CLI, 'emulator', '--port', '0', ...args], { cwd, env: env() });
        expect({ args, exitCode: result.exitCode, stdout: result.stdout }).toEqual({ args, exitCode: 1, stdout: '' });
        expect(result.stderr).toMatch(message);
        expect(result.stderr.match(/^apikeys: /gm)).toHaveLength(1);
        noStackTrace(result.stderr);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
