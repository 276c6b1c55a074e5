import { TerraformStack, Testing } from 'cdktf';
import { parseManifest } from '../../../../lib/manifest/loader';
import { ManifestKeys } from '../../../../lib/manifest/manifest-keys';
import { connectionOf, manifestIssues as issuesOf, type SynthJson } from '../../../support/lib';

const VALID = `version: 1
organizations:
  - name: acme
    vendor: openai
    projects:
      - id: proj_abc123
        keys:
          - name: ci
          - name: batch
      - id: proj_def456
`;

describe('manifest: OpenAI projects', () => {
  test('projects parse, with keys defaulting to none; organizations without projects are unchanged', () => {
    const manifest = parseManifest(VALID);
    expect(manifest.organizations[0]).toEqual({
      name: 'acme', vendor: 'openai', adminKeys: [],
      projects: [{ id: 'proj_abc123', keys: [{ name: 'ci' }, { name: 'batch' }] }, { id: 'proj_def456', keys: [] }],
      undeclaredKeys: 'warn',
    });
    expect(parseManifest('version: 1\norganizations:\n  - name: a\n    vendor: openai\n').organizations[0]).toEqual({ name: 'a', vendor: 'openai', adminKeys: [], undeclaredKeys: 'warn' });
  });

  test('ManifestKeys makes one project key resource per key, its secret in the organization\'s map output', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new ManifestKeys(stack, 'keys', { manifest: parseManifest(VALID) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.apikeys_openai_project_key).toMatchObject({
      acme_proj_abc123_ci: { project_id: 'proj_abc123', name: 'ci', provider: 'apikeys' },
      acme_proj_abc123_batch: { project_id: 'proj_abc123', name: 'batch', provider: 'apikeys' },
    });
    expect(Object.keys(json.resource.apikeys_openai_project_key)).toHaveLength(2);
    for (const key of Object.values(json.resource.apikeys_openai_project_key)) expect(connectionOf(key as SynthJson)).toBe('acme');
    expect(json.output.acme_secrets).toMatchObject({
      sensitive: true,
      value: { proj_abc123_ci: '${apikeys_openai_project_key.acme_proj_abc123_ci.secret}', proj_abc123_batch: '${apikeys_openai_project_key.acme_proj_abc123_batch.secret}' },
    });
  });

  test('bad ids, unknown fields, duplicate projects and key names, and shared output names are each reported where they occur', () => {
    const issues = issuesOf(`version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeys:
      - name: proj_abc_ci
    projects:
      - id: project-1
        keyz: []
      - id: proj_abc
        keys:
          - name: ci
          - name: ci
      - id: proj_abc
`);
    expect(issues).toEqual([
      expect.stringMatching(/^8:9 organizations\[0\]\.projects\[0\]: Unrecognized key: "keyz"/),
      expect.stringMatching(/^8:13 organizations\[0\]\.projects\[0\]\.id: must be an OpenAI project id such as proj_abc123/),
      '12:19 organizations[0].projects[1].keys[0].name: would share the output name "acme_proj_abc_ci_secret" with adminKeys[0]; rename one',
      expect.stringMatching(/^13:19 organizations\[0\]\.projects\[1\]\.keys\[1\]\.name: "ci" is already used by keys\[0\]/),
      expect.stringMatching(/^14:13 organizations\[0\]\.projects\[2\]\.id: "proj_abc" is already used by projects\[1\]/),
    ]);
  });

  test('a key value in a project is refused like any secret', () => {
    const issues = issuesOf(VALID.replace('name: batch', 'name: sk-svcacct-abcdefghijklmnopqrstuvwx'));
    expect(issues).toEqual([expect.stringMatching(/projects\[0\]\.keys\[1\]\.name: looks like a credential/)]);
  });
});
