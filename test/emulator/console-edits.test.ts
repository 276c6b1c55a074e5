import type { Manifest } from '../../lib/manifest/schema';
import { provisionForManifest } from '../../src/emulator/provision';
import { VendorEmulator } from '../../src/emulator/server';
import { consoleEdits } from '../../src/emulator/vendors';

/** The demo's console changes, as each family makes them: what changes in the emulator, and what the plan must show. */
const ATLAS_ORG = '5f1e2d3c4b5a69788796a5b4';
const MANIFEST: Manifest = {
  version: 1,
  organizations: [
    {
      name: 'acme-openai', vendor: 'openai', undeclaredKeys: 'off', adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY',
      adminKeys: [{ name: 'ci-deployer' }, { name: 'cost-reporting' }], projects: [{ id: 'proj_acmeProduction', keys: [{ name: 'checkout-service' }] }],
    },
    { name: 'acme-edge', vendor: 'edgeimpulse', undeclaredKeys: 'off', organizationId: 4242, apiKeyEnv: 'ACME_EI_API_KEY', keys: [{ name: 'ci-model-upload', role: 'member' }, { name: 'firmware-release', role: 'admin' }] },
    {
      name: 'acme-atlas', vendor: 'atlas', undeclaredKeys: 'off', organizationId: ATLAS_ORG,
      keys: [{ name: 'backup-operator', roles: ['ORG_READ_ONLY'] }, { name: 'billing-export', description: 'Billing export to the data warehouse', roles: ['ORG_BILLING_READ_ONLY'] }],
    },
  ],
};

let emulator: VendorEmulator;

beforeEach(async () => {
  emulator = await VendorEmulator.start();
  const env = provisionForManifest(emulator, MANIFEST);
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

test('each family changes its organization as a person in its console would, and says how the plan shows it', () => {
  const edits = MANIFEST.organizations.flatMap((org) => consoleEdits(emulator, org));
  expect(edits.map((edit) => edit.planShows.why)).toEqual(['the revoked keys', 'the undeclared key', 'the revoked keys', 'the Atlas description to restore in place']);

  expect(emulator.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key', 'ci-deployer']);
  const rogue = emulator.openai.projects.keys('proj_acmeProduction').all();
  expect(rogue.map((key) => key.id)).toEqual([edits[1].planShows.text]);
  expect(emulator.edgeimpulse.keys(4242).map((key) => key.name)).toEqual(['emulator bootstrap admin key', 'ci-model-upload']);
  expect(emulator.atlas.organization(ATLAS_ORG)!.keys.all().map((key) => key.desc)).toEqual(['emulator bootstrap key', 'backup-operator', 'billing-export (edited in console)']);
  expect(edits.map((edit) => edit.said).join('\n')).toContain('"cost-reporting"');

  for (const edit of edits) edit.revokeUndeclared?.();
  expect(emulator.openai.projects.keys('proj_acmeProduction').all()).toEqual([]);
});

test('an organization whose declared keys are not there gets no edit', () => {
  emulator.edgeimpulse.revokeKey(4242, emulator.edgeimpulse.keys(4242).find((key) => key.name === 'firmware-release')!.id);
  expect(consoleEdits(emulator, MANIFEST.organizations[1])).toEqual([]);
});
