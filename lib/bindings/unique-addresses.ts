import { TerraformDataSource, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack } from '../cdk';
import { Node, type IConstruct } from 'constructs';

const guarded = new WeakSet<TerraformStack>();

function addressOf(element: IConstruct): string | undefined {
  if (element instanceof TerraformResource) return `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  if (element instanceof TerraformDataSource) return `data.${element.terraformResourceType}.${element.friendlyUniqueId}`;
  if (element instanceof TerraformOutput) return `output.${element.friendlyUniqueId}`;
  if (element instanceof TerraformProvider) return `provider.${element.terraformResourceType}${element.alias ? `.${element.alias}` : ''}`;
  return undefined;
}

/**
 * A last line of defence, for stacks built from the bindings directly: cdktf
 * merges elements with the same Terraform address silently, keeping one, so
 * synthesis fails instead, naming both construct paths. (The organization
 * constructs report their clashes earlier, with the props at fault.)
 */
export function guardUniqueAddresses(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (guarded.has(stack)) return;
  guarded.add(stack);
  Node.of(stack).addValidation({
    validate: () => {
      const first = new Map<string, string>();
      const problems: string[] = [];
      for (const element of stack.node.findAll()) {
        const address = addressOf(element);
        if (address === undefined) continue;
        const earlier = first.get(address);
        if (earlier === undefined) first.set(address, element.node.path);
        else problems.push(`${element.node.path} and ${earlier} both synthesize ${address}; Terraform would keep only one of them. Rename one.`);
      }
      return problems;
    },
  });
}
