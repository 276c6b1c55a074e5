import { TerraformStack, Testing } from 'cdktf';
import { OpenAiOrganization } from '../../../lib/constructs/openai-organization';
import { PropsValidationError } from '../../../lib/constructs/validation';

function synthOrganization(props: ConstructorParameters<typeof OpenAiOrganization>[2]): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const stack = new TerraformStack(Testing.app(), 'test');
  new OpenAiOrganization(stack, 'acme', props);
  return JSON.parse(Testing.synth(stack));
}

describe('OpenAiOrganization', () => {
  test('one resource per key at a stable address, one sensitive output per secret', () => {
    const json = synthOrganization({ adminKeyEnv: 'ACME_KEY', adminKeys: [{ name: 'CI deployer', expiresInSeconds: 60 }, { name: 'ops' }] });
    expect(Object.keys(json.resource.apikeys_openai_admin_key).sort()).toEqual(['acme_CI_deployer', 'acme_ops']);
    expect(json.output.acme_CI_deployer_secret).toMatchObject({
      sensitive: true, value: '${apikeys_openai_admin_key.acme_CI_deployer.secret}',
    });
    expect(json.provider.apikeys).toEqual([{ alias: 'acme', openai_admin_key_env: 'ACME_KEY' }]);
  });

  test('reports every invalid prop at once', () => {
    let error: unknown;
    try {
      synthOrganization({
        adminKeyEnv: 'not a variable', baseUrl: 'ftp://nope',
        adminKeys: [{ name: 'a b', expiresInSeconds: 0 }, { name: 'a_b' }, { name: ' ' }],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PropsValidationError);
    const problems = (error as PropsValidationError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/adminKeyEnv must be an environment variable name/);
    expect(problems.join('\n')).toMatch(/baseUrl must be an absolute http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/adminKeys\[1\] "a_b" clashes with "a b"/);
    expect(problems.join('\n')).toMatch(/adminKeys\[2\] has an empty name/);
    expect(problems.join('\n')).toMatch(/adminKeys\[0\]\.expiresInSeconds must be a whole number from 1 to 31536000 \(got 0\)/);
    expect((error as Error).message).toMatch(/^OpenAiOrganization "acme" has 5 problems:/);
  });
});
