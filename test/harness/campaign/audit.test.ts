/**
 * The campaign's verdict must catch every failure class the issue names:
 * silent and reported losses, duplicates, orphans, wrong secrets and
 * non-convergence. Fabricated views, so each class is shown in isolation.
 */
import { ZERO_COUNTS, addCounts, audit, isClean, type DeclaredKey, type StateKey, type VendorKey } from '../../../harness/campaign/audit';

const declared: DeclaredKey[] = [
  { family: 'openai_admin', scope: 'org', name: 'admin-0', address: 'apikeys_openai_admin_key.admin_0' },
  { family: 'edgeimpulse', scope: '1', name: 'ei-0', address: 'apikeys_edgeimpulse_organization_key.ei_0' },
];
const liveAdmin: VendorKey = { family: 'openai_admin', scope: 'org', name: 'admin-0', id: 'key_a', redacted: 'sk-admin...aaa' };
const liveEi: VendorKey = { family: 'edgeimpulse', scope: '1', name: 'ei-0', id: '1001', redacted: 'ei_1234…' };
const tracked: StateKey[] = [
  { address: 'apikeys_openai_admin_key.admin_0', id: 'key_a', secret: 'sk-admin-right' },
  { address: 'apikeys_edgeimpulse_organization_key.ei_0', id: '1001', secret: 'ei_right' },
];
const rightSecrets = (_key: VendorKey, secret: string) => secret.endsWith('right');

test('every key live and in state with its right secret, converged: all zero', () => {
  const result = audit({ declared, vendor: [liveAdmin, liveEi], state: tracked, converged: true, secretIsRight: rightSecrets });
  expect(result).toMatchObject({ keys: 2, lost: 0, duplicates: 0, orphans: 0, wrongSecrets: 0, failedToConverge: 0, findings: [] });
  expect(isClean(result)).toBe(true);
});

test('a silent loss then a second key on the next apply: one orphan, one lost, one duplicate', () => {
  const second: VendorKey = { ...liveAdmin, id: 'key_b' };
  const state = [{ ...tracked[0], id: 'key_b' }, tracked[1]];
  const result = audit({ declared, vendor: [liveAdmin, second, liveEi], state, converged: true, secretIsRight: rightSecrets });
  expect(result).toMatchObject({ lost: 1, orphans: 1, duplicates: 1, wrongSecrets: 0 });
  expect(result.findings.join('\n')).toMatch(/orphan: openai_admin org "admin-0" key_a/);
  expect(result.findings.join('\n')).toMatch(/duplicate: openai_admin org "admin-0" has 2 live keys \(key_a, key_b\)/);
});

test('a key in state without its secret is a lost secret, not an orphan', () => {
  const state = [{ ...tracked[0], secret: null }, tracked[1]];
  const result = audit({ declared, vendor: [liveAdmin, liveEi], state, converged: true, secretIsRight: rightSecrets });
  expect(result).toMatchObject({ lost: 1, orphans: 0, duplicates: 0 });
  expect(result.findings).toEqual(['lost secret: openai_admin org "admin-0" key_a is in state as apikeys_openai_admin_key.admin_0 without its secret']);
});

test('a secret that is not the key\'s is a wrong secret, and the finding never shows it', () => {
  const state = [tracked[0], { ...tracked[1], secret: 'ei_swapped' }];
  const result = audit({ declared, vendor: [liveAdmin, liveEi], state, converged: true, secretIsRight: rightSecrets });
  expect(result).toMatchObject({ wrongSecrets: 1, lost: 0, orphans: 0 });
  expect(result.findings.join('\n')).not.toContain('ei_swapped');
});

test('a key revoked at the vendor is no loss; a plan that does not settle is a convergence failure', () => {
  const result = audit({ declared, vendor: [liveEi], state: [tracked[1]], converged: false, secretIsRight: rightSecrets });
  expect(result).toMatchObject({ lost: 0, orphans: 0, duplicates: 0, failedToConverge: 1 });
  expect(isClean(result)).toBe(false);
});

test('counts add up over trials', () => {
  const one = { keys: 16, lost: 1, duplicates: 2, orphans: 3, wrongSecrets: 4, failedToConverge: 1 };
  expect(addCounts(addCounts(ZERO_COUNTS, one), one)).toEqual({ keys: 32, lost: 2, duplicates: 4, orphans: 6, wrongSecrets: 8, failedToConverge: 2 });
});
