import { tmpdir } from 'node:os';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ApikeysProvider } from '../../../lib/bindings/provider';
import { AtlasOrganization } from '../../../lib/constructs/atlas/organization';
import { STACK_PROVIDER_ID, stackProvider } from '../../../lib/constructs/connection';
import { EdgeImpulseOrganization } from '../../../lib/constructs/edgeimpulse/organization';
import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import { PropsValidationError } from '../../../lib/constructs/validation';
import { connectionOf, synthesisProblems, synthStack, thrown, type SynthJson } from '../../support/lib';

const ATLAS_ORG = '5980cfc70b6d97029d82e3f6';

/** Two organizations of each vendor, each with keys and the default undeclared-keys listing. */
function sixOrganizations(stack: Construct): void {
  for (const name of ['acme', 'globex']) {
    const prefix = name.toUpperCase();
    new OpenAiOrganization(stack, `${name}-openai`, {
      adminKeyEnv: `${prefix}_OPENAI_ADMIN_KEY`, adminKeys: [{ name: 'ci' }], projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc' }] }],
    });
    new EdgeImpulseOrganization(stack, `${name}-edge`, { organizationId: name === 'acme' ? 1 : 2, apiKeyEnv: `${prefix}_EI_API_KEY`, keys: [{ name: 'ci', role: 'admin' }] });
    new AtlasOrganization(stack, `${name}-atlas`, {
      organizationId: ATLAS_ORG, auth: { clientIdEnv: `${prefix}_ATLAS_CLIENT_ID`, clientSecretEnv: `${prefix}_ATLAS_CLIENT_SECRET` },
      keys: [{ name: 'ci', roles: ['ORG_READ_ONLY'] }],
    });
  }
}

/** Every resource and data source of the synthesized stack, with its type and address. */
const elements = (json: SynthJson): [string, Record<string, unknown>][] => [
  ...Object.entries(json.resource ?? {}), ...Object.entries(json.data ?? {}),
].flatMap(([type, byName]) => Object.entries(byName as Record<string, Record<string, unknown>>).map(([name, body]) => [`${type}.${name}`, body] as [string, Record<string, unknown>]));

describe('one provider configuration per stack, one named connection per organization', () => {
  test('two organizations of each vendor synthesize one provider block with six connection blocks, and every element names its connection', () => {
    const json = synthStack(sixOrganizations);
    expect(json.provider.apikeys).toEqual([{
      openai_connection: {
        'acme-openai': { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }, 'globex-openai': { admin_key_env: 'GLOBEX_OPENAI_ADMIN_KEY' },
      },
      edgeimpulse_connection: {
        'acme-edge': { api_key_env: 'ACME_EI_API_KEY' }, 'globex-edge': { api_key_env: 'GLOBEX_EI_API_KEY' },
      },
      atlas_connection: {
        'acme-atlas': { client_id_env: 'ACME_ATLAS_CLIENT_ID', client_secret_env: 'ACME_ATLAS_CLIENT_SECRET' },
        'globex-atlas': { client_id_env: 'GLOBEX_ATLAS_CLIENT_ID', client_secret_env: 'GLOBEX_ATLAS_CLIENT_SECRET' },
      },
    }]);
    const all = elements(json);
    // Per company: 2 OpenAI keys (admin, project), 1 Edge Impulse key, 1 Atlas key and 4 listings (admin keys, project keys, Edge Impulse, Atlas).
    expect(all).toHaveLength(16);
    for (const [address, body] of all) {
      const organization = /\.((acme|globex)-(openai|edge|atlas))_/.exec(address)![1];
      expect({ address, provider: body.provider, connection: connectionOf(body) }).toEqual({ address, provider: 'apikeys', connection: organization });
    }
    // Addresses stay what they were with one provider alias per organization, so existing state keeps matching.
    expect(Object.keys(json.resource.apikeys_openai_admin_key).sort()).toEqual(['acme-openai_ci', 'globex-openai_ci']);
    expect(Object.keys(json.resource.apikeys_openai_project_key).sort()).toEqual(['acme-openai_proj_abc_svc', 'globex-openai_proj_abc_svc']);
    expect(Object.keys(json.output).sort()).toEqual([
      'acme-atlas_secrets', 'acme-edge_secrets', 'acme-openai_secrets', 'globex-atlas_secrets', 'globex-edge_secrets', 'globex-openai_secrets',
    ]);
  });

  test('each listing lists with its organization\'s connection', () => {
    const json = synthStack(sixOrganizations);
    const listings = Object.values(json.data.apikeys_organization_keys) as Record<string, unknown>[];
    expect(listings.map((listing) => `${connectionOf(listing)} ${listing.family}`).sort()).toEqual([
      'acme-atlas atlas_organization_key', 'acme-edge edgeimpulse_organization_key', 'acme-openai openai_admin_key', 'acme-openai openai_project_key',
      'globex-atlas atlas_organization_key', 'globex-edge edgeimpulse_organization_key', 'globex-openai openai_admin_key', 'globex-openai openai_project_key',
    ]);
  });

  test('the connection is named after the construct id as a Terraform name, like the addresses', () => {
    const json = synthStack((stack) => new OpenAiOrganization(stack, 'Research team', { adminKeys: [{ name: 'ci' }] }));
    expect(json.provider.apikeys).toEqual([{ openai_connection: { Research_team: {} } }]);
    expect(connectionOf(json.resource.apikeys_openai_admin_key.Research_team_ci)).toBe('Research_team');
  });

  test('an explicit, aliased provider gets the connection, and the resources use both', () => {
    const json = synthStack((stack) => {
      const shared = new ApikeysProvider(stack, 'eu', { alias: 'eu', requestTimeoutSeconds: 10 });
      new OpenAiOrganization(stack, 'acme', { adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'ci' }], provider: shared });
      new EdgeImpulseOrganization(stack, 'edge', { organizationId: 1, apiKeyEnv: 'EDGE_EI_API_KEY', provider: shared });
      new AtlasOrganization(stack, 'us-atlas', { organizationId: ATLAS_ORG });
    });
    expect(json.provider.apikeys).toEqual(expect.arrayContaining([
      { alias: 'eu', request_timeout_seconds: 10, openai_connection: { acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' } }, edgeimpulse_connection: { edge: { api_key_env: 'EDGE_EI_API_KEY' } } },
      { atlas_connection: { 'us-atlas': {} } },
    ]));
    expect(json.provider.apikeys).toHaveLength(2);
    expect(json.resource.apikeys_openai_admin_key.acme_ci).toMatchObject({ provider: 'apikeys.eu' });
    expect(connectionOf(json.resource.apikeys_openai_admin_key.acme_ci)).toBe('acme');
    const listings = Object.values(json.data.apikeys_organization_keys) as Record<string, unknown>[];
    expect(listings.map((listing) => `${listing.provider} ${connectionOf(listing)}`).sort()).toEqual(['apikeys us-atlas', 'apikeys.eu acme', 'apikeys.eu edge']);
  });

  test('a default provider the stack already has is the one organizations share, whatever its id', () => {
    for (const id of [STACK_PROVIDER_ID, 'my-provider']) {
      const json = synthStack((stack) => {
        new ApikeysProvider(stack, id, { maxRetries: 2 });
        new OpenAiOrganization(stack, 'acme', { adminKeys: [{ name: 'ci' }] });
      });
      expect(json.provider.apikeys).toEqual([{ max_retries: 2, openai_connection: { acme: {} } }]);
    }
  });

  test('stackProvider finds or creates the stack\'s one default provider, from any scope in the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const nested = new Construct(new Construct(stack, 'a'), 'b');
    const provider = stackProvider(nested);
    expect(provider.node.id).toBe(STACK_PROVIDER_ID);
    expect(provider.node.scope).toBe(stack);
    expect(stackProvider(stack)).toBe(provider);
    expect(new OpenAiOrganization(nested, 'acme').provider).toBe(provider);
    // An aliased provider is never the default one.
    const other = new TerraformStack(Testing.app(), 'other');
    const aliased = new ApikeysProvider(other, STACK_PROVIDER_ID, { alias: 'eu' });
    const fallback = stackProvider(new Construct(other, 'x'));
    expect(fallback).not.toBe(aliased);
    expect(fallback.alias).toBeUndefined();
    expect(stackProvider(other)).toBe(fallback);
  });

  test('two organizations of one vendor with the same id in one stack are an error naming both', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new EdgeImpulseOrganization(new Construct(stack, 'team-a'), 'acme', { organizationId: 1, apiKeyEnv: 'A_EI_API_KEY' });
    new EdgeImpulseOrganization(new Construct(stack, 'team-b'), 'acme', { organizationId: 2, apiKeyEnv: 'B_EI_API_KEY' });
    // Other vendors have their own connection blocks: the same id is fine there, with outputs that do not share a name.
    new OpenAiOrganization(new Construct(stack, 'team-c'), 'acme', { outputs: 'key' });
    new AtlasOrganization(new Construct(stack, 'team-d'), 'acme', { organizationId: ATLAS_ORG });
    const error = synthesisProblems(stack);
    expect(error.message).toMatch(/^The app has 3 problems:/);
    const secretsClash = 'its secrets output would synthesize output acme_secrets, which test/team-a/acme (its secrets output) already declares; ' +
      'one of them would be silently dropped, so rename one of the keys or organizations.';
    expect(error.problems).toEqual([
      'EdgeImpulseOrganization "acme" (test/team-b/acme): its connection would synthesize edgeimpulse_connection "acme" in provider apikeys, ' +
      'which test/team-a/acme (its connection) already declares; rename one of the organizations (their construct ids).',
      `EdgeImpulseOrganization "acme" (test/team-b/acme): ${secretsClash}`,
      `AtlasOrganization "acme" (test/team-d/acme): ${secretsClash}`,
    ]);
  });

  test('the same id on two different provider blocks is fine, with per-key outputs', () => {
    const json = synthStack((stack) => {
      new OpenAiOrganization(stack, 'acme', { adminKeyEnv: 'US_OPENAI_ADMIN_KEY', outputs: 'key' });
      new OpenAiOrganization(new Construct(stack, 'eu'), 'acme', { adminKeyEnv: 'EU_OPENAI_ADMIN_KEY', provider: new ApikeysProvider(stack, 'eu-provider', { alias: 'eu' }), outputs: 'key' });
    });
    expect(json.provider.apikeys).toHaveLength(2);
  });

  test('a connection added to the provider by hand is not overwritten', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    stackProvider(stack).addAtlasConnection('acme', { publicKeyEnv: 'HAND_ATLAS_PUBLIC_KEY', privateKeyEnv: 'HAND_ATLAS_PRIVATE_KEY' });
    new AtlasOrganization(stack, 'acme', { organizationId: ATLAS_ORG });
    expect(synthesisProblems(stack).problems).toEqual(['its connection would synthesize atlas_connection "acme" in provider apikeys, which that provider already has; give this organization another id.']);
  });

  test('a construct id too long for a connection label is reported with the other problems', () => {
    const id = `org-${'x'.repeat(70)}`;
    const error = thrown(PropsValidationError, () => synthStack((stack) => new OpenAiOrganization(stack, id, { adminKeys: [{ name: ' ' }] })));
    expect(error.problems).toEqual([
      'adminKeys[0].name must not be empty or only white space.',
      expect.stringMatching(/^the construct id "org-x+…" names the organization's provider connection, which must be at most 64 letters, digits, "_" and "-"; choose a shorter id\.$/),
    ]);
  });

  test('an organization with problems builds nothing: no connection, no resources, and synthesis fails', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const failed = new OpenAiOrganization(stack, 'acme', { adminKeys: [{ name: '' }, { name: 'ok' }] });
    expect(failed.node.children).toEqual([]);
    expect(stackProvider(stack).hasOpenaiConnection('acme')).toBe(false);
    expect(synthesisProblems(stack).problems).toEqual(['adminKeys[0].name must not be empty or only white space.']);
  });

  test('every construct\'s problems are reported at once, across stacks, each under its construct path', () => {
    const app = Testing.app();
    const first = new TerraformStack(app, 'first');
    new OpenAiOrganization(first, 'acme', { adminKeyEnv: 'GITHUB_TOKEN' });
    new EdgeImpulseOrganization(first, 'edge', { organizationId: 1, apiKeyEnv: 'EDGE_EI_API_KEY', keys: [{ name: 'k', role: 'owner' as never }] });
    const second = new TerraformStack(app, 'second');
    new OpenAiOrganization(second, 'other', { adminKeys: [{ name: ' ' }] });
    const error = thrown(PropsValidationError, () => app.synth());
    expect(error.message).toMatch(/^The app has 3 problems:/);
    expect(error.problems).toEqual([
      expect.stringMatching(/^OpenAiOrganization "acme" \(first\/acme\): adminKeyEnv names GITHUB_TOKEN/),
      expect.stringMatching(/^EdgeImpulseOrganization "edge" \(first\/edge\): keys\[0\]\.role /),
      'OpenAiOrganization "other" (second/other): adminKeys[0].name must not be empty or only white space.',
    ]);
  });

  test('with the app\'s validations off, problems throw at construction: a stack without the keys would revoke them', () => {
    const stack = new TerraformStack(new App({ skipValidation: true, outdir: tmpdir() }), 'test');
    const error = thrown(PropsValidationError, () => new OpenAiOrganization(stack, 'acme', { adminKeys: [{ name: '' }] }));
    expect(error.problems).toEqual(['adminKeys[0].name must not be empty or only white space.']);
  });
});
