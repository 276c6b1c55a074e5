import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { OpenaiProjectKey } from '../../../lib/bindings/openai-project-key';
import { ApikeysProvider } from '../../../lib/bindings/provider';
import { synthStack as synth } from '../../support/lib';

describe('OpenaiProjectKey binding', () => {
  test('synthesizes project_id and name, with the aliased provider', () => {
    const json = synth((stack) => {
      const provider = new ApikeysProvider(stack, 'p', { alias: 'acme' });
      new OpenaiProjectKey(stack, 'ci', { provider, projectId: 'proj_abc', name: 'ci' });
    });
    expect(json.resource.apikeys_openai_project_key.ci).toEqual({ project_id: 'proj_abc', name: 'ci', provider: 'apikeys.acme' });
  });

  test('attribute getters are Terraform references', () => {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const key = new OpenaiProjectKey(stack, 'ci', { projectId: 'proj_abc', name: 'ci' });
    new TerraformOutput(stack, 'secret', { value: key.secret, sensitive: true });
    new TerraformOutput(stack, 'account', { value: key.serviceAccountId });
    new TerraformOutput(stack, 'owner', { value: key.ownerType });
    new TerraformOutput(stack, 'id', { value: key.keyId });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.secret.value).toBe('${apikeys_openai_project_key.ci.secret}');
    expect(json.output.account.value).toBe('${apikeys_openai_project_key.ci.service_account_id}');
    expect(json.output.owner.value).toBe('${apikeys_openai_project_key.ci.owner_type}');
    expect(json.output.id.value).toBe('${apikeys_openai_project_key.ci.id}');
  });
});
