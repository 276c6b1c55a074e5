import { manifestSchema } from '../../../lib/manifest/schema';
import { allowedKeysAt } from '../../../lib/manifest/did-you-mean';
import { manifestIssues } from '../../support/lib';

describe('did-you-mean for unknown manifest keys', () => {
  test('the allowed keys follow the vendor of each organization', () => {
    const input = { version: 1, organizations: [{ vendor: 'openai' }, { vendor: 'atlas', keys: [{}] }] };
    expect(allowedKeysAt(manifestSchema, input, [])).toEqual(['version', 'organizations']);
    expect(allowedKeysAt(manifestSchema, input, ['organizations', 0])).toContain('adminKeyEnv');
    expect(allowedKeysAt(manifestSchema, input, ['organizations', 1])).toContain('auth');
    expect(allowedKeysAt(manifestSchema, input, ['organizations', 1, 'keys', 0])).toEqual(['name', 'description', 'roles', 'rotation', 'secretRecipients']);
    expect(allowedKeysAt(manifestSchema, { organizations: [{ vendor: 'nope' }] }, ['organizations', 0])).toEqual([]);
  });

  test('the loader suggests the closest key, at the line of the object that holds it', () => {
    expect(manifestIssues(`version: 1
organizations:
  - name: acme
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY
    adminKey:
      - name: ci
`)).toEqual(['3:5 organizations[0]: Unrecognized key: "adminKey"; did you mean "adminKeys"?']);
  });

  test('several unknown keys each get their own suggestion, in nested objects too', () => {
    expect(manifestIssues(`version: 1
organizations:
  - name: acme-atlas
    vendor: atlas
    organizationId: 5f1e2d3c4b5a69788796a5b4
    auth: { publicKeyEnv: A_ATLAS_PUBLIC_KEY, privateKeyEnv: A_ATLAS_PRIVATE_KEY }
    keys:
      - name: backup
        role: [ORG_READ_ONLY]
        descripton: nightly
`)).toContain('8:9 organizations[0].keys[0]: Unrecognized keys: "role", "descripton"; did you mean "roles" (for "role"), "description" (for "descripton")?');
  });

  test('no suggestion when nothing is close', () => {
    expect(manifestIssues(`version: 1
organizations:
  - name: acme
    vendor: openai
    colour: blue
`)).toEqual(['3:5 organizations[0]: Unrecognized key: "colour"']);
  });
});
