/**
 * apikeys_organization_keys' read called directly (no terraform binary),
 * against the in-process emulator: every key family and its scope, the keys
 * no state tracks (managed_ids, declared_keys, ignore), the messages, named
 * connections, and refusals. The terraform suite next to this one covers the
 * same data source end to end; unmanaged-keys.test.ts the rules alone.
 */
import { ConfigurationError, UnknownConnectionError } from '../../../src/core/errors';
import { VendorEmulator } from '../../../src/emulator/server';
import { ProviderContext } from '../../../src/provider/context';
import type { CtyObject } from '../../../src/provider/cty/value';
import type { OrganizationKeysState } from '../../../src/provider/data-sources/organization-keys';
import { openAiAdminKeyResource } from '../../../src/provider/families/openai/admin-key';
import { Diagnostics } from '../../../src/provider/framework/diagnostics';
import { apiKeysProvider } from '../../../src/provider/provider';
import { findLeaks } from '../../support/leaks';

const [dataSource] = apiKeysProvider.dataSources;

let emulator: VendorEmulator;
let provider: ProviderContext;
let env: Record<string, string>;
let baseConfig: CtyObject;
/** Every secret the emulator holds: none may appear in what the data source returns. */
let secrets: () => string[];

const config = (values: Partial<OrganizationKeysState>): OrganizationKeysState => ({
  family: null, connection_name: null, organization_id: null, project_id: null, managed_ids: null, declared_keys: null, ignore: null,
  managed_names: null, label: null, keys: null, unmanaged_ids: null, unmanaged_keys: null, messages: null, ...values,
});

const read = (values: Partial<OrganizationKeysState>, context = provider) =>
  dataSource.read({ provider: context, diagnostics: new Diagnostics(), config: config(values) }) as Promise<OrganizationKeysState>;

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (error: Error) => error);
}

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const { openai, edgeimpulse, atlas } = emulator.describe().vendors;
  const acme = emulator.openai.addOrganization({ name: 'acme' });
  env = {
    APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
    OPENAI_ADMIN_KEY: String(openai.adminKey),
    ACME_OPENAI_ADMIN_KEY: acme.bootstrapAdminKey,
    EI_API_KEY: String(edgeimpulse.apiKey),
    MONGODB_ATLAS_CLIENT_ID: String(atlas.clientId),
    MONGODB_ATLAS_CLIENT_SECRET: String(atlas.clientSecret),
  };
  baseConfig = {
    openai_base_url: openai.baseUrl, edgeimpulse_base_url: edgeimpulse.baseUrl, atlas_base_url: atlas.baseUrl, max_retries: 0,
    openai_connection: { acme: { admin_key_env: 'ACME_OPENAI_ADMIN_KEY', admin_key: null, base_url: null } },
  };
  provider = new ProviderContext(baseConfig, env);
  secrets = () => [
    ...[...emulator.openai.organizations.values()].flatMap((organization) => [
      ...organization.adminKeys.all().map((key) => key.value), ...organization.projects.keys().all().map((key) => key.value),
    ]),
    ...[...emulator.edgeimpulse.defaultOrganization.keys.values()].map((key) => key.apiKey),
    ...emulator.atlas.organizations.flatMap((organization) => [...organization.keys.all().map((key) => key.privateKey), organization.serviceAccount.clientSecret]),
  ];
});

afterEach(async () => {
  provider.stop();
  await emulator.stop();
});

describe('every family, redacted, oldest first', () => {
  test('openai_admin_key: the organization\'s admin keys with owner, roles and RFC 3339 times; nothing judged without the judging arguments', async () => {
    const newer = emulator.openai.addAdminKey('newer', 3600);
    const older = emulator.openai.addAdminKey('older');
    older.created_at = newer.created_at - 100;
    older.last_used_at = newer.created_at - 50;
    const result = await read({ family: 'openai_admin_key' });
    expect(result.keys!.map((key) => key.name)).toEqual(['older', 'emulator bootstrap admin key', 'newer']);
    expect(result.keys![0]).toEqual({
      id: older.id, name: 'older', redacted_value: `${older.value.slice(0, 8)}...${older.value.slice(-3)}`,
      created_at: new Date(older.created_at * 1000).toISOString().replace('.000Z', 'Z'), last_used_at: new Date(older.last_used_at * 1000).toISOString().replace('.000Z', 'Z'),
      expires_at: null, owner: 'user: Emulator Owner', roles: ['owner'], public_key: null, credential: false,
    });
    // The key the connection authenticates with (the emulator's bootstrap admin key) is marked, by its redacted form.
    expect(result.keys!.filter((key) => key.credential).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(result.keys![2].expires_at).toBe(new Date((newer.created_at + 3600) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(result).toMatchObject({ unmanaged_ids: null, unmanaged_keys: null, messages: [] });
    expect(findLeaks(JSON.stringify(result), secrets())).toEqual([]);
  });

  test('openai_project_key: service-account keys named after their account, and user keys, of one project', async () => {
    const projectId = emulator.openai.projects.defaultProjectId;
    const { key } = emulator.openai.projects.createServiceAccount(projectId, 'svc-reporting');
    const userKey = emulator.openai.projects.addUserKey(projectId, { name: 'laptop', user: { email: 'dev@example.com' } });
    const result = await read({ family: 'openai_project_key', project_id: projectId });
    expect(result.keys!.map((listed) => [listed.id, listed.name, listed.owner, listed.expires_at])).toEqual([
      [key!.id, 'svc-reporting', 'service_account: svc-reporting', null],
      [userKey.id, 'laptop', 'user: dev@example.com', null],
    ]);
    expect(findLeaks(JSON.stringify(result), secrets())).toEqual([]);
  });

  test('edgeimpulse_organization_key: roles and expiry of one organization\'s keys', async () => {
    const organization = emulator.edgeimpulse.defaultOrganization.id;
    const key = emulator.edgeimpulse.addKey(organization, { name: 'dashboards', role: 'member', ttlSeconds: 3600 });
    const result = await read({ family: 'edgeimpulse_organization_key', organization_id: String(organization) });
    expect(result.keys!.find((listed) => listed.id === String(key.id))).toMatchObject({
      name: 'dashboards', roles: ['member'], redacted_value: `${key.apiKey.slice(0, 7)}…`, expires_at: new Date(key.created + 3_600_000).toISOString().replace('.000Z', 'Z'),
    });
    expect(findLeaks(JSON.stringify(result), secrets())).toEqual([]);
  });

  test('atlas_organization_key: this organization\'s roles only, the mask, a date from the id, the public key as owner', async () => {
    const organization = emulator.atlas.organizations[0].id;
    const key = emulator.atlas.addKey(organization, { desc: 'reporting', roles: ['ORG_READ_ONLY'], projectRoles: [{ groupId: 'b'.repeat(24), roleName: 'GROUP_OWNER' }] });
    const result = await read({ family: 'atlas_organization_key', organization_id: organization });
    expect(result.keys!.find((listed) => listed.id === key.id)).toEqual({
      id: key.id, name: 'reporting', redacted_value: `********-****-****-${key.privateKey.slice(-12)}`, roles: ['ORG_READ_ONLY'],
      created_at: new Date(Number.parseInt(key.id.slice(0, 8), 16) * 1000).toISOString().replace('.000Z', 'Z'), last_used_at: null, expires_at: null,
      owner: `public key: ${key.publicKey}`, public_key: key.publicKey, credential: false,
    });
    // A service account is no listed key; a digest credential is recognised by its public key.
    expect(result.keys!.filter((listed) => listed.credential)).toEqual([]);
    const { bootstrapKey } = emulator.atlas.organizations[0];
    const digest = new ProviderContext(baseConfig, { APIKEYS_ALLOWED_HOSTS: '127.0.0.1', MONGODB_ATLAS_PUBLIC_KEY: bootstrapKey.publicKey, MONGODB_ATLAS_PRIVATE_KEY: bootstrapKey.privateKey });
    const throughDigest = await read({ family: 'atlas_organization_key', organization_id: organization }, digest);
    expect(throughDigest.keys!.filter((listed) => listed.credential).map((listed) => listed.public_key)).toEqual([bootstrapKey.publicKey]);
    expect(findLeaks(JSON.stringify(result), secrets())).toEqual([]);
  });
});

describe('the keys no state tracks', () => {
  test('managed_ids: a tracked key is never reported, whatever its name; the others are, with the family\'s import id; the connection\'s own credential never', async () => {
    const tracked = emulator.openai.addAdminKey('renamed in console');
    const rogue = emulator.openai.addAdminKey('made-in-console');
    const stray = emulator.openai.addAdminKey('another');
    const result = await read({ family: 'openai_admin_key', managed_ids: [tracked.id] });
    expect(result.unmanaged_ids).toEqual([rogue.id, stray.id]);
    expect(result.unmanaged_keys).toEqual([
      { id: rogue.id, name: 'made-in-console', import_id: rogue.id, declared_as: [] },
      { id: stray.id, name: 'another', import_id: stray.id, declared_as: [] },
    ]);
    expect(result.messages).toEqual([
      `OpenAI organization (admin keys) has 2 keys not declared in this stack: ${rogue.id} ("made-in-console"), ${stray.id} ("another"). ` +
      'Declare them, revoke them, or list their ids or names in ignoreUndeclared.',
    ]);
  });

  test('ignore takes ids and names; managed_names (deprecated) still hides names', async () => {
    const rogue = emulator.openai.addAdminKey('made-in-console');
    const legacy = emulator.openai.addAdminKey('legacy');
    const byIgnore = await read({ family: 'openai_admin_key', ignore: ['emulator bootstrap admin key', rogue.id] });
    expect(byIgnore.unmanaged_ids).toEqual([legacy.id]);
    const byNames = await read({ family: 'openai_admin_key', managed_names: ['emulator bootstrap admin key', 'legacy'] });
    expect(byNames.unmanaged_ids).toEqual([rogue.id]);
    expect(byNames.messages).toEqual([`OpenAI organization (admin keys) has a key not declared in this stack: ${rogue.id} ("made-in-console"). Declare it, revoke it, or list its id or name in ignoreUndeclared.`]);
  });

  test('declared_keys: an untracked key with a declared name is a possible orphan, with the import command for that address', async () => {
    const organization = emulator.atlas.organizations[0].id;
    const orphan = emulator.atlas.addKey(organization, { desc: 'ci', roles: ['ORG_MEMBER'] });
    const result = await read({
      family: 'atlas_organization_key', organization_id: organization, managed_ids: [], declared_keys: { 'apikeys_atlas_organization_key.ci': 'ci' },
      ignore: ['emulator bootstrap key'], label: 'Organization acme',
    });
    expect(result.unmanaged_keys).toEqual([{ id: orphan.id, name: 'ci', import_id: `${organization}/${orphan.id}`, declared_as: ['apikeys_atlas_organization_key.ci'] }]);
    expect(result.messages).toHaveLength(1);
    expect(result.messages![0]).toMatch(new RegExp(`^Organization acme: key ${orphan.id} \\("ci"\\) has the name of declared key apikeys_atlas_organization_key\\.ci but no state tracks it`));
    expect(result.messages![0]).toContain(`terraform import apikeys_atlas_organization_key.ci ${organization}/${orphan.id}`);
  });

  test('import ids and the default label follow the family\'s scope', async () => {
    const projectId = emulator.openai.projects.defaultProjectId;
    const { key } = emulator.openai.projects.createServiceAccount(projectId, 'svc');
    const project = await read({ family: 'openai_project_key', project_id: projectId, managed_ids: [] });
    expect(project.unmanaged_keys).toEqual([{ id: key!.id, name: 'svc', import_id: `${projectId}/${key!.id}`, declared_as: [] }]);
    expect(project.messages![0]).toMatch(new RegExp(`^OpenAI project ${projectId} has a key not declared`));
    const edge = emulator.edgeimpulse.defaultOrganization.id;
    const made = emulator.edgeimpulse.addKey(edge, { name: 'made in studio', role: 'member' });
    const edgeResult = await read({ family: 'edgeimpulse_organization_key', organization_id: String(edge), managed_ids: [] });
    // Every key but the connection's own credential, each with <organization_id>/<id>.
    expect(edgeResult.unmanaged_keys!.map((listed) => listed.import_id)).toEqual([`${edge}/${made.id}`]);
    expect(edgeResult.keys!.filter((listed) => listed.credential).map((listed) => listed.name)).toEqual(['emulator bootstrap admin key']);
    expect(edgeResult.messages![0]).toMatch(new RegExp(`^Edge Impulse organization ${edge} has`));
  });
});

describe('named connections', () => {
  test('connection_name lists that connection\'s organization; import ids and the default label carry the label', async () => {
    const acme = emulator.openai.organizationOf(env.ACME_OPENAI_ADMIN_KEY)!;
    const mine = acme.addAdminKey('acme-only');
    const result = await read({ family: 'openai_admin_key', connection_name: 'acme', managed_ids: [] });
    expect(result.keys!.map((key) => key.name)).toEqual(['emulator bootstrap admin key', 'acme-only']);
    expect(result.unmanaged_keys!.map((key) => key.import_id)).toEqual([`acme:${mine.id}`]);
    expect(result.messages![0]).toMatch(/^OpenAI organization \(admin keys\) \(connection "acme"\) has a key not declared/);
    const defaultNames = (await read({ family: 'openai_admin_key' })).keys!.map((key) => key.name);
    expect(defaultNames).not.toContain('acme-only');
  });

  test('the data source shares the process\'s one listing per connection with the resources', async () => {
    const key = emulator.openai.addAdminKey('ci');
    const resourceRead = openAiAdminKeyResource.read({
      provider, diagnostics: new Diagnostics(), privateState: {},
      current: { id: key.id, connection_name: null, name: 'ci', expires_in_seconds: null, secret: null, redacted_value: null, created_at: null, expires_at: null, last_used_at: null },
    });
    await Promise.all([resourceRead, read({ family: 'openai_admin_key' }), read({ family: 'openai_admin_key', managed_ids: [key.id] })]);
    expect(emulator.requestsTo('openai', 'GET')).toHaveLength(1);
  });

  test('a label the provider block lacks is an UnknownConnectionError that lists the labels; nothing is sent', async () => {
    const error = await rejection(read({ family: 'openai_admin_key', connection_name: 'acmee' }));
    expect(error).toBeInstanceOf(UnknownConnectionError);
    expect((error as UnknownConnectionError).hint).toContain('Did you mean "acme"?');
    expect(emulator.requests).toEqual([]);
  });
});

describe('refusals and invalid arguments', () => {
  test('a refused credential names its variable and connection, once: the next listing through it says nothing more', async () => {
    const refused = new ProviderContext(baseConfig, { ...env, ACME_OPENAI_ADMIN_KEY: `sk-admin-${'x'.repeat(40)}` });
    const error = await rejection(read({ family: 'openai_admin_key', connection_name: 'acme' }, refused));
    expect(error.message).toMatch(/^OpenAI rejected the admin key in ACME_OPENAI_ADMIN_KEY \(connection "acme"\) with HTTP 401 .* when asked to list admin keys for the organization/);
    expect((error as ConfigurationError).hint).toContain('Fix or rotate the credential: ACME_OPENAI_ADMIN_KEY must hold a working admin key');
    const again = await read({ family: 'openai_admin_key', connection_name: 'acme', managed_ids: [] }, refused);
    expect(again).toMatchObject({ keys: [], unmanaged_ids: null, unmanaged_keys: null, messages: [] });
    // The default connection is another cause: it is still listed.
    expect((await read({ family: 'openai_admin_key' }, refused)).keys!.length).toBeGreaterThan(0);
  });

  test('a missing credential is a ConfigurationError before any request', async () => {
    const { EI_API_KEY: _unset, ...withoutEdge } = env;
    const error = await rejection(read({ family: 'edgeimpulse_organization_key', organization_id: '1' }, new ProviderContext(baseConfig, withoutEdge)));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('no Edge Impulse organization API key (ei_...) is configured');
    expect(emulator.requests).toEqual([]);
  });

  test('an unknown family and a malformed Edge Impulse organization id are refused before any request', async () => {
    const family = await rejection(read({ family: 'stripe_key' }));
    expect(family).toBeInstanceOf(ConfigurationError);
    expect(family.message).toBe('unknown key family "stripe_key"');
    expect((family as ConfigurationError).hint).toBe('Use one of openai_admin_key, openai_project_key, edgeimpulse_organization_key, atlas_organization_key.');
    for (const organization of ['acme', ' ', '1.5']) {
      const error = await rejection(read({ family: 'edgeimpulse_organization_key', organization_id: organization }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.message).toContain('is not an Edge Impulse organization id');
    }
    expect(emulator.requests).toEqual([]);
  });
});

describe('validateConfig', () => {
  const validate = (values: Partial<OrganizationKeysState>) => {
    const diagnostics = new Diagnostics();
    dataSource.validateConfig!(config(values), diagnostics);
    return diagnostics.items.map((item) => ({ summary: item.summary, path: item.path }));
  };

  test('each family\'s scope argument is required; declared_keys needs managed_ids', () => {
    expect(validate({ family: 'openai_project_key' })).toEqual([{ summary: 'Missing project_id', path: ['project_id'] }]);
    expect(validate({ family: 'edgeimpulse_organization_key' })).toEqual([{ summary: 'Missing organization_id', path: ['organization_id'] }]);
    expect(validate({ family: 'atlas_organization_key', organization_id: 'x' })).toEqual([]);
    expect(validate({ family: 'openai_admin_key' })).toEqual([]);
    expect(validate({ family: 'openai_admin_key', declared_keys: { 'apikeys_openai_admin_key.ci': 'ci' } })).toEqual([{ summary: 'Missing managed_ids', path: ['managed_ids'] }]);
    expect(validate({ family: 'openai_admin_key', declared_keys: { 'apikeys_openai_admin_key.ci': 'ci' }, managed_ids: [] })).toEqual([]);
  });

  test('the family is one of the registered listings', () => {
    const [validator] = dataSource.schema.attributes.family.validators!;
    expect(validator('openai_admin_key')).toBeUndefined();
    expect(validator('stripe_key')).toContain('must be one of "openai_admin_key"');
  });
});

test('an ignore entry that matches no listed key (by id or name) is a warning on ignore; one that matches is not', async () => {
  const console = emulator.openai.addAdminKey('made-in-console');
  const diagnostics = new Diagnostics();
  await dataSource.read({ provider, diagnostics, config: config({ family: 'openai_admin_key', ignore: ['made-in-console', console.id, 'break-glas'] }) });
  expect(diagnostics.items).toEqual([expect.objectContaining({
    summary: 'Ignored key not found',
    detail: expect.stringMatching(/^ignore lists "break-glas", which is the id or name of no key of .*: a typo, or a key revoked since\? Remove it from ignore/),
  })]);
});
