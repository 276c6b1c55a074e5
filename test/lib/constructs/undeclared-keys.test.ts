import { AtlasOrganization } from '../../../lib/constructs/atlas/organization';
import { EdgeImpulseOrganization } from '../../../lib/constructs/edgeimpulse/organization';
import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import { parseManifest } from '../../../lib/manifest/loader';
import { ManifestKeys } from '../../../lib/manifest/manifest-keys';
import { manifestIssues, synthStack, type SynthJson } from '../../support/lib';

const ATLAS_ORG = '5980cfc70b6d97029d82e3f6';
const listings = (json: SynthJson): Record<string, any>[] => Object.values(json.data?.apikeys_organization_keys ?? {}); // eslint-disable-line @typescript-eslint/no-explicit-any
/** A listing's managed_ids, read through the local value that holds them. */
function managedIds(json: SynthJson, listing: Record<string, unknown>): unknown {
  const reference = /^\$\{local\.([\w-]+)\}$/.exec(String(listing.managed_ids));
  if (!reference) throw new Error(`managed_ids is not a local value: ${JSON.stringify(listing.managed_ids)}`);
  return json.locals[reference[1]];
}

describe('addUndeclaredKeysCheck, through the organization constructs', () => {
  test('the listing gets the ids the key resources track (through a local value), and each declared key\'s address and vendor name', () => {
    const json = synthStack((stack) => new AtlasOrganization(stack, 'atlas', {
      organizationId: ATLAS_ORG, keys: [{ name: 'billing', roles: ['ORG_READ_ONLY'] }, { name: 'ops', description: 'Operations', roles: ['ORG_MEMBER'] }],
    }));
    // Each key's id, and the id of the previous key a rotation keeps for its overlap.
    expect(managedIds(json, listings(json)[0])).toEqual([
      '${apikeys_atlas_organization_key.atlas_billing.id}', '${try(apikeys_atlas_organization_key.atlas_billing.previous_key.id, "")}',
      '${apikeys_atlas_organization_key.atlas_ops.id}', '${try(apikeys_atlas_organization_key.atlas_ops.previous_key.id, "")}',
    ]);
    expect(listings(json)).toEqual([expect.objectContaining({
      family: 'atlas_organization_key', organization_id: ATLAS_ORG,
      // Atlas shows a key by its description.
      declared_keys: { 'apikeys_atlas_organization_key.atlas_billing': 'billing', 'apikeys_atlas_organization_key.atlas_ops': 'Operations' },
      ignore: [], label: 'Atlas organization atlas',
    })]);
    expect(listings(json)[0].managed_names).toBeUndefined();
  });

  test('ignoreUndeclared and the deprecated ignoreUndeclaredNames both feed the ignore list', () => {
    const json = synthStack((stack) => new EdgeImpulseOrganization(stack, 'edge', {
      organizationId: 42, apiKeyEnv: 'EDGE_EI_API_KEY', keys: [{ name: 'ci', role: 'admin' }],
      ignoreUndeclared: ['1234', 'pipeline'], ignoreUndeclaredNames: ['legacy'],
    }));
    expect(listings(json)[0]).toMatchObject({ ignore: ['1234', 'pipeline', 'legacy'], label: 'Edge Impulse organization edge', organization_id: 42 });
  });

  test('warn: a check block whose message is the provider\'s, holding no user text', () => {
    const json = synthStack((stack) => new OpenAiOrganization(stack, 'acme', {
      adminKeys: [{ name: 'CI deployer' }], projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc' }] }],
    }));
    const [admin, project] = listings(json);
    expect(project).toMatchObject({
      family: 'openai_project_key', project_id: 'proj_abc', label: 'OpenAI project proj_abc of organization acme',
      declared_keys: { 'apikeys_openai_project_key.acme_proj_abc_svc': 'svc' },
    });
    expect(managedIds(json, project)).toEqual(['${apikeys_openai_project_key.acme_proj_abc_svc.id}', '${try(apikeys_openai_project_key.acme_proj_abc_svc.previous_key.id, "")}']);
    expect(admin.declared_keys).toEqual({ 'apikeys_openai_admin_key.acme_CI_deployer': 'CI deployer' });
    const checks = Object.entries(json.check) as [string, { assert: { condition: string; error_message: string }[] }][];
    expect(checks).toHaveLength(2);
    for (const [name, check] of checks) {
      expect(check.assert).toEqual([{
        condition: `\${length(data.apikeys_organization_keys.${name}.messages) == 0}`,
        error_message: `\${join("\\n", data.apikeys_organization_keys.${name}.messages)}`,
      }]);
    }
  });

  test('fail: a postcondition on the listing, naming it self', () => {
    const json = synthStack((stack) => new OpenAiOrganization(stack, 'acme', { adminKeys: [{ name: 'ci' }], undeclaredKeys: 'fail' }));
    expect(json.check).toBeUndefined();
    expect(listings(json)[0].lifecycle.postcondition).toEqual([{ condition: '${length(self.messages) == 0}', error_message: '${join("\\n", self.messages)}' }]);
  });

  test('prune: one pruning per listing, with the same managed ids, the declared names, ignore, limit and minimum age; the warning stays', () => {
    const json = synthStack((stack) => new OpenAiOrganization(stack, 'acme', {
      undeclaredKeys: 'prune', pruneLimit: 3, pruneMinAge: '2h', ignoreUndeclared: ['break-glass'],
      adminKeys: [{ name: 'ci' }], projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc' }] }],
    }));
    const prunings = Object.values(json.resource?.apikeys_exclusive_keys ?? {}) as Record<string, unknown>[];
    expect(prunings.map((pruning) => pruning.family).sort()).toEqual(['openai_admin_key', 'openai_project_key']);
    const admin = prunings.find((pruning) => pruning.family === 'openai_admin_key')!;
    expect(admin).toMatchObject({ connection_name: 'acme', declared_names: ['ci'], ignore: ['break-glass'], limit: 3, min_age: '2h' });
    const listing = listings(json).find((found) => found.family === 'openai_admin_key')!;
    expect(admin.managed_ids).toBe(listing.managed_ids);
    expect(managedIds(json, listing)).toEqual(['${apikeys_openai_admin_key.acme_ci.id}', '${try(apikeys_openai_admin_key.acme_ci.previous_key.id, "")}']);
    expect(prunings.find((pruning) => pruning.family === 'openai_project_key')).toMatchObject({ project_id: 'proj_abc', declared_names: ['svc'] });
    expect(Object.keys(json.check ?? {})).toHaveLength(2);
  });

  test('a manifest says the same with undeclaredKeys: prune, pruneLimit and pruneMinAge', () => {
    const manifest = parseManifest('version: 1\norganizations:\n  - name: edge\n    vendor: edgeimpulse\n    organizationId: 7\n    apiKeyEnv: EDGE_EI_API_KEY\n' +
      '    undeclaredKeys: prune\n    pruneLimit: 25\n    pruneMinAge: 0s\n    keys:\n      - name: ci\n        role: admin\n');
    const json = synthStack((stack) => new ManifestKeys(stack, 'keys', { manifest }));
    expect(Object.values(json.resource?.apikeys_exclusive_keys ?? {})).toEqual([expect.objectContaining({
      family: 'edgeimpulse_organization_key', organization_id: 7, declared_names: ['ci'], limit: 25, min_age: '0s',
    })]);
  });

  test('off: no listing and no check', () => {
    const json = synthStack((stack) => new AtlasOrganization(stack, 'atlas', { organizationId: ATLAS_ORG, undeclaredKeys: 'off' }));
    expect(listings(json)).toEqual([]);
    expect(json.check).toBeUndefined();
  });

  test('an organization without keys still lists, with empty ids, so every key there is reported', () => {
    const json = synthStack((stack) => new AtlasOrganization(stack, 'atlas', { organizationId: ATLAS_ORG }));
    expect(listings(json)[0]).toMatchObject({ declared_keys: {} });
    expect(managedIds(json, listings(json)[0])).toEqual([]);
  });

  test('a manifest\'s ignoreUndeclared (ids or names) and ignoreUndeclaredNames reach the listing', () => {
    const manifest = parseManifest([
      'version: 1', 'organizations:', '  - name: atlas', '    vendor: atlas', `    organizationId: ${ATLAS_ORG}`,
      '    ignoreUndeclared: [6a2b3c4d5e6f708192a3b4c5, pipeline]', '    ignoreUndeclaredNames: [legacy]', '',
    ].join('\n'));
    const json = synthStack((stack) => new ManifestKeys(stack, 'keys', { manifest }));
    expect(listings(json)[0].ignore).toEqual(['6a2b3c4d5e6f708192a3b4c5', 'pipeline', 'legacy']);
  });

  test('in a manifest, a bare number in ignoreUndeclared is an Edge Impulse key id', () => {
    const manifest = parseManifest([
      'version: 1', 'organizations:', '  - name: edge', '    vendor: edgeimpulse', '    organizationId: 42', '    apiKeyEnv: EDGE_EI_API_KEY',
      '    ignoreUndeclared: [1234, pipeline]', '',
    ].join('\n'));
    const json = synthStack((stack) => new ManifestKeys(stack, 'keys', { manifest }));
    expect(listings(json)[0].ignore).toEqual(['1234', 'pipeline']);
  });

  test('in a manifest, anything else in ignoreUndeclared is reported where it is', () => {
    expect(manifestIssues([
      'version: 1', 'organizations:', '  - name: edge', '    vendor: edgeimpulse', '    organizationId: 42', '    apiKeyEnv: EDGE_EI_API_KEY',
      '    ignoreUndeclared: [pipeline, { id: 3 }]', '',
    ].join('\n'))).toEqual(['7:34 organizations[0].ignoreUndeclared[1]: must list key ids or names']);
  });

  test('the deprecated ignoreUndeclaredNames still works, with a construct warning that names its replacement (once per construct)', () => {
    const warnings: string[][] = [];
    const json = synthStack((stack) => {
      const organizations = [
        new OpenAiOrganization(stack, 'openai', { adminKeys: [{ name: 'ci' }], projects: [{ projectId: 'proj_x', keys: [{ name: 'svc' }] }], ignoreUndeclaredNames: ['legacy'] }),
        new EdgeImpulseOrganization(stack, 'edge', { organizationId: 1, apiKeyEnv: 'EDGE_EI_API_KEY', ignoreUndeclaredNames: ['legacy'] }),
        new AtlasOrganization(stack, 'atlas', { organizationId: ATLAS_ORG, ignoreUndeclared: ['current'] }),
      ];
      for (const organization of organizations) warnings.push(organization.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data)));
    });
    const deprecation = 'ignoreUndeclaredNames is deprecated: use ignoreUndeclared, which takes key ids or names (move the names there).';
    expect(warnings).toEqual([[deprecation], [deprecation], []]);
    expect(listings(json).map((listing) => listing.ignore.join()).sort()).toEqual(['current', 'legacy', 'legacy', 'legacy']);
  });
});
