/**
 * Named connections end to end: ONE provider block serves six organizations
 * (two per vendor) through `<vendor>_connection "label"` blocks, with the
 * real terraform binary, the provider bundle and the emulators. OpenAI's
 * emulator holds one organization, so the two OpenAI organizations are two
 * emulators (two base URLs); Edge Impulse and Atlas organizations live side by
 * side in the first emulator, each reached with its own credentials.
 */
import { VendorEmulator } from '../../src/emulator/server';
import { findLeaks } from '../support/leaks';
import { TerraformWorkspace, expectExit } from '../../harness/terraform';

const HEADER = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
`;

interface Organizations {
  openaiAlpha: string;
  openaiBeta: string;
  edgeImpulseUrl: string;
  atlasUrl: string;
  eiAlpha: number;
  eiBeta: number;
  atlasAlpha: string;
  atlasBeta: string;
  projectAlpha: string;
}

/** The provider block: flat base URLs serve as defaults for the blocks that set none (Edge Impulse, Atlas "alpha"). */
const PROVIDER = (orgs: Organizations, extraConnections = '') => `
provider "apikeys" {
  max_retries          = 1
  edgeimpulse_base_url = "${orgs.edgeImpulseUrl}"
  atlas_base_url       = "${orgs.atlasUrl}"

  openai_connection "alpha" {
    admin_key_env = "ALPHA_OPENAI_ADMIN_KEY"
    base_url      = "${orgs.openaiAlpha}"
  }
  openai_connection "beta" {
    admin_key_env = "BETA_OPENAI_ADMIN_KEY"
    base_url      = "${orgs.openaiBeta}"
  }
  edgeimpulse_connection "alpha" {
    api_key_env = "ALPHA_EI_API_KEY"
  }
  edgeimpulse_connection "beta" {
    api_key_env = "BETA_EI_API_KEY"
  }
  atlas_connection "alpha" {
    public_key_env  = "ALPHA_ATLAS_PUBLIC_KEY"
    private_key_env = "ALPHA_ATLAS_PRIVATE_KEY"
  }
  atlas_connection "beta" {
    client_id_env     = "BETA_ATLAS_CLIENT_ID"
    client_secret_env = "BETA_ATLAS_CLIENT_SECRET"
    base_url          = "${orgs.atlasUrl}"
  }
${extraConnections}}
`;

const RESOURCES = (orgs: Organizations) => ['alpha', 'beta'].map((label) => `
resource "apikeys_openai_admin_key" "${label}" {
  connection_name = "${label}"
  name       = "ci-${label}"
}
resource "apikeys_edgeimpulse_organization_key" "${label}" {
  connection_name      = "${label}"
  organization_id = ${label === 'alpha' ? orgs.eiAlpha : orgs.eiBeta}
  name            = "ci-${label}"
  role            = "member"
}
resource "apikeys_atlas_organization_key" "${label}" {
  connection_name      = "${label}"
  organization_id = "${label === 'alpha' ? orgs.atlasAlpha : orgs.atlasBeta}"
  description     = "ci-${label}"
  roles           = ["ORG_READ_ONLY"]
}
data "apikeys_organization_keys" "atlas_${label}" {
  depends_on      = [apikeys_atlas_organization_key.${label}] # read after the key exists
  family          = "atlas_organization_key"
  connection_name      = "${label}"
  organization_id = "${label === 'alpha' ? orgs.atlasAlpha : orgs.atlasBeta}"
}
`).join('') + `
resource "apikeys_openai_project_key" "alpha" {
  connection_name = "alpha"
  project_id = "${orgs.projectAlpha}"
  name       = "svc-alpha"
}
output "atlas_alpha_keys" {
  value = [for key in data.apikeys_organization_keys.atlas_alpha.keys : key.name]
}
output "atlas_beta_keys" {
  value = [for key in data.apikeys_organization_keys.atlas_beta.keys : key.name]
}
`;

/** Lines in which Terraform's debug log says it started a provider process of this provider. */
const providerStarts = (log: string): string[] => log.split('\n').filter((line) => /plugin started: path=\S*terraform-provider-apikeys/.test(line));

describe('one provider block, two connections per vendor, with the real terraform binary', () => {
  let first: VendorEmulator;
  let second: VendorEmulator;
  let workspace: TerraformWorkspace;
  let orgs: Organizations;

  const emulators = () => [first, second];
  const allRequests = () => emulators().flatMap((emulator) => emulator.requests);
  const clearRequests = () => emulators().forEach((emulator) => { emulator.requests.length = 0; });
  const secrets = () => [
    ...emulators().flatMap((emulator) => emulator.openai.adminKeys.all().map((key) => key.value)),
    ...[...first.edgeimpulse.organizations.values()].flatMap((org) => [...org.keys.values()].map((key) => key.apiKey)),
    ...first.atlas.organizations.flatMap((org) => [...org.keys.all().map((key) => key.privateKey), org.serviceAccount.clientSecret]),
  ];

  beforeAll(async () => {
    [first, second] = [await VendorEmulator.start(), await VendorEmulator.start()];
    const vendors = first.describe().vendors;
    const atlas = Object.fromEntries(Object.entries(vendors.atlas).map(([name, value]) => [name, String(value)]));
    const eiBeta = first.edgeimpulse.addOrganization({ name: 'Beta' });
    orgs = {
      openaiAlpha: String(vendors.openai.baseUrl),
      openaiBeta: String(second.describe().vendors.openai.baseUrl),
      edgeImpulseUrl: String(vendors.edgeimpulse.baseUrl),
      atlasUrl: atlas.baseUrl,
      eiAlpha: Number(vendors.edgeimpulse.organizationId),
      eiBeta: eiBeta.id,
      atlasAlpha: atlas.orgId,
      atlasBeta: atlas.orgId_1,
      projectAlpha: String(vendors.openai.projectId),
    };
    workspace = TerraformWorkspace.create({ 'main.tf': HEADER + PROVIDER(orgs) + RESOURCES(orgs) }, {
      ALPHA_OPENAI_ADMIN_KEY: first.openai.bootstrapAdminKey,
      BETA_OPENAI_ADMIN_KEY: second.openai.bootstrapAdminKey,
      ALPHA_EI_API_KEY: String(vendors.edgeimpulse.apiKey),
      BETA_EI_API_KEY: eiBeta.bootstrapApiKey,
      ALPHA_ATLAS_PUBLIC_KEY: atlas.publicKey,
      ALPHA_ATLAS_PRIVATE_KEY: atlas.privateKey,
      BETA_ATLAS_CLIENT_ID: atlas.clientId_1,
      BETA_ATLAS_CLIENT_SECRET: atlas.clientSecret_1,
    });
    expectExit(await workspace.terraform(['init']), 0);
  });

  afterAll(async () => {
    workspace?.dispose();
    await Promise.all(emulators().map((emulator) => emulator?.stop()));
  });

  test('apply creates each key in the organization its connection names, and nowhere else', async () => {
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);

    const adminKey = (emulator: VendorEmulator, name: string) => emulator.openai.adminKeys.all().find((key) => key.name === name);
    expect(workspace.attributes('apikeys_openai_admin_key', 'alpha').secret).toBe(adminKey(first, 'ci-alpha')?.value);
    expect(workspace.attributes('apikeys_openai_admin_key', 'beta').secret).toBe(adminKey(second, 'ci-beta')?.value);
    expect([adminKey(first, 'ci-beta'), adminKey(second, 'ci-alpha')]).toEqual([undefined, undefined]);
    expect(first.openai.projects.keys(orgs.projectAlpha).all().map((key) => key.id)).toContain(workspace.attributes('apikeys_openai_project_key', 'alpha').id);

    const eiNames = (org: number) => [...first.edgeimpulse.organizations.get(org)!.keys.values()].map((key) => key.name).sort();
    expect(eiNames(orgs.eiAlpha)).toEqual(['ci-alpha', 'emulator bootstrap admin key']);
    expect(eiNames(orgs.eiBeta)).toEqual(['ci-beta', 'emulator bootstrap admin key']);

    const atlasNames = (org: string) => first.atlas.organization(org)!.keys.all().map((key) => key.desc).sort();
    expect(atlasNames(orgs.atlasAlpha)).toEqual(['ci-alpha', 'emulator bootstrap key']);
    expect(atlasNames(orgs.atlasBeta)).toEqual(['ci-beta', 'emulator bootstrap key']);

    // State records the connection; the data source read each organization through its own connection.
    expect(workspace.attributes('apikeys_atlas_organization_key', 'beta').connection_name).toBe('beta');
    expect(workspace.state().outputs.atlas_beta_keys.value).toEqual(expect.arrayContaining(['ci-beta']));
    expect(workspace.state().outputs.atlas_beta_keys.value).not.toContain('ci-alpha');
    expect(findLeaks(workspace.allOutput(), secrets())).toEqual([]);
  });

  test('the plan afterwards is empty and lists each organization (and project) exactly once', async () => {
    clearRequests();
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);

    const listings = (emulator: VendorEmulator, vendor: string, suffix: string) =>
      emulator.requestsTo(vendor, 'GET').filter((record) => record.path.endsWith(suffix) && record.status === 200);
    expect(listings(first, 'openai', '/organization/admin_api_keys')).toHaveLength(1);
    expect(listings(second, 'openai', '/organization/admin_api_keys')).toHaveLength(1);
    expect(listings(first, 'openai', `/projects/${orgs.projectAlpha}/api_keys`)).toHaveLength(1);
    expect(listings(first, 'edgeimpulse', `/organizations/${orgs.eiAlpha}/apikeys`)).toHaveLength(1);
    expect(listings(first, 'edgeimpulse', `/organizations/${orgs.eiBeta}/apikeys`)).toHaveLength(1);
    // Atlas: the resource and the data source of each organization share one listing.
    expect(listings(first, 'atlas', `/orgs/${orgs.atlasAlpha}/apiKeys`)).toHaveLength(1);
    expect(listings(first, 'atlas', `/orgs/${orgs.atlasBeta}/apiKeys`)).toHaveLength(1);
    // Nothing was refused (a 401 is HTTP Digest's challenge to the programmatic key, answered on the same listing).
    expect(allRequests().filter((record) => record.status !== 200 && record.status !== 401)).toEqual([]);
  });

  test('one provider configuration serves every organization: no more provider processes than a plan of one organization', async () => {
    const plan = await workspace.terraform(['plan', '-detailed-exitcode'], { TF_LOG: 'debug' });
    expectExit(plan, 0);
    const starts = providerStarts(plan.stderr);

    const single = TerraformWorkspace.create({
      'main.tf': `${HEADER}provider "apikeys" {\n  openai_base_url = "${orgs.openaiAlpha}"\n}\nresource "apikeys_openai_admin_key" "one" {\n  name = "one"\n}\n`,
    }, { OPENAI_ADMIN_KEY: first.openai.bootstrapAdminKey });
    try {
      expectExit(await single.terraform(['init']), 0);
      const baseline = await single.terraform(['plan'], { TF_LOG: 'debug' });
      expectExit(baseline, 0);
      expect(providerStarts(baseline.stderr).length).toBeGreaterThan(0);
      expect(starts).toHaveLength(providerStarts(baseline.stderr).length);
    } finally {
      single.dispose();
    }
  });

  test('import through a named connection: the data source\'s import id names the connection, and the imported key stays put', async () => {
    const legacy = second.openai.addAdminKey('legacy', 3600);
    workspace.write('legacy.tf', `
data "apikeys_organization_keys" "openai_beta" {
  family      = "openai_admin_key"
  connection_name  = "beta"
  managed_ids = [apikeys_openai_admin_key.beta.id]
  ignore      = ["emulator bootstrap admin key"]
}
output "beta_import_ids" {
  value = data.apikeys_organization_keys.openai_beta.unmanaged_keys[*].import_id
}
`);
    expectExit(await workspace.terraform(['apply', '-auto-approve']), 0);
    expect(workspace.state().outputs.beta_import_ids.value).toEqual([`beta:${legacy.id}`]);

    workspace.write('legacy.tf', 'resource "apikeys_openai_admin_key" "legacy" {\n  connection_name         = "beta"\n  name               = "legacy"\n  expires_in_seconds = 3600\n}\n');
    expectExit(await workspace.terraform(['import', 'apikeys_openai_admin_key.legacy', `beta:${legacy.id}`]), 0);
    expect(workspace.attributes('apikeys_openai_admin_key', 'legacy')).toMatchObject({ id: legacy.id, connection_name: 'beta', name: 'legacy', secret: null });
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(apply.stdout).toContain('0 added, 0 changed, 0 destroyed');
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('a connection label the provider block lacks fails the plan on `connection_name`, listing the labels, before any vendor call', async () => {
    workspace.write('typo.tf', 'resource "apikeys_openai_admin_key" "typo" {\n  connection_name = "alpa"\n  name       = "typo"\n}\n' +
      'data "apikeys_organization_keys" "typo" {\n  family     = "edgeimpulse_organization_key"\n  connection_name = "bet"\n  organization_id = "1"\n}\n');
    try {
      clearRequests();
      const plan = await workspace.terraform(['plan']);
      expectExit(plan, 1);
      const text = plan.stderr.replace(/\s+/g, ' ');
      expect(text).toContain('the apikeys provider block has no openai_connection "alpa"');
      expect(text).toContain('Configured openai_connection labels: "alpha", "beta". Did you mean "alpha"?');
      expect(text).toMatch(/with apikeys_openai_admin_key\.typo, on typo\.tf line 2, in resource "apikeys_openai_admin_key" "typo": 2: connection_name = "alpa"/);
      // The data source too, against its family's vendor.
      expect(text).toContain('Configured edgeimpulse_connection labels: "alpha", "beta". Did you mean "beta"?');
      expect(text).toMatch(/with data\.apikeys_organization_keys\.typo, on typo\.tf line 7, in data "apikeys_organization_keys" "typo": 7: connection_name = "bet"/);
      // Refreshing the other keys reads (and a service account fetches its token); nothing is created.
      expect(allRequests().filter((record) => record.method !== 'GET' && !record.path.endsWith('/oauth/token'))).toEqual([]);
      expect(emulators().flatMap((emulator) => emulator.openai.adminKeys.all()).filter((key) => key.name === 'typo')).toEqual([]);
    } finally {
      workspace.write('typo.tf', '');
    }
  });

  test.each([
    ['a refused credential variable', 'openai_connection "evil" {\n    admin_key_env = "GITHUB_TOKEN"\n  }\n', 'admin_key_env in openai_connection "evil"', /admin_key_env = "GITHUB_TOKEN"/, 'names GITHUB_TOKEN, but'],
    ['an unlisted base URL host', 'atlas_connection "evil" {\n    base_url = "https://collector.example"\n  }\n', 'base_url in atlas_connection "evil"', /base_url = "https:\/\/collector\.example"/, 'points at collector.example'],
  ])('%s in a connection block fails validate and plan with the block\'s path, and no request reaches any vendor', async (_label, block, attribute, line, problem) => {
    workspace.write('main.tf', HEADER + PROVIDER(orgs, `  ${block}`) + RESOURCES(orgs));
    try {
      clearRequests();
      for (const command of [['validate'], ['plan']]) {
        const result = await workspace.terraform(command);
        expectExit(result, 1);
        const text = result.stderr.replace(/\s+/g, ' ');
        expect(text).toContain(`Error: Invalid ${attribute}`);
        expect(text).toContain(problem);
        expect(result.stderr).toMatch(line); // Terraform found the attribute inside the block from the diagnostic's path
        expect(text).toMatch(/on main\.tf line \d+, in provider "apikeys"/);
      }
      expect(allRequests()).toEqual([]);
    } finally {
      workspace.write('main.tf', HEADER + PROVIDER(orgs) + RESOURCES(orgs));
    }
  });

  test('destroy revokes every key through its own connection', async () => {
    expectExit(await workspace.terraform(['destroy', '-auto-approve']), 0);
    expect(first.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(second.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    for (const org of [orgs.atlasAlpha, orgs.atlasBeta]) expect(first.atlas.organization(org)!.keys.all().map((key) => key.desc)).toEqual(['emulator bootstrap key']);
    for (const org of [orgs.eiAlpha, orgs.eiBeta]) expect([...first.edgeimpulse.organizations.get(org)!.keys.values()].map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(findLeaks(workspace.allOutput(), secrets())).toEqual([]);
  });
});
