/**
 * The bench harness (npm run bench) measures what it claims: its key layout,
 * its Terraform JSON, its listing arithmetic, and, driving the real terraform
 * binary on a small layout (plain resources and the manifest path), resource
 * counts, listing requests, provider processes and where the CPU went. No
 * timing is asserted: times depend on the machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../../src/emulator/server';
import { listingRequests, minimumListingRequests } from '../../bench/fleet';
import { FAMILIES, placeKeys, terraformDataJson, terraformJson, type OrganizationConnection } from '../../bench/layout';
import { ProviderProcessMonitor } from '../../bench/provider-processes';
import { Scenario, runScenario } from '../../bench/scenario';

const org = (vendor: OrganizationConnection['vendor'], index: number): OrganizationConnection => ({
  vendor, label: `${vendor}_${index}`, baseUrl: `http://127.0.0.1:1/${vendor}`, organizationId: vendor === 'edgeimpulse' ? String(1001 + index) : `${vendor}-org-${index}`,
  settings: { base_url: `http://127.0.0.1:1/${vendor}` },
});
const orgs = (perVendor: number) => Array.from({ length: perVendor }, (_, index) => [org('openai', index), org('edgeimpulse', index), org('atlas', index)]).flat();

describe('key layout', () => {
  it('splits the keys evenly over the 4 families, and each family round-robin over its vendor\'s organizations', () => {
    const placed = placeKeys(1000, orgs(10));
    expect(placed).toHaveLength(1000);
    for (const family of FAMILIES) expect(placed.filter((key) => key.family === family)).toHaveLength(250);
    const perOrg = (label: string) => placed.filter((key) => key.organization.label === label).length;
    expect(perOrg('openai_3')).toBe(50); // admin keys and project keys
    expect(perOrg('edgeimpulse_9')).toBe(25);
    expect(perOrg('atlas_0')).toBe(25);
    expect(new Set(placed.map((key) => `${key.family}/${key.name}`)).size).toBe(1000);
  });

  it('writes one provider block with a connection per organization, or one aliased block per organization', () => {
    const organizations = orgs(2);
    const placed = placeKeys(8, organizations);
    const connections = terraformJson('connections', placed, organizations) as { provider: { apikeys: Record<string, Record<string, unknown>>[] }; resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(connections.provider.apikeys).toHaveLength(1);
    expect(Object.keys(connections.provider.apikeys[0].atlas_connection)).toEqual(['atlas_0', 'atlas_1']);
    expect(Object.values(connections.resource.apikeys_edgeimpulse_organization_key).map((resource) => resource.connection_name)).toEqual(['edgeimpulse_0', 'edgeimpulse_1']);

    const aliases = terraformJson('aliases', placed, organizations) as typeof connections;
    expect(aliases.provider.apikeys.map((block) => block.alias)).toEqual(organizations.map((organization) => organization.label));
    expect(aliases.provider.apikeys[1]).toEqual({ alias: 'edgeimpulse_0', edgeimpulse_base_url: 'http://127.0.0.1:1/edgeimpulse' });
    expect(Object.values(aliases.resource.apikeys_openai_project_key).map((resource) => resource.provider)).toEqual(['apikeys.openai_0', 'apikeys.openai_1']);
    expect(Object.keys((terraformDataJson(3) as { resource: { terraform_data: object } }).resource.terraform_data)).toHaveLength(3);
  });
});

describe('listing requests', () => {
  it('needs ceil(keys / page) pages per organization (per project for project keys); Edge Impulse lists in one answer', () => {
    // 250 keys per family in one organization: OpenAI 3 + 3 pages of 100, Edge Impulse 1, Atlas 1 page of 500.
    expect(minimumListingRequests(placeKeys(1000, orgs(1)))).toBe(8);
    // 25 per organization and family: one page each, 4 families × 10 organizations.
    expect(minimumListingRequests(placeKeys(1000, orgs(10)))).toBe(40);
  });

  it('counts GETs of key collections the vendor answered, not single keys or Digest challenges', () => {
    const record = (method: string, path: string, status: RequestRecord['status'] = 200): RequestRecord => ({ vendor: 'x', method, path, query: '', status });
    const log = [
      record('GET', '/openai/v1/organization/admin_api_keys'),
      record('GET', '/openai/v1/organization/admin_api_keys/key_abc'),
      record('GET', '/openai/v1/organization/projects/proj_1/api_keys'),
      record('POST', '/openai/v1/organization/admin_api_keys'),
      record('GET', '/edgeimpulse/v1/api/organizations/1001/apikeys'),
      record('GET', '/atlas/api/atlas/v2/orgs/abc/apiKeys', 401),
      record('GET', '/atlas/api/atlas/v2/orgs/abc/apiKeys'),
    ];
    expect(listingRequests(log)).toHaveLength(4);
  });
});

describe('provider process monitor', () => {
  const lingering = (cwd: string) => new Promise<void>((resolve) => {
    // A process whose command line names the provider, alive for 600 ms, holding ~30 MB.
    const child = spawn(process.execPath, ['-e', 'const held = Buffer.alloc(30e6, 1); setTimeout(() => held.length, 600)', 'terraform-provider-apikeys'], { cwd, stdio: 'ignore' });
    child.once('exit', () => resolve());
  });

  it('sees the provider processes started in its working directory, and only those', async () => {
    const [ours, theirs] = [mkdtempSync(join(tmpdir(), 'bench-ours-')), mkdtempSync(join(tmpdir(), 'bench-theirs-'))].map((dir) => realpathSync(dir));
    try {
      const monitor = await ProviderProcessMonitor.start(ours);
      await Promise.all([lingering(ours), lingering(ours), lingering(theirs)]);
      const figures = await monitor.stop();
      expect(figures.started).toBe(2);
      expect(figures.maxAlive).toBe(2);
      expect(figures.peakProcessRssMb).toBeGreaterThan(30);
      expect(figures.peakTotalRssMb).toBeGreaterThan(60);
    } finally {
      for (const dir of [ours, theirs]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('with terraform (quick layout)', () => {
  // Every plan is `plan -detailed-exitcode` expecting exit 0: a scenario that leaves anything to change fails here.
  const KEYS = 20;
  const styles = ['connections', 'aliases'] as const;

  it('creates and refreshes the terraform_data baseline', async () => {
    const figures = await runScenario(Scenario.terraformData(KEYS), 1);
    expect(figures.resources).toBe(KEYS);
    expect(figures.processes.started).toBe(0);
    expect(Number.isFinite(figures.planMs) && figures.planMs > 0).toBe(true);
  });

  it.each(styles)('%s: creates every key, refreshes them with at least the minimum listings, and sees the provider processes', async (style) => {
    const figures = await runScenario(await Scenario.keys({ style, keys: KEYS, organizations: 2 }), 1);
    expect(figures.resources).toBe(KEYS);
    expect(figures.listingRequests).toBeGreaterThanOrEqual(figures.minimumListingRequests!);
    expect(figures.minimumListingRequests).toBe(4 * 2);
    // A schema process, then one per provider configuration: 6 with aliases (3 vendors × 2 organizations), 1 with connections.
    expect(figures.processes.started).toBeGreaterThanOrEqual(style === 'aliases' ? 7 : 2);
    expect(figures.processes.peakProcessRssMb).toBeGreaterThan(0);
    expect(figures.processes.peakTotalRssMb).toBeGreaterThanOrEqual(figures.processes.peakProcessRssMb * 0.5);
    expect(Number.isFinite(figures.planMs / figures.applyMs)).toBe(true);
  });

  it('manifest path: creates every key from the synthesized stack, and plans it with nothing to change (listings, checks, outputs)', async () => {
    const figures = await runScenario(await Scenario.manifest({ keys: KEYS, organizations: 2 }), 1);
    expect(figures.resources).toBe(KEYS);
    // The listings of the undeclared-key checks share the refresh's: each scope is read once, in full pages.
    expect(figures.listingRequests).toBe(figures.minimumListingRequests);
    expect(figures.minimumListingRequests).toBe(4 * 2);
    expect(figures.processes.started).toBeGreaterThanOrEqual(2);
    expect(figures.providerCpuMs).toBeGreaterThan(0);
    expect(figures.terraformCpuMs).toBeGreaterThan(0);
  });
});
