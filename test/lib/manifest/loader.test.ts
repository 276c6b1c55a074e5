import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { loadManifestFile, parseManifest } from '../../../lib/manifest/loader';
import { ManifestKeys } from '../../../lib/manifest/manifest-keys';
import { connectionOf, manifestIssues } from '../../support/lib';

const issuesOf = (text: string, file = 'keys.yaml'): string[] =>
  manifestIssues(text, (issue) => `${issue.file}:${issue.line}:${issue.column} ${issue.path}: ${issue.message}`, file);

const VALID = `version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeys:
      - name: ci
        expiresInSeconds: 60
`;

describe('manifest loader', () => {
  test('a valid manifest parses, with defaults applied', () => {
    const manifest = parseManifest(VALID.replace(/    adminKeys:[\s\S]*/, ''));
    expect(manifest.organizations[0]).toEqual({ name: 'acme', vendor: 'openai', adminKeys: [], undeclaredKeys: 'warn' });
  });

  test('the example manifest is valid', () => {
    expect(loadManifestFile(join(__dirname, '../../../examples/apikeys.yaml')).organizations.length).toBeGreaterThan(0);
  });

  test('each issue names file, line, column, path and problem; all issues at once', () => {
    const issues = issuesOf(`version: 1
organizations:
  - name: acme
    vendor: openai
    adminKyes: []
    adminKeyEnv: "1BAD"
  - name: acme
    vendor: openai
    adminKeys:
      - name: ci
        expiresInSeconds: 1.5
      - name: ci
`);
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^keys\.yaml:3:5 organizations\[0\]: Unrecognized key: "adminKyes"/),
      expect.stringMatching(/^keys\.yaml:6:18 organizations\[0\]\.adminKeyEnv: must be the name of an environment variable/),
      'keys.yaml:7:11 organizations[1].name: "acme" is already used by organizations[0]; organization names must be unique',
      'keys.yaml:11:27 organizations[1].adminKeys[0].expiresInSeconds: must be a whole number from 1 to 31536000 seconds (got 1.5).',
      'keys.yaml:12:15 organizations[1].adminKeys[1].name: "ci" is already used by adminKeys[0]; names must be unique',
    ]));
    expect(issues).toHaveLength(5);
  });

  test('duplicate organization and key names are reported where they occur', () => {
    const issues = issuesOf(`version: 1
organizations:
  - name: acme
    vendor: openai
  - name: acme
    vendor: openai
    adminKeys:
      - name: ci
      - name: ci
`);
    expect(issues).toEqual([
      expect.stringMatching(/^keys\.yaml:5:11 organizations\[1\]\.name: "acme" is already used by organizations\[0\]/),
      expect.stringMatching(/^keys\.yaml:9:15 organizations\[1\]\.adminKeys\[1\]\.name: "ci" is already used by adminKeys\[0\]/),
    ]);
  });

  test('an unknown vendor and a wrong version are named', () => {
    const issues = issuesOf('version: 2\norganizations:\n  - name: acme\n    vendor: github\n');
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^keys\.yaml:1:10 version: must be 1/),
      expect.stringMatching(/organizations\[0\](\.vendor)?: vendor must be one of: openai/),
    ]));
  });

  test('secret-looking values are refused: manifests live in git', () => {
    const issues = issuesOf(VALID.replace('name: ci', 'name: sk-admin-abcdefghijklmnopqrstuvwx'));
    expect(issues).toEqual([expect.stringMatching(/adminKeys\[0\]\.name: looks like a credential; never put secrets in a manifest/)]);
    expect(issues.join()).not.toContain('sk-admin-abcdefghijklmnopqrstuvwx');
  });

  test('a pasted secret: the hint names the field where this vendor\'s organization names its credential variable', () => {
    const edge = `version: 1
organizations:
  - name: edge
    vendor: edgeimpulse
    organizationId: 4242
    apiKeyEnv: ei_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
`;
    expect(issuesOf(edge)).toEqual([
      "keys.yaml:6:16 organizations[0].apiKeyEnv: looks like a credential; never put secrets in a manifest: put it in the pipeline's environment and name that variable in apiKeyEnv",
    ]);
    expect(issuesOf(VALID.replace('name: ci', 'name: sk-admin-abcdefghijklmnopqrstuvwx'))[0]).toMatch(/name that variable in adminKeyEnv$/);
    expect(issuesOf(edge.replace('vendor: edgeimpulse', 'vendor: atlas'))).toContainEqual(expect.stringMatching(/name that variable in auth \(publicKeyEnv and privateKeyEnv, or clientIdEnv and clientSecretEnv\)$/));
    // A credential field that holds something else than a name says so for its own vendor.
    expect(issuesOf(edge.replace(/apiKeyEnv: .*/, 'apiKeyEnv: 12'))).toEqual(['keys.yaml:6:16 organizations[0].apiKeyEnv: must be the name of an environment variable, such as ACME_EI_API_KEY']);
  });

  test('problems of the schema and across organizations are reported together', () => {
    const issues = issuesOf(`version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeyEnv: GITHUB_TOKEN
    adminKeys:
      - name: ci
  - name: acme
    vendor: edgeimpulse
    organizationId: 4242
    apiKeyEnv: ACME_EI_API_KEY
    keys:
      - name: ci
        role: overlord
`);
    expect(issues).toEqual([
      'keys.yaml:5:18 organizations[0].adminKeyEnv: names GITHUB_TOKEN, but an openai_admin_key variable must end with _OPENAI_ADMIN_KEY (such as ACME_OPENAI_ADMIN_KEY), so that a manifest cannot read other secrets; or the operator lists it in APIKEYS_CREDENTIAL_ENV_ALLOWLIST',
      'keys.yaml:8:11 organizations[1].name: "acme" is already used by organizations[0]; organization names must be unique',
      expect.stringMatching(/^keys\.yaml:13:15 organizations\[1\]\.keys\[0\]\.name: key "ci" would share the output acme_ci_secret with key "ci" declared at organizations\[0\]\.adminKeys\[0\]\.name \(keys\.yaml:7:15\)/),
      expect.stringMatching(/^keys\.yaml:14:15 organizations\[1\]\.keys\[0\]\.role: /),
    ]);
  });

  test('YAML syntax errors carry their line', () => {
    const issues = issuesOf('version: 1\norganizations:\n  - name: [unclosed\n');
    expect(issues[0]).toMatch(/^keys\.yaml:\d+:\d+ : YAML: /);
  });

  test('a missing file is a ManifestError naming the path', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'absent.yaml');
    expect(() => loadManifestFile(path)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(top level\\): cannot read the manifest: ENOENT`));
  });

  test('ManifestKeys turns each organization into constructs', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'keys.yaml');
    writeFileSync(path, VALID);
    const stack = new TerraformStack(Testing.app(), 'test');
    new ManifestKeys(stack, 'keys', { manifest: loadManifestFile(path) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.apikeys_openai_admin_key.acme_ci).toMatchObject({ name: 'ci', expires_in_seconds: 60, provider: 'apikeys' });
    expect(connectionOf(json.resource.apikeys_openai_admin_key.acme_ci)).toBe('acme');
    expect(json.output.acme_secrets).toMatchObject({ sensitive: true, value: { ci: '${apikeys_openai_admin_key.acme_ci.secret}' } });
  });

  test('outputs: an organization chooses one map output (the default) or one output per key; anything else is reported where it is', () => {
    const synthesized = (text: string) => {
      const stack = new TerraformStack(Testing.app(), 'test');
      new ManifestKeys(stack, 'keys', { manifest: parseManifest(text) });
      return Object.keys(JSON.parse(Testing.synth(stack)).output);
    };
    expect(synthesized(VALID)).toEqual(['acme_secrets']);
    expect(synthesized(VALID.replace('    adminKeys:', '    outputs: organization\n    adminKeys:'))).toEqual(['acme_secrets']);
    expect(synthesized(VALID.replace('    adminKeys:', '    outputs: key\n    adminKeys:'))).toEqual(['acme_ci_secret']);
    expect(issuesOf(VALID.replace('    adminKeys:', '    outputs: both\n    adminKeys:'))).toEqual(['keys.yaml:5:14 organizations[0].outputs: must be organization or key']);
  });
});
