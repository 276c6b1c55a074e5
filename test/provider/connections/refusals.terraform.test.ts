/**
 * Every vendor refusal names its connection and the variable to check, with
 * advice for its status, once per connection and cause: one wrong credential
 * per family in plain HCL, through a named connection and through the flat
 * settings, with the real terraform binary. Each case declares three keys
 * behind the same credential, so "one error" means one, not three. Nothing
 * may be created.
 */
import { VendorEmulator } from '../../../src/emulator/server';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';

const HEADER = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
`;

interface RefusalCase {
  readonly name: string;
  /** The settings of the connection, as a labelled block's body or, prefixed with the vendor, as flat attributes. */
  readonly settings: Record<string, string>;
  readonly vendor: 'openai' | 'edgeimpulse' | 'atlas';
  /** Three resources, using `connection` when it is set. */
  resources(connection: string | null): string;
  /** The credential values, by setting (its `_env` attribute names the variable). */
  credentials(): Record<string, string>;
  /** What the first line of the error says after the variable and connection. */
  readonly says: RegExp;
  readonly advice: string;
}

let emulator: VendorEmulator;
let workspace: TerraformWorkspace;
let ids: { project: string; eiOrg: number; eiOther: string; atlasOrg: string; atlasPublicKey: string; atlasClientId: string };

const connectionLine = (connection: string | null) => (connection === null ? '' : `  connection_name = "${connection}"\n`);
const three = (body: (index: number) => string) => [1, 2, 3].map(body).join('');

const CASES: RefusalCase[] = [
  {
    name: 'OpenAI admin keys with a wrong admin key',
    vendor: 'openai',
    settings: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' },
    credentials: () => ({ admin_key_env: 'sk-admin-this-is-not-the-key-0123456789' }),
    resources: (connection) => three((index) => `resource "apikeys_openai_admin_key" "k${index}" {\n${connectionLine(connection)}  name = "ci-${index}"\n}\n`),
    says: /OpenAI rejected the admin key in (\w+)( \(connection "acme"\))? with HTTP 401 \(invalid_request_error\/invalid_api_key\) when asked to list admin keys for the organization/,
    advice: 'Fix or rotate the credential',
  },
  {
    name: 'OpenAI project keys with a wrong admin key',
    vendor: 'openai',
    settings: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' },
    credentials: () => ({ admin_key_env: 'sk-admin-this-is-not-the-key-0123456789' }),
    resources: (connection) => three((index) => `resource "apikeys_openai_project_key" "k${index}" {\n${connectionLine(connection)}  project_id = "${ids.project}"\n  name = "svc-${index}"\n}\n`),
    says: /OpenAI rejected the admin key in (\w+)( \(connection "acme"\))? with HTTP 401 .* when asked to list project keys for project proj_/,
    advice: 'Fix or rotate the credential',
  },
  {
    name: 'Edge Impulse with a wrong API key',
    vendor: 'edgeimpulse',
    settings: { api_key_env: 'ACME_EI_API_KEY' },
    credentials: () => ({ api_key_env: 'ei_this_is_not_the_key_0123456789abcdef' }),
    resources: (connection) => three((index) => `resource "apikeys_edgeimpulse_organization_key" "k${index}" {\n${connectionLine(connection)}  organization_id = ${ids.eiOrg}\n  name = "ci-${index}"\n  role = "member"\n}\n`),
    says: /Edge Impulse rejected the API key in (\w+)( \(connection "acme"\))? with HTTP 401 when asked to list organization API keys for organization \d+/,
    advice: 'Fix or rotate the credential',
  },
  {
    name: 'Edge Impulse with the API key of another organization',
    vendor: 'edgeimpulse',
    settings: { api_key_env: 'ACME_EI_API_KEY' },
    credentials: () => ({ api_key_env: ids.eiOther }),
    resources: (connection) => three((index) => `resource "apikeys_edgeimpulse_organization_key" "k${index}" {\n${connectionLine(connection)}  organization_id = ${ids.eiOrg}\n  name = "ci-${index}"\n  role = "member"\n}\n`),
    says: /Edge Impulse rejected the API key in (\w+)( \(connection "acme"\))? with HTTP 403 when asked to list organization API keys for organization \d+: This API key does not have access/,
    advice: 'is valid but may not do this in organization',
  },
  {
    name: 'Atlas with a wrong digest key pair',
    vendor: 'atlas',
    settings: { public_key_env: 'ACME_ATLAS_PUBLIC_KEY', private_key_env: 'ACME_ATLAS_PRIVATE_KEY' },
    credentials: () => ({ public_key_env: ids.atlasPublicKey, private_key_env: '00000000-1111-2222-3333-444455556666' }),
    resources: (connection) => three((index) => `resource "apikeys_atlas_organization_key" "k${index}" {\n${connectionLine(connection)}  organization_id = "${ids.atlasOrg}"\n  description = "ci-${index}"\n  roles = ["ORG_READ_ONLY"]\n}\n`),
    says: /MongoDB Atlas rejected the programmatic API key in (\w+) and \w+( \(connection "acme"\))? with HTTP 401 .*when asked to list organization API keys for organization [0-9a-f]{24}/,
    advice: 'Fix or rotate the credential',
  },
  {
    name: 'Atlas with a wrong OAuth client secret',
    vendor: 'atlas',
    settings: { client_id_env: 'ACME_ATLAS_CLIENT_ID', client_secret_env: 'ACME_ATLAS_CLIENT_SECRET' },
    credentials: () => ({ client_id_env: ids.atlasClientId, client_secret_env: `mdb_sa_sk_${'0'.repeat(40)}` }),
    resources: (connection) => three((index) => `resource "apikeys_atlas_organization_key" "k${index}" {\n${connectionLine(connection)}  organization_id = "${ids.atlasOrg}"\n  description = "ci-${index}"\n  roles = ["ORG_READ_ONLY"]\n}\n`),
    says: /MongoDB Atlas rejected the service account in (\w+) and \w+( \(connection "acme"\))? with HTTP 401 .*for organization [0-9a-f]{24}/,
    advice: 'Fix or rotate the credential',
  },
];

/** The variable a setting reads when nothing names it: the vendor's default, e.g. OPENAI_ADMIN_KEY. */
const DEFAULT_ENV: Record<string, string> = {
  openai_admin_key_env: 'OPENAI_ADMIN_KEY', edgeimpulse_api_key_env: 'EI_API_KEY',
  atlas_public_key_env: 'MONGODB_ATLAS_PUBLIC_KEY', atlas_private_key_env: 'MONGODB_ATLAS_PRIVATE_KEY',
  atlas_client_id_env: 'MONGODB_ATLAS_CLIENT_ID', atlas_client_secret_env: 'MONGODB_ATLAS_CLIENT_SECRET',
};

function configuration(refusal: RefusalCase, named: boolean): { hcl: string; env: Record<string, string>; variable: string } {
  const vendors = emulator.describe().vendors;
  const baseUrls = `  openai_base_url = "${vendors.openai.baseUrl}"\n  edgeimpulse_base_url = "${vendors.edgeimpulse.baseUrl}"\n  atlas_base_url = "${vendors.atlas.baseUrl}"\n  max_retries = 0\n`;
  const credentials = refusal.credentials();
  if (named) {
    const block = `  ${refusal.vendor}_connection "acme" {\n${Object.entries(refusal.settings).map(([name, variable]) => `    ${name} = "${variable}"\n`).join('')}  }\n`;
    return {
      hcl: `${HEADER}provider "apikeys" {\n${baseUrls}${block}}\n${refusal.resources('acme')}`,
      env: Object.fromEntries(Object.entries(refusal.settings).map(([name, variable]) => [variable, credentials[name]])),
      variable: Object.values(refusal.settings)[0],
    };
  }
  const defaults = Object.keys(refusal.settings).map((name) => DEFAULT_ENV[`${refusal.vendor}_${name}`]);
  return {
    hcl: `${HEADER}provider "apikeys" {\n${baseUrls}}\n${refusal.resources(null)}`,
    env: Object.fromEntries(Object.keys(refusal.settings).map((name, index) => [defaults[index], credentials[name]])),
    variable: defaults[0],
  };
}

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  const vendors = emulator.describe().vendors;
  const other = emulator.edgeimpulse.addOrganization({ name: 'Other' });
  ids = {
    project: String(vendors.openai.projectId),
    eiOrg: Number(vendors.edgeimpulse.organizationId),
    eiOther: other.bootstrapApiKey,
    atlasOrg: String(vendors.atlas.orgId),
    atlasPublicKey: String(vendors.atlas.publicKey),
    atlasClientId: String(vendors.atlas.clientId),
  };
  workspace = TerraformWorkspace.create({ 'main.tf': HEADER });
  expectExit(await workspace.terraform(['init']), 0);
});

afterAll(async () => {
  workspace?.dispose();
  await emulator?.stop();
});

describe.each([['a named connection', true], ['the flat settings', false]] as const)('through %s', (_how, named) => {
  test.each(CASES.map((refusal) => [refusal.name, refusal] as const))('%s: one error naming the variable and the advice, nothing created', async (_name, refusal) => {
    const { hcl, env, variable } = configuration(refusal, named);
    workspace.write('main.tf', hcl);
    emulator.requests.length = 0;
    const apply = await workspace.terraform(['apply', '-auto-approve'], env);
    expect(apply.exitCode).toBe(1);
    const output = apply.stderr.replace(/[\s│]+/g, ' ');
    const said = refusal.says.exec(output);
    if (!said) throw new Error(`no refusal matching ${refusal.says} in:\n${apply.stderr}`);
    expect(said[1]).toBe(variable);
    expect(said[2]).toBe(named ? ' (connection "acme")' : undefined);
    expect(output).toContain(refusal.advice);
    expect(output).not.toMatch(/apply again/i);
    expect(apply.stderr.match(/^Error: /gm)).toHaveLength(1);
    for (const value of Object.values(env)) expect(apply.stdout + apply.stderr).not.toContain(value);
    const writes = emulator.requests.filter((record) => record.method !== 'GET' && !record.path.includes('/api/oauth/'));
    expect(writes).toEqual([]);
  }, 120_000);
});
