import { VendorEmulator, type RequestRecord } from '../src/emulator/server';
import { ATLAS } from '../src/core/facts/atlas';
import { OPENAI } from '../src/core/facts/openai';
import type { OrganizationConnection, PlacedKey } from './layout';

/**
 * The organizations a bench scenario talks to, on local emulators, with the
 * environment a run needs (credential variables named per organization, so
 * each connection reads its own). One emulator holds every organization of
 * every vendor, as the vendors do: each organization is reached with its own
 * credentials and lists only its own keys.
 */
export class EmulatorFleet {
  private constructor(
    readonly organizations: OrganizationConnection[],
    readonly env: Record<string, string>,
    private readonly emulators: VendorEmulator[],
  ) {}

  /** `perVendor` organizations of each vendor (OpenAI, Edge Impulse, Atlas). */
  static async start(perVendor: number): Promise<EmulatorFleet> {
    // Atlas throttles each organization (100 requests, then 10 a second): the bench measures
    // Terraform and the provider, not the vendor's rate limit, so the emulator does not throttle.
    const shared = await VendorEmulator.start({ atlas: { organizations: 0, rateLimit: { capacity: 1_000_000, refillAmount: 1_000_000 } } });
    const emulators = [shared];
    const organizations: OrganizationConnection[] = [];
    const env: Record<string, string> = { APIKEYS_ALLOWED_HOSTS: '127.0.0.1' };
    const vendors = shared.describe().vendors;
    for (let index = 0; index < perVendor; index++) {
      const openAi = shared.openai.addOrganization({ name: `Bench organization ${index}`, defaultProjectId: `proj_bench${index}` });
      env[`BENCH${index}_OPENAI_ADMIN_KEY`] = openAi.bootstrapAdminKey;
      organizations.push({
        vendor: 'openai', label: `openai_${index}`, baseUrl: vendors.openai.baseUrl, organizationId: openAi.projects.defaultProjectId,
        settings: { admin_key_env: `BENCH${index}_OPENAI_ADMIN_KEY`, base_url: vendors.openai.baseUrl },
      });

      const edgeImpulse = shared.edgeimpulse.addOrganization({ id: 1001 + index, name: `Bench organization ${index}` });
      env[`BENCH${index}_EI_API_KEY`] = edgeImpulse.bootstrapApiKey;
      organizations.push({
        vendor: 'edgeimpulse', label: `edgeimpulse_${index}`, baseUrl: vendors.edgeimpulse.baseUrl, organizationId: String(edgeImpulse.id),
        settings: { api_key_env: `BENCH${index}_EI_API_KEY`, base_url: vendors.edgeimpulse.baseUrl },
      });

      const atlas = shared.atlas.addOrganization(`Bench organization ${index}`);
      env[`BENCH${index}_ATLAS_PUBLIC_KEY`] = atlas.bootstrapKey.publicKey;
      env[`BENCH${index}_ATLAS_PRIVATE_KEY`] = atlas.bootstrapKey.privateKey;
      organizations.push({
        vendor: 'atlas', label: `atlas_${index}`, baseUrl: vendors.atlas.baseUrl, organizationId: atlas.id,
        settings: { public_key_env: `BENCH${index}_ATLAS_PUBLIC_KEY`, private_key_env: `BENCH${index}_ATLAS_PRIVATE_KEY`, base_url: vendors.atlas.baseUrl },
      });
    }
    return new EmulatorFleet(organizations, env, emulators);
  }

  /** Every request any emulator of the fleet logged (no headers or bodies: no secrets). */
  requests(): RequestRecord[] {
    return this.emulators.flatMap((emulator) => emulator.requests);
  }

  clearRequests(): void {
    for (const emulator of this.emulators) emulator.requests.length = 0;
  }

  async stop(): Promise<void> {
    await Promise.all(this.emulators.map((emulator) => emulator.stop()));
  }
}

/** A GET of a key collection (a listing page), as opposed to a GET of one key. */
const LISTING_PATH = /\/(admin_api_keys|api_keys|apikeys|apiKeys)$/;

/**
 * Listing requests in a request log: GETs of key collections that the
 * vendor answered (Atlas' HTTP Digest challenges, 401, are not pages).
 */
export function listingRequests(requests: RequestRecord[]): RequestRecord[] {
  return requests.filter((record) => record.method === 'GET' && LISTING_PATH.test(record.path) && record.status !== 401);
}

const OPENAI_PAGE_SIZE = OPENAI.limits.maxPageSize;

/** How many keys one listing page holds at most, per family (Edge Impulse lists every key in one answer). */
const PAGE_SIZE: Record<PlacedKey['family'], number> = {
  apikeys_openai_admin_key: OPENAI_PAGE_SIZE,
  apikeys_openai_project_key: OPENAI_PAGE_SIZE,
  apikeys_edgeimpulse_organization_key: Number.POSITIVE_INFINITY,
  apikeys_atlas_organization_key: ATLAS.limits.maxPageSize,
};

/**
 * The fewest listing requests a refresh of these keys can make: each listing
 * scope (an organization; for project keys, a project) read once, in full
 * pages: Σ max(1, ceil(keys / page size)) over the scopes that hold keys.
 */
export function minimumListingRequests(keys: PlacedKey[]): number {
  const perScope = new Map<string, { family: PlacedKey['family']; count: number }>();
  for (const key of keys) {
    const scope = `${key.family}:${key.organization.label}`;
    const entry = perScope.get(scope) ?? { family: key.family, count: 0 };
    entry.count++;
    perScope.set(scope, entry);
  }
  let minimum = 0;
  for (const { family, count } of perScope.values()) minimum += Math.max(1, Math.ceil(count / PAGE_SIZE[family]));
  return minimum;
}
