import { provisionOrganizations } from '../../src/emulator/provision';
import { VendorEmulator } from '../../src/emulator/server';
import type { EmulatedOrganizationSpec } from '../../src/emulator/vendors';
import { ATLAS } from '../../src/core/facts/atlas';
import { OPENAI } from '../../src/core/facts/openai';
import { createAtlasHttpClient, type AtlasCredentials } from '../../src/vendors/atlas/client';
import { AtlasOrganizationKeysApi } from '../../src/vendors/atlas/organization-keys';
import { createEdgeImpulseHttpClient } from '../../src/vendors/edgeimpulse/client';
import { EdgeImpulseOrganizationKeysApi } from '../../src/vendors/edgeimpulse/organization-keys';
import { OpenAiAdminKeysApi } from '../../src/vendors/openai/admin-keys';
import { createOpenAiHttpClient } from '../../src/vendors/openai/client';
import { OpenAiServiceAccountsApi } from '../../src/vendors/openai/service-accounts';
import { OpenAiProjectKeysApi } from '../../src/vendors/openai/project-keys';
import { rawCall } from '../support/raw-http';

/**
 * The benchmark's shape: 100 organizations of each vendor in one emulator,
 * provisioned from one list of specs, each listed with its own credentials by the
 * real adapters. Each organization sees exactly its own keys, and listing
 * costs Σ ceil(keys / page size) requests, page sizes from the facts.
 */
const ORGS = 100;
const ATLAS_PAGE = 4; // small, so that many organizations need more than one page
const name = (vendor: string, index: number) => `${vendor}${index}`;
const hexId = (index: number) => `${'6'.repeat(16)}${index.toString(16).padStart(8, '0')}`;
/** 0 to 4 extra keys per organization, by index: different counts, so a mix-up shows. */
const extraKeys = (index: number) => index % 5;
const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** 100 organizations per vendor, each with credentials under variables of its own. */
function organizations(): EmulatedOrganizationSpec[] {
  return Array.from({ length: ORGS }, (_, index): EmulatedOrganizationSpec[] => [
    { vendor: 'openai', name: name('oa', index), credentialEnv: { admin_key: `OA${index}_OPENAI_ADMIN_KEY` }, projectIds: [`proj_org${index}`] },
    { vendor: 'edgeimpulse', name: name('ei', index), organizationId: 1000 + index, credentialEnv: { api_key: `EI${index}_EI_API_KEY` } },
    {
      vendor: 'atlas', name: name('at', index), organizationId: hexId(index),
      credentialEnv: index % 2 === 0
        ? { public_key: `AT${index}_ATLAS_PUBLIC_KEY`, private_key: `AT${index}_ATLAS_PRIVATE_KEY` }
        : { client_id: `AT${index}_ATLAS_CLIENT_ID`, client_secret: `AT${index}_ATLAS_CLIENT_SECRET` },
    },
  ]).flat();
}

let emulator: VendorEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await VendorEmulator.start();
  env = provisionOrganizations(emulator, organizations());
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.requests.length = 0;
});

const fastRetry = { maxRetries: 0 };

describe('provisioning 100 organizations per vendor from specs', () => {
  test('every organization gets its own credentials under the names its spec chose', () => {
    const values = (prefix: string, suffix: string) => Array.from({ length: ORGS }, (_, index) => env[`${prefix}${index}_${suffix}`]);
    for (const [prefix, suffix] of [['OA', 'OPENAI_ADMIN_KEY'], ['EI', 'EI_API_KEY']] as const) {
      const found = values(prefix, suffix);
      expect(found.every((value) => typeof value === 'string' && value.length > 20)).toBe(true);
      expect(new Set(found).size).toBe(ORGS);
    }
    expect(emulator.openai.organizations.size).toBe(ORGS);
    expect(emulator.edgeimpulse.organizations.size).toBe(ORGS + 1); // and the default organization 1
    expect(emulator.atlas.organizations.length).toBe(ORGS + 2); // and the two the emulator starts with
    expect(env.OPENAI_BASE_URL).toBe(emulator.describe().vendors.openai.baseUrl);
  });

  test('provisioning the same specs again reuses the organizations', () => {
    const again = provisionOrganizations(emulator, organizations());
    expect(again).toEqual(env);
    expect(emulator.openai.organizations.size).toBe(ORGS);
  });
});

describe('OpenAI: the admin key names the organization', () => {
  const api = (index: number) => {
    const http = createOpenAiHttpClient({ adminKey: env[`OA${index}_OPENAI_ADMIN_KEY`], baseUrl: env.OPENAI_BASE_URL, adminKeySource: 'test', retry: fastRetry });
    return { adminKeys: new OpenAiAdminKeysApi(http), projectKeys: new OpenAiProjectKeysApi(http, new OpenAiServiceAccountsApi(http)) };
  };

  test('each organization lists only its own admin keys, in Σ ceil(keys/page) requests', async () => {
    const expected = new Map<number, string[]>();
    for (let index = 0; index < ORGS; index++) {
      const organization = emulator.openai.organizationOf(env[`OA${index}_OPENAI_ADMIN_KEY`])!;
      // One organization needs more than one page.
      const count = index === 7 ? OPENAI.limits.maxPageSize + 1 : extraKeys(index);
      for (let key = 0; key < count; key++) organization.addAdminKey(`oa${index}-key${key}`);
      expected.set(index, organization.adminKeys.all().map((key) => key.id));
    }
    let minimum = 0;
    for (let index = 0; index < ORGS; index++) {
      const listed = await api(index).adminKeys.list();
      expect(listed.map((key) => key.id)).toEqual(expected.get(index));
      expect(listed.filter((key) => key.name !== 'emulator bootstrap admin key').every((key) => key.name?.startsWith(`oa${index}-`))).toBe(true);
      minimum += ceilDiv(expected.get(index)!.length, OPENAI.limits.maxPageSize);
    }
    expect(minimum).toBe(ORGS + 1);
    expect(emulator.requestsTo('openai', 'GET', '/organization/admin_api_keys')).toHaveLength(minimum);
  });

  test('a key created in one organization is not in another, and another organization\'s project is a 404', async () => {
    const created = await api(3).adminKeys.create({ name: 'only-in-3' });
    expect((await api(3).adminKeys.list()).map((key) => key.id)).toContain(created.id);
    expect((await api(4).adminKeys.list()).map((key) => key.id)).not.toContain(created.id);
    expect(await api(4).adminKeys.delete(created.id)).toBe(false); // not found there
    expect(emulator.openai.organizationOf(env.OA3_OPENAI_ADMIN_KEY)!.adminKeys.get(created.id)).toBeDefined();

    expect(await api(5).projectKeys.list('proj_org5')).toEqual([]);
    await expect(api(6).projectKeys.list('proj_org5')).rejects.toThrow(/proj_org5/);
  });

  test('addOrganization returns an organization reached with its own admin key', async () => {
    const organization = emulator.openai.addOrganization({ name: 'programmatic' });
    expect(organization.bootstrapAdminKey.startsWith(OPENAI.keyPrefixes.admin)).toBe(true);
    expect(organization.id.startsWith(OPENAI.idPrefixes.organization)).toBe(true);
    const http = createOpenAiHttpClient({ adminKey: organization.bootstrapAdminKey, baseUrl: env.OPENAI_BASE_URL, adminKeySource: 'test', retry: fastRetry });
    expect((await new OpenAiAdminKeysApi(http).list()).map((key) => key.id)).toEqual(organization.adminKeys.all().map((key) => key.id));
    expect(() => emulator.openai.addOrganization({ adminKey: organization.bootstrapAdminKey })).toThrow(/already belongs/);
  });
});

describe('Edge Impulse: organizations by id, each with its own API keys', () => {
  const api = (index: number) => new EdgeImpulseOrganizationKeysApi(createEdgeImpulseHttpClient({
    apiKey: env[`EI${index}_EI_API_KEY`], baseUrl: env.EDGEIMPULSE_BASE_URL, apiKeySource: 'test', retry: fastRetry,
  }));

  test('each organization lists only its own keys, one request each (the listing is not paged)', async () => {
    for (let index = 0; index < ORGS; index++) {
      for (let key = 0; key < extraKeys(index); key++) emulator.edgeimpulse.addKey(1000 + index, { name: `ei${index}-key${key}` });
    }
    for (let index = 0; index < ORGS; index++) {
      const listed = await api(index).list(1000 + index);
      expect(listed.map((key) => key.id)).toEqual(emulator.edgeimpulse.keys(1000 + index).map((key) => key.id));
      expect(listed).toHaveLength(1 + extraKeys(index));
      expect(listed.filter((key) => key.name !== 'emulator bootstrap admin key').every((key) => key.name.startsWith(`ei${index}-`))).toBe(true);
    }
    expect(emulator.requestsTo('edgeimpulse', 'GET')).toHaveLength(ORGS);
  });

  test('a key of one organization cannot list another', async () => {
    await expect(api(1).list(1002)).rejects.toThrow(/organization 1002/);
  });
});

describe('Atlas: organizations by id, digest or OAuth credentials each', () => {
  const credentials = (index: number): AtlasCredentials => (index % 2 === 0
    ? { kind: 'api-key', publicKey: env[`AT${index}_ATLAS_PUBLIC_KEY`], privateKey: env[`AT${index}_ATLAS_PRIVATE_KEY`], source: 'test' }
    : { kind: 'service-account', clientId: env[`AT${index}_ATLAS_CLIENT_ID`], clientSecret: env[`AT${index}_ATLAS_CLIENT_SECRET`], source: 'test' });
  const api = (index: number, pageSize?: number) => new AtlasOrganizationKeysApi(
    createAtlasHttpClient({ baseUrl: env.MONGODB_ATLAS_BASE_URL, apiVersion: 'v2', credentials: credentials(index), retry: fastRetry }),
    { apiVersion: 'v2', pageSize },
  );

  test('each organization lists only its own keys, in Σ ceil(keys/page) requests', async () => {
    let minimum = 0;
    for (let index = 0; index < ORGS; index++) {
      for (let key = 0; key < extraKeys(index) * 2; key++) emulator.atlas.addKey(hexId(index), { desc: `at${index}-key${key}`, roles: ['ORG_MEMBER'] });
    }
    for (let index = 0; index < ORGS; index++) {
      const stored = emulator.atlas.organization(hexId(index))!.keys.all();
      const listed = await api(index, ATLAS_PAGE).list(hexId(index));
      expect(listed.map((key) => key.id)).toEqual(stored.map((key) => key.id));
      expect(listed.filter((key) => key.desc !== 'emulator bootstrap key').every((key) => key.desc?.startsWith(`at${index}-`))).toBe(true);
      minimum += ceilDiv(stored.length, ATLAS_PAGE);
    }
    expect(minimum).toBeGreaterThan(ORGS);
    expect(emulator.requestsTo('atlas', 'GET', '/apiKeys').filter((record) => record.status === 200)).toHaveLength(minimum);
  });

  test('the default page size is the facts\' maximum', async () => {
    await api(0).list(hexId(0));
    const [listing] = emulator.requestsTo('atlas', 'GET', '/apiKeys').filter((record) => record.status === 200);
    expect(new URLSearchParams(listing.query).get('itemsPerPage')).toBe(String(ATLAS.limits.maxPageSize));
  });

  test('a credential of one organization cannot read another', async () => {
    await expect(api(2).list(hexId(3))).rejects.toThrow(/not authorized/i);
    await expect(api(3).list(hexId(2))).rejects.toThrow(/not authorized/i);
  });
});

describe('the control API makes organizations too (for an emulator in another process)', () => {
  const control = (path: string) => `${emulator.describe().control}${path}`;

  test('OpenAI: POST /_emulator/openai/organizations answers an admin key of a new, empty organization', async () => {
    const made = await rawCall('POST', control('/openai/organizations'), { json: { name: 'via control' } });
    expect(made.status).toBe(201);
    const listed = await rawCall('GET', `${env.OPENAI_BASE_URL}/organization/admin_api_keys`, { bearer: made.body.adminKey });
    expect(listed.body.data.map((key: { name: string }) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect((await rawCall('GET', `${env.OPENAI_BASE_URL}/organization/projects/${made.body.defaultProjectId}`, { bearer: made.body.adminKey })).status).toBe(200);
    expect((await rawCall('GET', `${env.OPENAI_BASE_URL}/organization/projects/${made.body.defaultProjectId}`, { bearer: env.OA0_OPENAI_ADMIN_KEY })).status).toBe(404);
    expect((await rawCall('POST', control('/openai/organizations'), { json: { adminKey: made.body.adminKey } })).status).toBe(400);
    const all = await rawCall('GET', control('/openai/organizations'));
    expect(all.body.map((found: { id: string }) => found.id)).toContain(made.body.id);
  });

  test('Atlas: POST /_emulator/atlas/orgs answers the new organization\'s digest and OAuth credentials', async () => {
    const id = hexId(4242);
    const made = await rawCall('POST', control('/atlas/orgs'), { json: { name: 'via control', id } });
    expect(made.status).toBe(201);
    expect(made.body.id).toBe(id);
    for (const credentials of [
      { kind: 'api-key', publicKey: made.body.publicKey, privateKey: made.body.privateKey, source: 'test' },
      { kind: 'service-account', clientId: made.body.clientId, clientSecret: made.body.clientSecret, source: 'test' },
    ] as const) {
      const keys = new AtlasOrganizationKeysApi(createAtlasHttpClient({ baseUrl: env.MONGODB_ATLAS_BASE_URL, apiVersion: 'v2', credentials, retry: fastRetry }), { apiVersion: 'v2' });
      expect((await keys.list(id)).map((key) => key.desc)).toEqual(['emulator bootstrap key']);
    }
    expect((await rawCall('POST', control('/atlas/orgs'), { json: { id } })).status).toBe(400);
  });

  test('Edge Impulse: POST /_emulator/edgeimpulse/organizations answers the new organization\'s API key', async () => {
    const made = await rawCall('POST', control('/edgeimpulse/organizations'), { json: { id: 77_777 } });
    expect(made.status).toBe(201);
    const keys = new EdgeImpulseOrganizationKeysApi(createEdgeImpulseHttpClient({ apiKey: made.body.apiKey, baseUrl: env.EDGEIMPULSE_BASE_URL, apiKeySource: 'test', retry: fastRetry }));
    expect((await keys.list(77_777)).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
  });
});
