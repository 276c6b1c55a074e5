import { VENDOR_FACTS } from '../../../src/core/facts';
import { FAMILIES, VENDORS } from '../../../lib/families';
import { manifestJsonSchema } from '../../../lib/manifest/json-schema';
import { manifestIssues } from '../../support/lib';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON Schema documents, read loosely

describe('the library\'s family registry', () => {
  test('lists every vendor of the facts registry once, in the same order', () => {
    expect(VENDORS).toEqual(VENDOR_FACTS.map((facts) => facts.vendor));
  });

  test('each family\'s manifest schema is the union member for its vendor', () => {
    const members = (manifestJsonSchema() as Schema).properties.organizations.items.oneOf as Schema[];
    expect(members.map((member) => member.properties.vendor.const)).toEqual(FAMILIES.map((family) => family.vendor));
  });

  test('an unknown vendor is named with the registry\'s vendors', () => {
    expect(manifestIssues('version: 1\norganizations:\n  - name: acme\n    vendor: stripe\n')).toEqual([
      expect.stringMatching(new RegExp(`organizations\\[0\\](\\.vendor)?: vendor must be one of: ${VENDORS.join(', ')}$`)),
    ]);
  });

  test('each family reads the keys of an unvalidated organization, with what their Terraform names are made of', () => {
    const [openai, edge, atlas] = FAMILIES;
    expect(openai.declaredKeys({ adminKeys: [{ name: 'ci' }, { nope: 1 }], projects: [{ id: 'proj_a', keys: [{ name: 'svc' }] }, { keys: [{ name: 'x' }] }] })).toEqual([
      { path: ['adminKeys', 0, 'name'], resourceType: 'apikeys_openai_admin_key', name: 'ci', subject: 'ci' },
      { path: ['projects', 0, 'keys', 0, 'name'], resourceType: 'apikeys_openai_project_key', name: 'svc', subject: 'proj_a_svc' },
    ]);
    expect(edge.declaredKeys({ keys: [{ name: 'ci' }] })).toEqual([{ path: ['keys', 0, 'name'], resourceType: 'apikeys_edgeimpulse_organization_key', name: 'ci', subject: 'ci' }]);
    expect(atlas.declaredKeys({ keys: 'not a list' })).toEqual([]);
  });
});
