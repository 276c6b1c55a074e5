/**
 * The product path with every key family in one stack: a YAML manifest with
 * several organizations of several vendors → the cdktf app (src/app/main.ts)
 * → `cdktf deploy` → terraform → the provider (one connection per organization,
 * credentials from the environment variables the manifest names) → the
 * emulator; and the leak check over everything that path prints or writes.
 */
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../lib/manifest/loader';
import { PROVIDER_PLUGINS_DIR } from '../../src/cli/paths';
import { provisionForManifest } from '../../src/cli/emulated-organizations';
import { VendorEmulator } from '../../src/emulator/server';
import { CdktfProject } from '../support/cdktf';
import { findLeaks } from '../support/leaks';
import { expectExit } from '../../harness/terraform';

const ATLAS_DIGEST_ORG = '5f1e2d3c4b5a69788796a5b4';
const ATLAS_OAUTH_ORG = '6a2b3c4d5e6f708192a3b4c5';

const MANIFEST = `version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY
    ignoreUndeclaredNames: [emulator bootstrap admin key]
    adminKeys:
      - name: ci-deployer
        expiresInSeconds: 3600
      - name: reporting
    projects:
      - id: proj_shop
        keys:
          - name: checkout
  - name: edge-eu
    vendor: edgeimpulse
    organizationId: 101
    apiKeyEnv: EDGE_EU_EI_API_KEY
    ignoreUndeclaredNames: [emulator bootstrap admin key]
    keys:
      - name: uploader
        role: member
  - name: edge-us
    vendor: edgeimpulse
    organizationId: 202
    apiKeyEnv: EDGE_US_EI_API_KEY
    ignoreUndeclaredNames: [emulator bootstrap admin key]
    keys:
      - name: uploader
        role: admin
        ttlSeconds: 86400
  - name: atlas-digest
    vendor: atlas
    organizationId: ${ATLAS_DIGEST_ORG}
    auth: { publicKeyEnv: A_ATLAS_PUBLIC_KEY, privateKeyEnv: A_ATLAS_PRIVATE_KEY }
    ignoreUndeclaredNames: [emulator bootstrap key]
    keys:
      - name: backup
        roles: [ORG_READ_ONLY]
  - name: atlas-oauth
    vendor: atlas
    organizationId: ${ATLAS_OAUTH_ORG}
    auth: { clientIdEnv: B_ATLAS_CLIENT_ID, clientSecretEnv: B_ATLAS_CLIENT_SECRET }
    ignoreUndeclaredNames: [emulator bootstrap key]
    keys:
      - name: billing
        description: Billing export
        roles: [ORG_BILLING_READ_ONLY, ORG_READ_ONLY]
`;

type Instance = { type: string; name: string; attributes: Record<string, unknown> };

describe('cdktf deploy of a manifest with every key family, several organizations per vendor, one stack', () => {
  let emulator: VendorEmulator;
  let project: CdktfProject;
  let credentials: Record<string, string>;
  const seenSecrets = new Set<string>();

  const instances = (): Instance[] => project.state().resources
    .filter((resource) => resource.type.startsWith('apikeys_') && resource.type !== 'apikeys_organization_keys')
    .map((resource) => ({ type: resource.type, name: resource.name, attributes: resource.instances[0]?.attributes ?? {} }));

  /** The secret the emulator issued for a key in state, per family. */
  function vendorSecret(instance: Instance): string | undefined {
    const { id, project_id: projectId, organization_id: organizationId } = instance.attributes as Record<string, string>;
    switch (instance.type) {
      case 'apikeys_openai_admin_key': return emulator.openai.adminKeys.get(id)?.value;
      case 'apikeys_openai_project_key': return emulator.openai.projects.keys(projectId).get(id)?.value;
      case 'apikeys_edgeimpulse_organization_key': return emulator.edgeimpulse.findKey(Number(organizationId), Number(id))?.apiKey;
      case 'apikeys_atlas_organization_key': return emulator.atlas.organization(organizationId)?.keys.get(id)?.privateKey;
      default: throw new Error(`unexpected resource type ${instance.type}`);
    }
  }

  /** Every secret this suite has seen: created keys, and the credentials the deploy used (tokens included). */
  const secrets = (): string[] => {
    for (const instance of project ? instances() : []) if (typeof instance.attributes.secret === 'string') seenSecrets.add(instance.attributes.secret);
    // Atlas public keys and client ids are identifiers, shown by Atlas to anyone with read access; the rest are secrets.
    for (const [name, value] of Object.entries(credentials)) if (!/_BASE_URL$|_PUBLIC_KEY$|_CLIENT_ID$/.test(name)) seenSecrets.add(value);
    for (const token of emulator.atlas.issuedTokens()) seenSecrets.add(token);
    return [...seenSecrets];
  };

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    credentials = provisionForManifest(emulator, parseManifest(MANIFEST));
    // The operator's allow-list: credentials may go to the emulator on loopback.
    project = CdktfProject.create(MANIFEST, { ...credentials, APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });
  });

  afterAll(async () => {
    project?.dispose();
    await emulator?.stop();
  });

  test('deploy creates every declared key of every organization; each secret is in state and its output is <sensitive>', async () => {
    const deploy = await project.cdktf('deploy');
    expectExit(deploy, 0);
    const state = project.state();
    expect(instances().map((instance) => `${instance.type}.${instance.name}`).sort()).toEqual([
      'apikeys_atlas_organization_key.atlas-digest_backup',
      'apikeys_atlas_organization_key.atlas-oauth_billing',
      'apikeys_edgeimpulse_organization_key.edge-eu_uploader',
      'apikeys_edgeimpulse_organization_key.edge-us_uploader',
      'apikeys_openai_admin_key.acme_ci-deployer',
      'apikeys_openai_admin_key.acme_reporting',
      'apikeys_openai_project_key.acme_proj_shop_checkout',
    ]);
    for (const instance of instances()) {
      expect(instance.attributes.secret).toEqual(expect.any(String));
      expect(instance.attributes.secret).toBe(vendorSecret(instance));
    }
    // Each organization's secrets are in its one sensitive map output, by key name.
    for (const organization of ['acme', 'atlas-digest', 'atlas-oauth', 'edge-eu', 'edge-us']) {
      const secrets = instances().filter((instance) => instance.name.startsWith(`${organization}_`)).map((instance) => instance.attributes.secret);
      expect(state.outputs[`${organization}_secrets`].sensitive).toBe(true);
      expect(Object.values(state.outputs[`${organization}_secrets`].value as Record<string, string>).sort()).toEqual(secrets.sort());
      expect(deploy.stdout).toContain(`${organization}_secrets = <sensitive>`);
    }
    // Each organization's keys were made with its own credential: the two Edge Impulse organizations hold one "uploader" each.
    expect(emulator.edgeimpulse.keys(101).filter((key) => key.name === 'uploader')).toHaveLength(1);
    expect(emulator.edgeimpulse.keys(202).filter((key) => key.name === 'uploader')).toHaveLength(1);
    expect(emulator.atlas.issuedTokens().length).toBeGreaterThan(0); // the service-account organization went through OAuth
  });

  test('the synthesized stack names environment variables and connections, never a credential', () => {
    const synthesized = project.synthesizedText();
    const stack = JSON.parse(readFileSync(join(project.stackDir, 'cdk.tf.json'), 'utf8'));
    // One provider configuration for every organization: one named connection each.
    const providers: Record<string, Record<string, unknown> | undefined>[] = stack.provider.apikeys;
    expect(providers).toHaveLength(1);
    const labels = ['openai_connection', 'edgeimpulse_connection', 'atlas_connection'].flatMap((block) => Object.keys(providers[0][block] ?? {}));
    expect(labels.sort()).toEqual(['acme', 'atlas-digest', 'atlas-oauth', 'edge-eu', 'edge-us']);
    expect(providers[0].edgeimpulse_connection).toMatchObject({ 'edge-us': { api_key_env: 'EDGE_US_EI_API_KEY' } });
    expect(providers[0].atlas_connection).toMatchObject({ 'atlas-oauth': { client_secret_env: 'B_ATLAS_CLIENT_SECRET' } });
    expect(findLeaks(synthesized, secrets())).toEqual([]);
  });

  test('the stack runs the provider from this checkout, not from a cache shared with other checkouts', () => {
    const installed = join(project.stackDir, '.terraform', 'providers', 'registry.terraform.io', 'cdktf-apikeys', 'apikeys');
    const [version] = readdirSync(installed);
    const [platform] = readdirSync(join(installed, version));
    expect(realpathSync(join(installed, version, platform)).startsWith(realpathSync(PROVIDER_PLUGINS_DIR))).toBe(true);
  });

  test('a clean plan lists each organization (and project) once, never a key by id, and warns about nothing', async () => {
    emulator.requests.length = 0;
    const plan = await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    expectExit(plan, 0);
    expect(plan.stdout + plan.stderr).not.toContain('Check block assertion failed');
    const gets = emulator.requests.filter((record) => record.method === 'GET');
    // Digest auth answers a process's first request with a 401 challenge: count the listings that were served.
    const served = gets.filter((record) => record.status === 200);
    const listings = (fragment: string) => served.filter((record) => record.path.endsWith(fragment)).length;
    expect(listings('/admin_api_keys')).toBe(1);
    expect(listings('/projects/proj_shop/api_keys')).toBe(1);
    expect(listings('/organizations/101/apikeys')).toBe(1);
    expect(listings('/organizations/202/apikeys')).toBe(1);
    expect(listings(`/orgs/${ATLAS_DIGEST_ORG}/apiKeys`)).toBe(1);
    expect(listings(`/orgs/${ATLAS_OAUTH_ORG}/apiKeys`)).toBe(1);
    expect(served).toHaveLength(6);
    expect(gets.filter((record) => record.status === 401).map((record) => record.vendor)).toEqual(['atlas']);
  });

  test('keys revoked outside Terraform in every family show in plan, and -detailed-exitcode exits 2', async () => {
    for (const instance of instances()) seenSecrets.add(instance.attributes.secret as string);
    const byName = (name: string) => instances().find((instance) => instance.name === name)!.attributes as Record<string, string>;
    emulator.openai.adminKeys.delete(byName('acme_reporting').id);
    emulator.openai.projects.deleteServiceAccount('proj_shop', byName('acme_proj_shop_checkout').service_account_id);
    emulator.edgeimpulse.revokeKey(202, Number(byName('edge-us_uploader').id));
    emulator.atlas.revokeKey(ATLAS_OAUTH_ORG, byName('atlas-oauth_billing').id);
    const plan = await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false']);
    expectExit(plan, 2);
    for (const address of [
      'apikeys_openai_admin_key.acme_reporting', 'apikeys_openai_project_key.acme_proj_shop_checkout',
      'apikeys_edgeimpulse_organization_key.edge-us_uploader', 'apikeys_atlas_organization_key.atlas-oauth_billing',
    ]) {
      expect(plan.stdout).toContain(`${address} has been deleted`);
    }
    expect(plan.stdout).toContain('Plan: 4 to add, 0 to change, 0 to destroy.');
  });

  test('a key added outside Terraform is named in a plan warning; a second deploy heals the revoked keys', async () => {
    const rogue = emulator.edgeimpulse.addKey(101, { name: 'made-in-studio', role: 'admin' });
    const deploy = await project.cdktf('deploy');
    expectExit(deploy, 0);
    // cdktf draws the warning in a coloured box, whose border interrupts wrapped lines.
    const shown = deploy.stdout.replace(/\u001b\[[0-9;]*m/g, '').replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
    expect(shown).toContain(`Edge Impulse organization edge-eu has a key not declared in this stack: ${rogue.id} ("made-in-studio")`);
    emulator.edgeimpulse.revokeKey(101, rogue.id);
    expectExit(await project.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']), 0);
    for (const instance of instances()) expect(instance.attributes.secret).toBe(vendorSecret(instance));
  });

  test('no secret or credential appears in synth, plan or apply output, in TF_LOG=trace output, or in cdktf.out', async () => {
    expectExit(await project.cdktf('synth'), 0);
    const trace = await project.terraform(['plan', '-input=false', '-no-color'], { TF_LOG: 'trace' });
    expectExit(trace, 0);
    expect(trace.stderr).toContain('[TRACE]');
    const all = secrets();
    expect(all.length).toBeGreaterThanOrEqual(11 + 6); // 7 keys + 4 re-created, and the deploy's credentials
    expect(findLeaks(project.allOutput(), all)).toEqual([]);
    expect(findLeaks(project.synthesizedText(), all)).toEqual([]);
    // The check itself can fail: the state does hold the current secrets.
    expect(findLeaks(JSON.stringify(project.state()), all)).toHaveLength(7);
  });

  test('an invalid manifest stops synth with file, line and path, before any vendor call', async () => {
    emulator.requests.length = 0;
    project.writeManifest(MANIFEST
      .replace('expiresInSeconds: 3600', 'expiresInSeconds: -5')
      .replace('organizationId: 202', 'organizationId: "not-a-number"')
      .replace('roles: [ORG_READ_ONLY]\n', 'roles: [ORG_SUPERUSER]\n'));
    const synth = await project.cdktf('synth');
    expect(synth.exitCode).not.toBe(0);
    const output = synth.stdout + synth.stderr;
    expect(output).toMatch(/manifest\.yaml:9:27: organizations\[0\]\.adminKeys\[0\]\.expiresInSeconds: must be a whole number from 1 to 31536000 seconds \(got -5\)/);
    expect(output).toMatch(/manifest\.yaml:25:21: organizations\[2\]\.organizationId: /);
    expect(output).toMatch(/manifest\.yaml:\d+:\d+: organizations\[3\]\.keys\[0\]\.roles: contains "ORG_SUPERUSER"/);
    expect(emulator.requests).toHaveLength(0);
    project.writeManifest(MANIFEST);
  });

  test('destroy revokes every declared key at the vendors', async () => {
    expectExit(await project.cdktf('destroy'), 0);
    expect(emulator.openai.adminKeys.all().map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(emulator.openai.projects.keys('proj_shop').all()).toEqual([]);
    expect(emulator.edgeimpulse.keys(101).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(emulator.edgeimpulse.keys(202).map((key) => key.name)).toEqual(['emulator bootstrap admin key']);
    expect(emulator.atlas.organization(ATLAS_DIGEST_ORG)!.keys.all().map((key) => key.desc)).toEqual(['emulator bootstrap key']);
    expect(emulator.atlas.organization(ATLAS_OAUTH_ORG)!.keys.all().map((key) => key.desc)).toEqual(['emulator bootstrap key']);
  });
});
