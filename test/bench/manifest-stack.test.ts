/**
 * The bench's manifest path declares what it claims: every placed key in a
 * manifest the loader accepts, the stack a pipeline would plan (one provider
 * block, a listing and a check per key list, the secret outputs), with the
 * pipeline's own credential ignored so that a plan of the deployed keys is clean.
 */
import { parseManifest } from '../../lib/manifest/loader';
import { placeKeys, type OrganizationConnection } from '../../bench/layout';
import { baseUrlEnv, manifestYaml, synthesizeManifest } from '../../bench/manifest-stack';

const org = (vendor: OrganizationConnection['vendor'], index: number): OrganizationConnection => ({
  vendor, label: `${vendor}_${index}`, baseUrl: `http://127.0.0.1:1/${vendor}`,
  organizationId: { openai: `proj_bench${index}`, edgeimpulse: String(1001 + index), atlas: `5f1e2d3c4b5a69788796a5b${index}` }[vendor],
  settings: {
    openai: { admin_key_env: `BENCH${index}_OPENAI_ADMIN_KEY` },
    edgeimpulse: { api_key_env: `BENCH${index}_EI_API_KEY` },
    atlas: { public_key_env: `BENCH${index}_ATLAS_PUBLIC_KEY`, private_key_env: `BENCH${index}_ATLAS_PRIVATE_KEY` },
  }[vendor],
});
const ORGANIZATIONS = [0, 1].flatMap((index) => [org('openai', index), org('edgeimpulse', index), org('atlas', index)]);
const KEYS = placeKeys(40, ORGANIZATIONS);

type Stack = { provider: { apikeys: Record<string, Record<string, unknown>>[] }; resource: Record<string, Record<string, unknown>>; data: Record<string, Record<string, { ignore: string[] }>>; check: Record<string, unknown>; output: Record<string, { value: unknown; sensitive: boolean }> };
const synthesized = (outputs?: string): Stack => JSON.parse(synthesizeManifest(manifestYaml(KEYS, ORGANIZATIONS, outputs ? { outputs } : {})));

describe('the bench\'s manifest path', () => {
  test('the manifest is valid and declares every placed key in its organization', () => {
    const manifest = parseManifest(manifestYaml(KEYS, ORGANIZATIONS));
    expect(manifest.organizations.map((organization) => organization.name)).toEqual(ORGANIZATIONS.map((organization) => organization.label));
    const declared = JSON.stringify(manifest);
    for (const key of KEYS) expect(declared).toContain(`"${key.name}"`);
  });

  test('the stack holds every key on one provider block, a listing and a check per key list, and one secrets map per organization', () => {
    const stack = synthesized();
    expect(stack.provider.apikeys).toHaveLength(1);
    expect(Object.values(stack.resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0)).toBe(KEYS.length);
    // Per OpenAI organization: admin keys and its project's keys; one list each for Edge Impulse and Atlas.
    const listings = Object.values(stack.data.apikeys_organization_keys);
    expect(listings).toHaveLength(2 * (2 + 1 + 1));
    expect(Object.keys(stack.check)).toHaveLength(listings.length);
    for (const listing of listings) expect(listing.ignore).toEqual([expect.stringMatching(/^emulator bootstrap/)]);
    expect(Object.keys(stack.output).sort()).toEqual(ORGANIZATIONS.map((organization) => `${organization.label}_secrets`).sort());
    expect(Object.values(stack.output).every((output) => output.sensitive)).toBe(true);
  });

  test('outputs: key gives one sensitive output per key instead', () => {
    expect(Object.keys(synthesized('key').output)).toHaveLength(KEYS.length);
  });

  test('base URLs come from the environment, one variable per vendor', () => {
    expect(baseUrlEnv(ORGANIZATIONS)).toEqual({
      OPENAI_BASE_URL: 'http://127.0.0.1:1/openai', EDGEIMPULSE_BASE_URL: 'http://127.0.0.1:1/edgeimpulse', MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:1/atlas',
    });
  });
});
