/**
 * Undeclared keys by identity, with the real terraform binary: the checks the
 * organization constructs synthesize, applied to the emulator. A key a
 * resource tracks is never reported, whatever its name now; keys no state
 * tracks are named by id and name, and those with a declared key's name are
 * told apart as possible orphans with the import command for their address.
 */
import type { TerraformStack } from 'cdktf';
import { AtlasOrganization } from '../../../lib/constructs/atlas/organization';
import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import type { UndeclaredKeysOptions } from '../../../lib/constructs/undeclared-keys';
import { VendorEmulator } from '../../../src/emulator/server';
import type { RunResult } from '../../../src/cli/run';
import { synthStack } from '../../support/lib';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';

const ADMIN_KEY = 'apikeys_openai_admin_key.acme_ci';
const ATLAS_KEY = 'apikeys_atlas_organization_key.atlas_billing';
const CHECK_FAILED = 'Check block assertion failed';

/** Terraform wraps long messages: compare with single spaces. */
const text = (result: RunResult): string => (result.stdout + result.stderr).replace(/\s+/g, ' ');

describe('undeclared keys by identity (constructs, real terraform)', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let atlasOrg: string;
  let openAiBootstrap: string;

  /** The two organizations as code, with the given undeclared-key options for the OpenAI one. */
  const configure = (openAiOptions: UndeclaredKeysOptions = {}): void => {
    const json = synthStack((stack: TerraformStack) => {
      new OpenAiOrganization(stack, 'acme', {
        adminKeyEnv: 'TEST_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'ci' }], ignoreUndeclared: [openAiBootstrap], ...openAiOptions,
      });
      new AtlasOrganization(stack, 'atlas', {
        organizationId: atlasOrg, auth: { publicKeyEnv: 'TEST_ATLAS_PUBLIC_KEY', privateKeyEnv: 'TEST_ATLAS_PRIVATE_KEY' },
        keys: [{ name: 'billing', roles: ['ORG_READ_ONLY'] }], ignoreUndeclaredNames: ['emulator bootstrap key'],
      });
    });
    workspace.write('main.tf.json', JSON.stringify(json, null, 2));
  };

  const idOf = (address: string): string => {
    const [type, name] = address.split('.');
    return workspace.attributes(type, name).id as string;
  };
  const listing = (name: string): Record<string, unknown> => {
    const resource = workspace.state().resources.find((candidate) => candidate.type === 'apikeys_organization_keys' && candidate.name.includes(name));
    if (!resource) throw new Error(`no listing ${name} in state`);
    return resource.instances[0].attributes;
  };

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const { openai, atlas } = emulator.describe().vendors;
    atlasOrg = String(atlas.orgId);
    openAiBootstrap = emulator.openai.adminKeys.all()[0].id;
    workspace = TerraformWorkspace.create({}, {
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
      OPENAI_BASE_URL: String(openai.baseUrl),
      MONGODB_ATLAS_BASE_URL: String(atlas.baseUrl),
      TEST_OPENAI_ADMIN_KEY: String(openai.adminKey),
      TEST_ATLAS_PUBLIC_KEY: String(atlas.publicKey),
      TEST_ATLAS_PRIVATE_KEY: String(atlas.privateKey),
    });
    configure();
    expectExit(await workspace.terraform(['init']), 0);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(text(apply)).not.toContain(CHECK_FAILED);
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  test('in sync: the plan is empty and warns of nothing', async () => {
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 0);
    expect(text(plan)).not.toContain(CHECK_FAILED);
  });

  test('an undeclared key is named by id and name; ignoring it works by id and by name', async () => {
    const rogue = emulator.openai.addAdminKey('made-in-console');
    try {
      const plan = await workspace.terraform(['plan']);
      expectExit(plan, 0);
      expect(text(plan)).toContain(`Warning: ${CHECK_FAILED}`);
      expect(text(plan)).toContain(
        `OpenAI organization acme (admin keys) has a key not declared in this stack: ${rogue.id} ("made-in-console"). ` +
        'Declare it, revoke it, or list its id or name in ignoreUndeclared.',
      );
      expect(text(plan)).not.toContain('no manifest declares');

      configure({ ignoreUndeclared: [openAiBootstrap, rogue.id] });
      expect(text(await workspace.terraform(['plan']))).not.toContain(CHECK_FAILED);
      configure({ ignoreUndeclared: [openAiBootstrap, 'made-in-console'] });
      expect(text(await workspace.terraform(['plan']))).not.toContain(CHECK_FAILED);
      // The deprecated alias still ignores, by name or by id.
      configure({ ignoreUndeclared: [], ignoreUndeclaredNames: ['emulator bootstrap admin key', 'made-in-console'] });
      expect(text(await workspace.terraform(['plan']))).not.toContain(CHECK_FAILED);
    } finally {
      emulator.openai.adminKeys.delete(rogue.id);
      configure();
    }
  });

  test('a declared Atlas key re-described in the console is drift on its resource, not an undeclared key', async () => {
    const keyId = idOf(ATLAS_KEY);
    emulator.atlas.updateKey(atlasOrg, keyId, { desc: 'billing (edited in console)' });
    const rogue = emulator.atlas.addKey(atlasOrg, { desc: 'made in console', roles: ['ORG_READ_ONLY'] });
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    emulator.atlas.revokeKey(atlasOrg, rogue.id);
    expectExit(plan, 2);
    expect(text(plan)).toContain(`${ATLAS_KEY} will be updated in-place`);
    expect(text(plan)).toContain('~ description = "billing (edited in console)" -> "billing"');
    // The key's id stays known, so the check runs during this very plan: it names the other key, not the renamed one.
    expect(text(plan)).not.toContain('will be read during apply');
    expect(text(plan)).toContain(`Atlas organization atlas has a key not declared in this stack: ${rogue.id} ("made in console")`);
    expect(text(plan)).not.toContain(`${keyId} (`);

    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(text(apply)).not.toContain(CHECK_FAILED);
    expect(idOf(ATLAS_KEY)).toBe(keyId);
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('the apply that re-creates revoked declared keys reads the listing after them and ends with no warning', async () => {
    const [oldAdmin, oldAtlas] = [idOf(ADMIN_KEY), idOf(ATLAS_KEY)];
    emulator.openai.adminKeys.delete(oldAdmin);
    emulator.atlas.revokeKey(atlasOrg, oldAtlas);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    expectExit(plan, 2);
    // Unknown ids defer the listings, and so the checks, to apply.
    expect(text(plan)).toMatch(/data\.apikeys_organization_keys\.\S+ will be read during apply/);
    expect(text(plan)).not.toContain(CHECK_FAILED);

    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(apply, 0);
    expect(text(apply)).not.toContain(CHECK_FAILED);
    const [newAdmin, newAtlas] = [idOf(ADMIN_KEY), idOf(ATLAS_KEY)];
    expect([newAdmin, newAtlas]).not.toContain(oldAdmin);
    // The listings were read after the keys were made: they hold the new keys, as managed.
    const admin = listing('acme');
    expect((admin.keys as { id: string }[]).map((key) => key.id)).toContain(newAdmin);
    expect(admin.unmanaged_ids).toEqual([]);
    expect((listing('atlas').keys as { id: string }[]).map((key) => key.id)).toContain(newAtlas);
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });

  test('a check deferred to apply is evaluated there: an undeclared key is named after the heal', async () => {
    emulator.openai.adminKeys.delete(idOf(ADMIN_KEY));
    const rogue = emulator.openai.addAdminKey('made-in-console');
    try {
      const plan = await workspace.terraform(['plan']);
      expectExit(plan, 0);
      expect(text(plan)).not.toContain(CHECK_FAILED);
      const apply = await workspace.terraform(['apply', '-auto-approve']);
      expectExit(apply, 0);
      expect(text(apply)).toContain(`has a key not declared in this stack: ${rogue.id} ("made-in-console")`);
      expect(text(apply)).not.toContain(`${idOf(ADMIN_KEY)} ("ci")`);
    } finally {
      emulator.openai.adminKeys.delete(rogue.id);
    }
  });

  test('an untracked key with a declared key\'s name is reported as a possible orphan, with a working import command', async () => {
    const orphan = emulator.openai.addAdminKey('ci');
    const atlasOrphan = emulator.atlas.addKey(atlasOrg, { desc: 'billing', roles: ['ORG_READ_ONLY'] });
    const plan = await workspace.terraform(['plan']);
    expectExit(plan, 0);
    expect(text(plan)).toContain(
      `OpenAI organization acme (admin keys): key ${orphan.id} ("ci") has the name of declared key ${ADMIN_KEY} but no state tracks it: ` +
      `it may be an orphan of an earlier failed apply. Import it with \`terraform import ${ADMIN_KEY} acme:${orphan.id}\` or an \`import {}\` block`,
    );
    expect(text(plan)).toContain(`key ${atlasOrphan.id} ("billing") has the name of declared key ${ATLAS_KEY}`);
    expect(text(plan)).toContain(`\`terraform import ${ATLAS_KEY} atlas:${atlasOrg}/${atlasOrphan.id}\``);
    expect(text(plan)).not.toContain('not declared in this stack');

    // Following the message: the address gives up the key it tracks, and adopts the orphan.
    const replaced = idOf(ADMIN_KEY);
    expectExit(await workspace.terraform(['state', 'rm', ADMIN_KEY]), 0);
    // The import id names the organization's connection (the constructs name it after the construct id).
    expectExit(await workspace.terraform(['import', ADMIN_KEY, `acme:${orphan.id}`]), 0);
    expect(idOf(ADMIN_KEY)).toBe(orphan.id);
    emulator.openai.adminKeys.delete(replaced);
    emulator.atlas.revokeKey(atlasOrg, atlasOrphan.id);
    const after = await workspace.terraform(['plan']);
    expectExit(after, 0);
    expect(text(after)).not.toContain(CHECK_FAILED);
  });

  test('fail: the same finding fails the run instead of warning', async () => {
    const rogue = emulator.openai.addAdminKey('made-in-console');
    try {
      configure({ undeclaredKeys: 'fail' });
      const plan = await workspace.terraform(['plan']);
      expectExit(plan, 1);
      expect(text(plan)).toContain('Error: Resource postcondition failed');
      expect(text(plan)).toContain(`has a key not declared in this stack: ${rogue.id} ("made-in-console")`);
    } finally {
      emulator.openai.adminKeys.delete(rogue.id);
      configure();
    }
  });
});
