import { TerraformStack, Testing } from 'cdktf';
import { AtlasOrganizationKey } from '../../../lib/bindings/atlas-organization-key';
import { EdgeimpulseOrganizationKey } from '../../../lib/bindings/edgeimpulse-organization-key';
import { OpenaiAdminKey } from '../../../lib/bindings/openai-admin-key';
import { OpenaiProjectKey } from '../../../lib/bindings/openai-project-key';
import { DataApikeysOrganizationKeys } from '../../../lib/bindings/organization-keys';
import { ApikeysProvider } from '../../../lib/bindings/provider';
import { TerraformWorkspace } from '../../../harness/terraform';

/**
 * What the generated bindings synthesize, in both formats, is a configuration
 * the real Terraform accepts against the provider's schema: labelled
 * connection blocks, `connection` on resources and on the data source.
 */
function build(stack: TerraformStack, { resourceConnections }: { resourceConnections: boolean }): void {
  const connection = resourceConnections ? { connectionName: 'acme' } : {};
  const provider = new ApikeysProvider(stack, 'apikeys', {
    openaiAdminKeyEnv: 'DEFAULT_OPENAI_ADMIN_KEY',
    openaiConnection: { acme: { adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY', baseUrl: 'http://127.0.0.1:4010/v1' } },
  });
  provider.addOpenaiConnection('Globex-EU', { adminKeyEnv: 'GLOBEX_OPENAI_ADMIN_KEY' });
  provider.addEdgeimpulseConnection('acme', { apiKeyEnv: 'ACME_EI_API_KEY' });
  provider.addAtlasConnection('acme', { clientIdEnv: 'ACME_ATLAS_CLIENT_ID', clientSecretEnv: 'ACME_ATLAS_CLIENT_SECRET', apiVersion: 'v2' });
  new OpenaiAdminKey(stack, 'ci', { provider, ...connection, name: 'ci' });
  new OpenaiAdminKey(stack, 'default', { provider, name: 'default' });
  new OpenaiProjectKey(stack, 'proj', { provider, ...(resourceConnections ? { connectionName: 'Globex-EU' } : {}), projectId: 'proj_abc123', name: 'p' });
  new EdgeimpulseOrganizationKey(stack, 'ei', { provider, ...connection, organizationId: 4711, name: 'ei', role: 'member' });
  new AtlasOrganizationKey(stack, 'atlas', { provider, ...connection, organizationId: '5980cfc70b6d97029d82e3f6', description: 'd', roles: ['ORG_MEMBER'] });
  new DataApikeysOrganizationKeys(stack, 'list', { provider, connectionName: 'acme', family: 'openai_admin_key' });
}

async function validate(files: Record<string, string>): Promise<string> {
  const workspace = TerraformWorkspace.create(files);
  try {
    const init = await workspace.terraform(['init', '-backend=false']);
    if (init.exitCode !== 0) return `init: ${init.stdout}${init.stderr}`;
    const result = await workspace.terraform(['validate']);
    return `${result.exitCode} ${result.stdout}${result.stderr}`;
  } finally {
    workspace.dispose();
  }
}

const VALID = /^0 [\s\S]*Success! The configuration is valid/;

describe('bindings against the real Terraform', () => {
  test('JSON synthesis validates: connection blocks, and connection_name on every resource and the data source', async () => {
    const stack = new TerraformStack(Testing.app(), 'json');
    build(stack, { resourceConnections: true });
    expect(await validate({ 'main.tf.json': Testing.synth(stack) })).toMatch(VALID);
  });

  test('HCL synthesis validates, with connection on every resource', async () => {
    const stack = new TerraformStack(Testing.app({ hclOutput: true } as Parameters<typeof Testing.app>[0]), 'hcl');
    build(stack, { resourceConnections: true });
    expect(await validate({ 'main.tf': Testing.synthHcl(stack) })).toMatch(VALID);
  });

  // Why scripts/generate refuses resource arguments named like Terraform's meta-arguments (reservedNameProblems).
  test('Terraform\'s JSON syntax reads a resource\'s "connection" as provisioner connection blocks, so JSON cannot set such an argument', async () => {
    const stack = new TerraformStack(Testing.app(), 'reserved');
    build(stack, { resourceConnections: true });
    const json = Testing.synth(stack).replace(/"connection_name"/g, '"connection"');
    expect(await validate({ 'main.tf.json': json }))
      .toContain('Either a JSON object or a JSON array is required, representing the contents\nof one or more "connection" blocks.');
  });

  test('the check can fail: a block type the schema lacks does not validate', async () => {
    const stack = new TerraformStack(Testing.app(), 'negative');
    build(stack, { resourceConnections: false });
    const json = JSON.parse(Testing.synth(stack));
    json.provider.apikeys[0].foo_connection = { acme: {} };
    expect(await validate({ 'main.tf.json': JSON.stringify(json) })).toMatch(/foo_connection/);
  });
});
