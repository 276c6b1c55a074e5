import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { OpenaiAdminKey } from '../../../lib/bindings/openai-admin-key';
import { DataApikeysOrganizationKeys } from '../../../lib/bindings/organization-keys';
import { ApikeysProvider } from '../../../lib/bindings/provider';

const stackWith = (build: (stack: TerraformStack) => void): TerraformStack => {
  const stack = new TerraformStack(Testing.app() as App, 'test');
  new ApikeysProvider(stack, 'provider');
  build(stack);
  return stack;
};

describe('bindings used directly: one Terraform address, one element', () => {
  test('two resources with one logical id fail synthesis, naming both construct paths', () => {
    const stack = stackWith((scope) => {
      new OpenaiAdminKey(scope, 'one', { name: 'a' }).overrideLogicalId('same');
      new OpenaiAdminKey(scope, 'two', { name: 'b' }).overrideLogicalId('same');
    });
    expect(() => stack.runAllValidations()).toThrow(/test\/two and test\/one both synthesize apikeys_openai_admin_key\.same/);
  });

  test('two outputs with one name fail too; distinct addresses pass', () => {
    const distinct = stackWith((scope) => {
      const key = new OpenaiAdminKey(scope, 'one', { name: 'a' });
      // The same name for an output, a data source and a resource: three addresses.
      new TerraformOutput(scope, 'x', { value: key.keyId, staticId: true });
      new DataApikeysOrganizationKeys(scope, 'list', { family: 'openai_admin_key' }).overrideLogicalId('x');
      new OpenaiAdminKey(scope, 'two', { name: 'b' }).overrideLogicalId('x');
    });
    expect(() => distinct.runAllValidations()).not.toThrow();
    const outputs = stackWith((scope) => {
      new OpenaiAdminKey(scope, 'one', { name: 'a' });
      new TerraformOutput(scope, 'first', { value: 1, staticId: true }).overrideLogicalId('same');
      new TerraformOutput(scope, 'second', { value: 2, staticId: true }).overrideLogicalId('same');
    });
    expect(() => outputs.runAllValidations()).toThrow(/test\/second and test\/first both synthesize output\.same/);
  });
});
