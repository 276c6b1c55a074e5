/**
 * `connection_name` says where the provider finds a key, not what the key is.
 * Keys deployed the way the library did before named connections (one aliased
 * provider per organization, no connection_name in state) that move to a
 * named connection of the stack's one provider, reaching the same
 * organization, keep their keys: an update in place, no vendor call, the
 * secret kept. A connection
 * that reaches another organization replaces the key. Real terraform, the
 * provider bundle, the emulator.
 */
import { VendorEmulator } from '../../src/emulator/server';
import { TerraformWorkspace, expectExit } from '../../harness/terraform';

const HEADER = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
`;

describe('moving keys between connections, with the real terraform binary', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let atlasOrg: string;
  let baseUrls: { openai: string; atlas: string };

  /** The keys, on a labelled connection of the default provider, or (no label) on the aliased provider `legacy`. */
  const resources = (openAiConnection?: string, atlasConnection?: string, description = 'ci') => `
resource "apikeys_openai_admin_key" "ci" {
  ${openAiConnection ? `connection_name = "${openAiConnection}"` : 'provider = apikeys.legacy'}
  name = "ci"
}
resource "apikeys_atlas_organization_key" "ci" {
  ${atlasConnection ? `connection_name = "${atlasConnection}"` : 'provider = apikeys.legacy'}
  organization_id = "${atlasOrg}"
  description     = "${description}"
  roles           = ["ORG_READ_ONLY"]
}
`;

  /**
   * The provider as the library wrote it before (aliased, flat attributes), and the stack's one provider with
   * labelled blocks: "acme" reaches the same organizations, "globex" another OpenAI one.
   */
  const provider = (legacy: boolean, atlasLabel: string) => `
${legacy ? `provider "apikeys" {
  alias                 = "legacy"
  openai_admin_key_env  = "ACME_OPENAI_ADMIN_KEY"
  openai_base_url       = "${baseUrls.openai}"
  atlas_public_key_env  = "ACME_ATLAS_PUBLIC_KEY"
  atlas_private_key_env = "ACME_ATLAS_PRIVATE_KEY"
  atlas_base_url        = "${baseUrls.atlas}"
}` : ''}
provider "apikeys" {
  openai_base_url = "${baseUrls.openai}"
  atlas_base_url  = "${baseUrls.atlas}"

  openai_connection "acme" {
    admin_key_env = "ACME_OPENAI_ADMIN_KEY"
  }
  openai_connection "acme2" {
    admin_key_env = "ACME_OPENAI_ADMIN_KEY"
  }
  openai_connection "globex" {
    admin_key_env = "GLOBEX_OPENAI_ADMIN_KEY"
  }
  atlas_connection "${atlasLabel}" {
    public_key_env  = "ACME_ATLAS_PUBLIC_KEY"
    private_key_env = "ACME_ATLAS_PRIVATE_KEY"
  }
}
`;

  const configure = (text: string, legacy = false, atlasLabel = 'acme') => workspace.write('main.tf', HEADER + provider(legacy, atlasLabel) + text);
  const vendorCreates = () => emulator.requests.filter((request) => request.method === 'POST').length;

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const vendors = emulator.describe().vendors;
    baseUrls = { openai: String(vendors.openai.baseUrl), atlas: String(vendors.atlas.baseUrl) };
    atlasOrg = String(vendors.atlas.orgId);
    const globex = emulator.openai.addOrganization({ name: 'Globex' });
    workspace = TerraformWorkspace.create({ 'main.tf': '' }, {
      ACME_OPENAI_ADMIN_KEY: emulator.openai.bootstrapAdminKey,
      GLOBEX_OPENAI_ADMIN_KEY: globex.bootstrapAdminKey,
      // The default OpenAI connection of the new provider block reads this variable: another organization, where the keys are not.
      OPENAI_ADMIN_KEY: globex.bootstrapAdminKey,
      ACME_ATLAS_PUBLIC_KEY: String(vendors.atlas.publicKey),
      ACME_ATLAS_PRIVATE_KEY: String(vendors.atlas.privateKey),
    });
    configure(resources(), true);
    expectExit(await workspace.terraform(['init']), 0);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  const keys = () => ({
    openai: workspace.attributes('apikeys_openai_admin_key', 'ci'),
    atlas: workspace.attributes('apikeys_atlas_organization_key', 'ci'),
  });

  test('from an aliased provider without connection_name to named connections that reach the same organizations: nothing to change', async () => {
    const before = keys();
    expect(before.openai.connection_name).toBeNull();
    configure(resources('acme', 'acme'));
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    expect(plan.stdout).toContain('No changes');

    emulator.requests.length = 0;
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(vendorCreates()).toBe(0);
    const after = keys();
    expect(after.openai).toMatchObject({ id: before.openai.id, secret: before.openai.secret, connection_name: 'acme' });
    expect(after.atlas).toMatchObject({ id: before.atlas.id, secret: before.atlas.secret, connection_name: 'acme' });
    expect(emulator.openai.adminKeys.all().filter((key) => key.name === 'ci')).toHaveLength(1);
  });

  test('a renamed connection that reaches the same organization: the label is updated in place, no vendor call', async () => {
    const before = keys();
    configure(resources('acme2', 'acme'));
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toContain('0 to add, 1 to change, 0 to destroy');
    expect(plan.stdout).not.toContain('must be replaced');

    emulator.requests.length = 0;
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(vendorCreates()).toBe(0);
    expect(keys().openai).toMatchObject({ id: before.openai.id, secret: before.openai.secret, connection_name: 'acme2' });
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('to a connection that reaches another organization: the key is replaced (the old one revoked through its own connection)', async () => {
    configure(resources('globex', 'acme'));
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toContain('1 to add, 0 to change, 1 to destroy');
    expect(plan.stdout).toMatch(/apikeys_openai_admin_key\.ci must be replaced/);
  });

  test('a renamed connection (the old block gone) together with an in-place change: the update goes through the new connection', async () => {
    const before = keys();
    configure(resources('acme2', 'acme-renamed', 'ci-renamed'), false, 'acme-renamed');
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    expect(plan.stdout).toContain('0 to add, 1 to change, 0 to destroy');

    emulator.requests.length = 0;
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(vendorCreates()).toBe(0);
    expect(keys().atlas).toMatchObject({ id: before.atlas.id, secret: before.atlas.secret, connection_name: 'acme-renamed', description: 'ci-renamed' });
    expect(emulator.atlas.organization(atlasOrg)!.keys.all().find((key) => key.id === before.atlas.id)?.desc).toBe('ci-renamed');
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });
});
