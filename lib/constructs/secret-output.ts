import { TerraformOutput } from '../cdk';
import type { Construct } from 'constructs';
import { stableAddress } from './validation';

/**
 * A sensitive output for one key's secret, named `<organization>_<key>_secret`.
 * The name is static (not derived from the construct path), so pipelines can
 * rely on it across refactors. Terraform prints it as <sensitive>.
 */
export function addSecretOutput(scope: Construct, organization: string, key: string, secret: string, description: string): TerraformOutput {
  const name = `${stableAddress(organization, key)}_secret`;
  return new TerraformOutput(scope, name, { value: secret, sensitive: true, staticId: true, description });
}
