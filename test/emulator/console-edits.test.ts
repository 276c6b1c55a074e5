import { provisionOrganizations } from '../../src/emulator/provision';
import { VendorEmulator } from '../../src/emulator/server';
import { consoleEdits, type EmulatedOrganizationSpec } from '../../src/emulator/vendors';

/** The demo's console changes, as each family makes them: what changes in the emulator, and what the plan must show. */
const ATLAS_ORG = '5f1e2d3c4b5a69788796a5b4';
const ORGANIZATIONS: EmulatedOrganizationSpec[] = [
  { vendor: 'openai', name: 'acme-openai', credentialEnv: { admin_key: 'ACME_OPENAI_ADMIN_KEY' }, projectIds: ['proj_acmeProduction'] },
  { vendor: 'edgeimpulse', name: 'acme-edge', organizationId: 4242, credentialEnv: { api_key: 'ACME_EI_API_KEY' } },
  { vendor: 'atlas', name: 'acme-atlas', organizationId: ATLAS_ORG },
];

let emulator: VendorEmulator;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const env = provisionOrganizations(emulator, ORGANIZATIONS);
  // What a deploy would have made.
  const openai = emulator.openai.organizationOf(env.ACME_OPENAI_ADMIN_KEY)!;
  for (const name of ['ci-deployer', 'cost-reporting']) openai.addAdminKey(name);
  for (const name of ['ci-model-upload', 'firmware-release']) emulator.edgeimpulse.addKey(4242, { name });
  emulator.atlas.addKey(ATLAS_ORG, { desc: 'backup-operator', roles: ['ORG_READ_ONLY'] });
  emulator.atlas.addKey(ATLAS_ORG, { desc: 'Billing export to the data warehouse', roles: ['ORG_BILLING_READ_ONLY'] });
});

afterEach(async () => {
  await emulator.stop();
});

test('each family changes its organization as a person in its console would (the last key by name), and says how the plan shows it', () => {
  const edits = ORGANIZATIONS.flatMap((organization) => consoleEdits(emulator, organization));
  expect(edits.map((edit) => edit.planShows.why)).toEqual(['the revoked keys', 'the undeclared key', 'the revoked keys', 'the Atlas description to restore in place']);

  expect(emulator.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key', 'ci-deployer']);
  const rogue = emulator.openai.projects.keys('proj_acmeProduction').all();
  expect(rogue.map((key) => key.id)).toEqual([edits[1].planShows.text]);
  expect(emulator.edgeimpulse.keys(4242).map((key) => key.name)).toEqual(['emulator bootstrap admin key', 'ci-model-upload']);
  expect(emulator.atlas.organization(ATLAS_ORG)!.keys.all().map((key) => key.desc))
    .toEqual(['emulator bootstrap key', 'backup-operator', 'Billing export to the data warehouse (edited in console)']);
  expect(edits.map((edit) => edit.said).join('\n')).toContain('"cost-reporting"');
});

test('an organization that holds only the key the pipeline signs in with gets no edit', () => {
  for (const key of emulator.edgeimpulse.keys(4242).filter((found) => found.name !== 'emulator bootstrap admin key')) emulator.edgeimpulse.revokeKey(4242, key.id);
  expect(consoleEdits(emulator, ORGANIZATIONS[1])).toEqual([]);
  expect(emulator.edgeimpulse.keys(4242)).toHaveLength(1);
});
