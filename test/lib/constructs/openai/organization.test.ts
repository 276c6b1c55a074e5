import { OpenAiOrganization } from '../../../../lib/constructs/openai/organization';
import { PropsValidationError } from '../../../../lib/constructs/validation';
import { connectionOf, synthStack, type SynthJson } from '../../../support/lib';

const synthOrganization = (props: ConstructorParameters<typeof OpenAiOrganization>[2]): SynthJson => synthStack((stack) => new OpenAiOrganization(stack, 'acme', props));

describe('OpenAiOrganization', () => {
  test('one resource per key at a stable address; the secrets in one sensitive map output, or with outputs "key" one output per secret', () => {
    const props = { adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'CI deployer', expiresInSeconds: 60 }, { name: 'ops' }] };
    const json = synthOrganization(props);
    expect(Object.keys(json.resource.apikeys_openai_admin_key).sort()).toEqual(['acme_CI_deployer', 'acme_ops']);
    expect(json.output).toEqual({
      acme_secrets: expect.objectContaining({
        sensitive: true, value: { 'CI deployer': '${apikeys_openai_admin_key.acme_CI_deployer.secret}', ops: '${apikeys_openai_admin_key.acme_ops.secret}' },
      }),
    });
    const perKey = synthOrganization({ ...props, outputs: 'key' });
    expect(Object.keys(perKey.output).sort()).toEqual(['acme_CI_deployer_secret', 'acme_ops_secret']);
    expect(perKey.output.acme_CI_deployer_secret).toMatchObject({
      sensitive: true, value: '${apikeys_openai_admin_key.acme_CI_deployer.secret}',
    });
    expect(json.provider.apikeys).toEqual([{ openai_connection: { acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' } } }]);
    expect(json.resource.apikeys_openai_admin_key.acme_ops).toMatchObject({ provider: 'apikeys' });
    expect(connectionOf(json.resource.apikeys_openai_admin_key.acme_ops)).toBe('acme');
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
    expect(problems.join('\n')).toMatch(/adminKeyEnv must be the name of an environment variable/);
    expect(problems.join('\n')).toMatch(/baseUrl must be an absolute http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/adminKeys\[1\] "a_b" clashes with "a b"/);
    expect(problems).toContain('adminKeys[2].name must not be empty or only white space.');
    expect(problems).toContain('adminKeys[0].expiresInSeconds must be a whole number from 1 to 31536000 seconds (got 0).');
    expect((error as Error).message).toMatch(/^OpenAiOrganization "acme" \(test\/acme\) has 5 problems:/);
  });

  describe('undeclared keys', () => {
    const listing = (json: Record<string, any>) => Object.values(json.data?.apikeys_organization_keys ?? {})[0] as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any

    test('warn (default): a check block over a listing that knows the declared keys by id', () => {
      const json = synthOrganization({ adminKeys: [{ name: 'ci' }], ignoreUndeclared: ['pipeline'] });
      expect(listing(json)).toMatchObject({
        family: 'openai_admin_key', managed_ids: expect.stringMatching(/^\$\{local\.[\w-]+\}$/), declared_keys: { 'apikeys_openai_admin_key.acme_ci': 'ci' },
        ignore: ['pipeline'], label: 'OpenAI organization acme (admin keys)', provider: 'apikeys',
      });
      expect(connectionOf(listing(json)!)).toBe('acme');
      const [check] = Object.values(json.check) as { assert: { condition: string; error_message: string }[] }[];
      expect(check.assert[0].condition).toMatch(/^\$\{length\(data\.apikeys_organization_keys\.[\w-]+\.messages\) == 0\}$/);
    });

    test('fail: a postcondition on the listing instead of a check', () => {
      const json = synthOrganization({ adminKeys: [{ name: 'ci' }], undeclaredKeys: 'fail' });
      expect(json.check).toBeUndefined();
      expect(listing(json)!.lifecycle.postcondition[0].condition).toBe('${length(self.messages) == 0}');
    });

    test('off: no listing at all', () => {
      const json = synthOrganization({ adminKeys: [{ name: 'ci' }], undeclaredKeys: 'off' });
      expect(listing(json)).toBeUndefined();
      expect(json.check).toBeUndefined();
    });
  });
});
