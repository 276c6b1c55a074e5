import { TerraformStack, Testing, Token } from 'cdktf';
import { OpenAiOrganization } from '../../../../lib/constructs/openai/organization';
import { sharedOutputNameClashes } from '../../../../lib/constructs/openai/output-names';
import { PropsValidationError } from '../../../../lib/constructs/validation';
import { connectionOf, synthStack, thrown, type SynthJson } from '../../../support/lib';

const synthOrganization = (props: ConstructorParameters<typeof OpenAiOrganization>[2]): SynthJson => synthStack((stack) => new OpenAiOrganization(stack, 'acme', props));
const problemsOf = (props: ConstructorParameters<typeof OpenAiOrganization>[2]): string[] => [...thrown(PropsValidationError, () => synthOrganization(props)).problems];

describe('OpenAiOrganization project keys', () => {
  test('one resource per key at <org>_<project>_<key>, on the organization\'s connection; with outputs "key", one sensitive output each', () => {
    const json = synthOrganization({
      outputs: 'key',
      adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY',
      adminKeys: [{ name: 'ops' }],
      projects: [
        { projectId: 'proj_abc123', keys: [{ name: 'CI deployer' }, { name: 'batch' }] },
        { projectId: 'proj_Research9', keys: [{ name: 'notebook' }] },
      ],
    });
    expect(Object.keys(json.resource.apikeys_openai_project_key).sort()).toEqual([
      'acme_proj_Research9_notebook', 'acme_proj_abc123_CI_deployer', 'acme_proj_abc123_batch',
    ]);
    expect(json.resource.apikeys_openai_project_key.acme_proj_abc123_CI_deployer).toMatchObject({
      project_id: 'proj_abc123', name: 'CI deployer', provider: 'apikeys',
    });
    expect(connectionOf(json.resource.apikeys_openai_project_key.acme_proj_abc123_CI_deployer)).toBe('acme');
    expect(json.output.acme_proj_abc123_CI_deployer_secret).toMatchObject({
      sensitive: true, value: '${apikeys_openai_project_key.acme_proj_abc123_CI_deployer.secret}',
    });
    expect(Object.keys(json.output).sort()).toEqual([
      'acme_ops_secret', 'acme_proj_Research9_notebook_secret', 'acme_proj_abc123_CI_deployer_secret', 'acme_proj_abc123_batch_secret',
    ]);
    expect(json.provider.apikeys).toHaveLength(1);
  });

  test('by default, one sensitive map output holds every secret: admin keys by name, project keys by <project id>_<key name>', () => {
    const json = synthOrganization({
      adminKeys: [{ name: 'ops' }],
      projects: [{ projectId: 'proj_abc123', keys: [{ name: 'CI deployer' }] }, { projectId: 'proj_Research9', keys: [{ name: 'notebook' }] }],
    });
    expect(json.output).toEqual({
      acme_secrets: {
        sensitive: true,
        description: 'The secrets of the keys of OpenAI organization acme, by key name',
        value: {
          ops: '${apikeys_openai_admin_key.acme_ops.secret}',
          'proj_abc123_CI deployer': '${apikeys_openai_project_key.acme_proj_abc123_CI_deployer.secret}',
          proj_Research9_notebook: '${apikeys_openai_project_key.acme_proj_Research9_notebook.secret}',
        },
      },
    });
  });

  test('resources and outputs are reachable by project id and key name', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const org = new OpenAiOrganization(stack, 'acme', { projects: [{ projectId: 'proj_abc', keys: [{ name: 'ci' }] }], outputs: 'key' });
    expect(org.projectKeys.proj_abc.ci.node.id).toBe('project_key_proj_abc_ci');
    expect(org.projectSecretOutputs.proj_abc.ci.friendlyUniqueId).toBe('acme_proj_abc_ci_secret');
    expect(org.secretsOutput).toBeUndefined();
    const byDefault = new OpenAiOrganization(stack, 'globex', { projects: [{ projectId: 'proj_abc', keys: [{ name: 'ci' }] }] });
    expect(byDefault.secretsOutput?.friendlyUniqueId).toBe('globex_secrets');
    expect(byDefault.projectSecretOutputs).toEqual({ proj_abc: {} });
  });

  test('addresses do not depend on the order of projects or keys', () => {
    const first = synthOrganization({ projects: [{ projectId: 'proj_a', keys: [{ name: 'x' }, { name: 'y' }] }, { projectId: 'proj_b', keys: [{ name: 'z' }] }] });
    const second = synthOrganization({ projects: [{ projectId: 'proj_b', keys: [{ name: 'z' }] }, { projectId: 'proj_a', keys: [{ name: 'y' }, { name: 'x' }] }] });
    expect(Object.keys(first.resource.apikeys_openai_project_key).sort()).toEqual(Object.keys(second.resource.apikeys_openai_project_key).sort());
  });

  test('every problem at once: bad and duplicate project ids, clashing key names, shared output names, token ids', () => {
    const problems = problemsOf({
      adminKeys: [{ name: 'proj_abc_ci' }],
      projects: [
        { projectId: 'project-1', keys: [{ name: 'x' }] },
        { projectId: 'proj_abc', keys: [{ name: 'ci' }, { name: 'a b' }, { name: 'a_b' }, { name: ' ' }] },
        { projectId: 'proj_abc', keys: [] },
        { projectId: Token.asString({ Ref: 'x' }), keys: [] },
      ],
    });
    expect(problems).toEqual(expect.arrayContaining([
      'projects[0].projectId must be an OpenAI project id such as proj_abc123; project ids are shown in the dashboard\'s project settings (got "project-1").',
      'projects[1].keys[2] "a_b" clashes with "a b" (both become the Terraform name "a_b"); rename one.',
      'projects[1].keys[3].name must not be empty or only white space.',
      'projects[2].projectId "proj_abc" is already listed at projects[1]; list each project once.',
      'projects[3].projectId must be a literal project id, not a token: it names the keys\' addresses and outputs.',
      'projects[1].keys[0] "ci" and adminKeys[0] "proj_abc_ci" would share the output name "acme_proj_abc_ci_secret"; rename one.',
    ]));
    expect(problems).toHaveLength(6);
  });

  test('the same key name in two projects is fine', () => {
    const json = synthOrganization({ projects: [{ projectId: 'proj_a', keys: [{ name: 'ci' }] }, { projectId: 'proj_b', keys: [{ name: 'ci' }] }] });
    expect(Object.keys(json.resource.apikeys_openai_project_key).sort()).toEqual(['acme_proj_a_ci', 'acme_proj_b_ci']);
  });

  test('sharedOutputNameClashes pairs keys of different lists, leaving duplicates within a list alone', () => {
    const keys = [
      { list: 'adminKeys', subject: 'p_a b' }, { list: 'adminKeys', subject: 'p_a_b' },
      { list: 'projects[0]', subject: 'p_a_b' }, { list: 'projects[0]', subject: 'p_a b' }, { list: 'projects[1]', subject: 'q_c' },
    ];
    expect(sharedOutputNameClashes(keys)).toEqual([[2, 0]]);
  });
});
