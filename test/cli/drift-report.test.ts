import { driftReport, markdownSummary, summaryLine, type PlanJson } from '../../src/cli/drift-report';

const change = (address: string, type: string, actions: string[], mode = 'managed') => ({ address, type, mode, change: { actions } });

const PLAN: PlanJson = {
  resource_changes: [
    change('apikeys_openai_admin_key.acme_a', 'apikeys_openai_admin_key', ['create']),
    change('apikeys_atlas_organization_key.atlas_b', 'apikeys_atlas_organization_key', ['update']),
    change('apikeys_edgeimpulse_organization_key.edge_c', 'apikeys_edgeimpulse_organization_key', ['delete', 'create']),
    change('module.team.apikeys_openai_admin_key.old[0]', 'apikeys_openai_admin_key', ['delete']),
    change('apikeys_openai_admin_key.acme_same', 'apikeys_openai_admin_key', ['no-op']),
    change('data.apikeys_organization_keys.listing', 'apikeys_organization_keys', ['read'], 'data'),
  ],
  resource_drift: [
    change('apikeys_openai_admin_key.acme_a', 'apikeys_openai_admin_key', ['delete']),
    change('apikeys_atlas_organization_key.atlas_b', 'apikeys_atlas_organization_key', ['update']),
  ],
  configuration: {
    root_module: {
      resources: [
        { address: 'apikeys_openai_admin_key.acme_a', type: 'apikeys_openai_admin_key', provider_config_key: 'apikeys.acme' },
        { address: 'apikeys_atlas_organization_key.atlas_b', type: 'apikeys_atlas_organization_key', provider_config_key: 'apikeys.atlas' },
        { address: 'apikeys_edgeimpulse_organization_key.edge_c', type: 'apikeys_edgeimpulse_organization_key', provider_config_key: 'apikeys' },
        { address: 'data.apikeys_organization_keys.listing', type: 'apikeys_organization_keys', provider_config_key: 'apikeys.acme' },
      ],
      module_calls: {
        team: { module: { resources: [{ address: 'apikeys_openai_admin_key.old', type: 'apikeys_openai_admin_key', provider_config_key: 'team:apikeys.research' }] } },
      },
    },
  },
  prior_state: {
    values: {
      root_module: {
        resources: [{ address: 'data.apikeys_organization_keys.listing', mode: 'data', type: 'apikeys_organization_keys', values: { family: 'openai_admin_key', unmanaged_ids: ['key_1', 'key_2'], secret: 'never copied' } }],
      },
    },
  },
  checks: [
    { address: { kind: 'check', name: 'listing', to_display: 'check.listing' }, status: 'fail', instances: [{ status: 'fail', problems: [{ message: 'OpenAI organization acme has keys that no manifest declares: key_1, key_2. Declare them, revoke them, or list their names or ids to ignore.' }] }] },
    { address: { kind: 'check', name: 'gone', to_display: 'check.gone' }, status: 'fail', instances: [{ status: 'fail', problems: [{ message: 'Edge Impulse organization edge has keys that no manifest declares: 17, 18. Declare them, revoke them, or list their names to ignore.' }] }] },
    { address: { kind: 'check', name: 'fine', to_display: 'check.fine' }, status: 'pass', instances: [{ status: 'pass' }] },
    { address: { kind: 'check', name: 'waiting', to_display: 'check.waiting' }, status: 'unknown' },
  ],
};

describe('drift report from terraform show -json', () => {
  const report = driftReport('keys', PLAN);

  test('one entry per resource Terraform would change, with its kind, family, organization and what changed outside', () => {
    expect(report.resources).toEqual([
      { kind: 'create', address: 'apikeys_openai_admin_key.acme_a', family: 'apikeys_openai_admin_key', organization: 'acme', changedOutside: 'deleted' },
      { kind: 'update', address: 'apikeys_atlas_organization_key.atlas_b', family: 'apikeys_atlas_organization_key', organization: 'atlas', changedOutside: 'updated' },
      { kind: 'replace', address: 'apikeys_edgeimpulse_organization_key.edge_c', family: 'apikeys_edgeimpulse_organization_key', organization: null, changedOutside: null },
      { kind: 'destroy', address: 'module.team.apikeys_openai_admin_key.old[0]', family: 'apikeys_openai_admin_key', organization: 'research', changedOutside: null },
    ]);
  });

  test('a resource\'s named connection names its organization, before its provider alias', () => {
    const plan: PlanJson = {
      resource_changes: [change('apikeys_openai_admin_key.globex_ci', 'apikeys_openai_admin_key', ['create'])],
      configuration: { root_module: { resources: [{
        address: 'apikeys_openai_admin_key.globex_ci', type: 'apikeys_openai_admin_key', provider_config_key: 'apikeys.shared',
        expressions: { connection_name: { constant_value: 'globex' } },
      }] } },
    };
    expect(driftReport('keys', plan).resources[0].organization).toBe('globex');
  });

  test('undeclared keys from failing checks: ids from the listing, or from the message when the listing is not in the plan; never values', () => {
    expect(report.undeclaredKeys).toEqual([
      { check: 'check.listing', organization: 'acme', family: 'openai_admin_key', ids: ['key_1', 'key_2'], message: expect.stringContaining('key_1, key_2') },
      { check: 'check.gone', organization: null, family: null, ids: ['17', '18'], message: expect.stringContaining('17, 18') },
    ]);
    expect(JSON.stringify(report)).not.toContain('never copied');
  });

  test('checks that wait for the apply (a declared key to create first) are listed as deferred', () => {
    expect(report.deferredChecks).toEqual(['check.waiting']);
    expect(markdownSummary(report)).toContain('1 undeclared-key check(s) wait for the apply');
  });

  test('the summary line counts each kind and each undeclared key; in sync only when nothing at all is pending', () => {
    expect(summaryLine(report)).toBe('drift: 1 to create, 1 to update, 1 to replace, 1 to destroy, 4 undeclared keys (stack keys)');
    expect(report.inSync).toBe(false);
    const clean = driftReport('keys', { resource_changes: [change('a.b', 'a', ['no-op'])], checks: [] });
    expect(clean.inSync).toBe(true);
    expect(summaryLine(clean)).toBe('in sync: 0 to create, 0 to update, 0 to replace, 0 to destroy, 0 undeclared keys (stack keys)');
    expect(summaryLine(driftReport('s', { checks: [PLAN.checks![1]] }))).toBe('drift: 0 to create, 0 to update, 0 to replace, 0 to destroy, 2 undeclared keys (stack s)');
  });

  test('the markdown summary has the verdict, a row per change and per undeclared listing, table cells escaped', () => {
    const markdown = markdownSummary(driftReport('k', {
      ...PLAN,
      resource_changes: [change('apikeys_openai_admin_key.a|b', 'apikeys_openai_admin_key', ['create'])],
    }));
    expect(markdown).toContain('### apikeys drift: stack `k`');
    expect(markdown).toContain('**Drift found**: 1 to create');
    expect(markdown).toContain('| create | `apikeys_openai_admin_key.a\\|b` | apikeys_openai_admin_key | — | — |');
    expect(markdown).toContain('| key_1, key_2 | acme | openai_admin_key |');
  });

  test('reads, forgets and no-ops are not changes; a failing check whose message names no ids still counts once; in sync says so', () => {
    const plan: PlanJson = {
      resource_changes: [change('a.read', 'a', ['read']), change('a.forget', 'a', ['forget']), change('a.noop', 'a', ['no-op']), change('a.none', 'a', [])],
      checks: [{ address: { kind: 'check', name: 'odd' }, status: 'fail', instances: [{ problems: [{ message: 'Something is off.' }] }] }],
    };
    const report = driftReport('s', plan);
    expect(report.resources).toEqual([]);
    expect(report.undeclaredKeys).toEqual([{ check: 'check.odd', organization: null, family: null, ids: [], message: 'Something is off.' }]);
    expect(report.counts.undeclaredKeys).toBe(1);
    expect(markdownSummary(report)).toContain('| Something is off. | — | — |');
    const clean = markdownSummary(driftReport('s', {}));
    expect(clean).toContain('**In sync**: 0 to create');
    expect(clean).not.toContain('|');
  });

  test('a provider alias inside a module names the organization; an unaliased provider names none', () => {
    const plan: PlanJson = {
      resource_changes: [change('module.m.apikeys_openai_admin_key.k', 'apikeys_openai_admin_key', ['create']), change('module.m.apikeys_openai_admin_key.plain', 'apikeys_openai_admin_key', ['create'])],
      configuration: { root_module: { module_calls: { m: { module: { resources: [
        { address: 'apikeys_openai_admin_key.k', type: 'apikeys_openai_admin_key', provider_config_key: 'module.m:apikeys.globex' },
        { address: 'apikeys_openai_admin_key.plain', type: 'apikeys_openai_admin_key', provider_config_key: 'module.m:apikeys' },
      ] } } } } },
    };
    expect(driftReport('s', plan).resources.map((resource) => resource.organization)).toEqual(['globex', null]);
  });
});

describe('lifecycle lists: the plan\'s rules on each key\'s refreshed state, at the plan\'s time', () => {
  const keyChange = (name: string, before: Record<string, unknown>, actions = ['no-op']) => ({
    address: `apikeys_openai_admin_key.${name}`, type: 'apikeys_openai_admin_key', mode: 'managed', change: { actions, before: { id: `key_${name}`, secret: 'never copied', ...before } },
  });
  const plan = (providerExpressions: Record<string, { constant_value?: unknown }>): PlanJson => ({
    timestamp: '2026-06-01T00:00:00Z',
    resource_changes: [
      keyChange('due', { created_at: '2026-01-01T00:00:00Z', last_used_at: '2026-05-31T00:00:00Z', rotation: { every: '90d', overlap: '7d' } }, ['update']),
      keyChange('fresh', { created_at: '2026-05-30T00:00:00Z', rotation: { every: '90d', overlap: '7d' }, last_used_at: '2026-05-31T00:00:00Z' }),
      keyChange('expiring', { created_at: '2026-05-30T00:00:00Z', expires_at: '2026-06-05T00:00:00Z', last_used_at: '2026-05-31T00:00:00Z' }),
      keyChange('expired', { created_at: '2026-01-01T00:00:00Z', expires_at: '2026-05-01T00:00:00Z', last_used_at: '2026-04-30T00:00:00Z' }, ['delete', 'create']),
      keyChange('unused', { created_at: '2025-01-01T00:00:00Z', last_used_at: null }),
      { address: 'terraform_data.other', type: 'terraform_data', mode: 'managed', change: { actions: ['no-op'], before: { created_at: '2000-01-01T00:00:00Z' } } },
    ],
    configuration: {
      provider_config: { apikeys: { name: 'apikeys', expressions: providerExpressions } },
      root_module: { resources: [{ address: 'apikeys_openai_admin_key.due', type: 'apikeys_openai_admin_key', provider_config_key: 'apikeys', expressions: { connection_name: { constant_value: 'acme' } } }] },
    },
  });

  test('rotationDue, expired and expiring by default; stale once stale_after is set; the dates are the plan\'s', () => {
    const report = driftReport('keys', plan({}));
    const addresses = (kind: keyof typeof report.lifecycle) => report.lifecycle[kind].map((finding) => finding.address);
    expect(addresses('rotationDue')).toEqual(['apikeys_openai_admin_key.due']);
    expect(report.lifecycle.rotationDue[0]).toMatchObject({ organization: 'acme', id: 'key_due', date: '2026-04-01T00:00:00.000Z', message: expect.stringContaining('is due for rotation since 2026-04-01') });
    expect(addresses('expired')).toEqual(['apikeys_openai_admin_key.expired']);
    expect(addresses('expiring')).toEqual(['apikeys_openai_admin_key.expiring']);
    expect(addresses('stale')).toEqual([]);
    const stale = driftReport('keys', plan({ stale_after: { constant_value: '30d' }, expiry_warning: { constant_value: '1d' } }));
    expect(stale.lifecycle.stale.map((finding) => finding.address)).toEqual(['apikeys_openai_admin_key.expired', 'apikeys_openai_admin_key.unused']);
    expect(stale.lifecycle.expiring).toEqual([]);
    expect(JSON.stringify(stale)).not.toContain('never copied');
  });

  test('the step summary lists them', () => {
    expect(markdownSummary(driftReport('keys', plan({})))).toMatch(/\| rotationDue \| `apikeys_openai_admin_key\.due` \| acme \| 2026-04-01 \| is due for rotation since/);
  });
});
