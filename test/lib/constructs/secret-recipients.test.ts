/**
 * secretRecipients in the constructs: a key's own recipients, else its
 * organization's, become the resource's secret_recipients, and its secret
 * output then holds encrypted_secret; keys without recipients are unchanged.
 */
import { AtlasOrganization } from '../../../lib/constructs/atlas/organization';
import { EdgeImpulseOrganization } from '../../../lib/constructs/edgeimpulse/organization';
import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import { parseManifest } from '../../../lib/manifest/loader';
import { synthStack } from '../../support/lib';

const ALICE = 'age1uxfjfkrz0vk4aayj878fuv7pvtpk00z8v9kwpd2p67crmaz8dpaqmu6l4c';
const BOB = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

test('the organization\'s recipients are every key\'s default; a key\'s own override them; outputs hold encrypted_secret', () => {
  const json = synthStack((stack) => {
    new OpenAiOrganization(stack, 'acme', {
      secretRecipients: [ALICE],
      adminKeys: [{ name: 'ci' }, { name: 'ops', secretRecipients: [BOB] }],
      projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc' }] }],
    });
    new EdgeImpulseOrganization(stack, 'edge', { organizationId: 1, apiKeyEnv: 'EDGE_EI_API_KEY', keys: [{ name: 'sealed', role: 'admin', secretRecipients: [ALICE] }, { name: 'plain', role: 'member' }] });
    new AtlasOrganization(stack, 'atlas', { organizationId: '5980cfc70b6d97029d82e3f6', secretRecipients: [BOB], keys: [{ name: 'ci', roles: ['ORG_MEMBER'] }] });
  });
  const resources = json.resource;
  expect(resources.apikeys_openai_admin_key.acme_ci.secret_recipients).toEqual([ALICE]);
  expect(resources.apikeys_openai_admin_key.acme_ops.secret_recipients).toEqual([BOB]);
  expect(resources.apikeys_openai_project_key.acme_proj_abc_svc.secret_recipients).toEqual([ALICE]);
  expect(resources.apikeys_edgeimpulse_organization_key.edge_sealed.secret_recipients).toEqual([ALICE]);
  expect(resources.apikeys_edgeimpulse_organization_key.edge_plain.secret_recipients).toBeUndefined();
  expect(resources.apikeys_atlas_organization_key.atlas_ci.secret_recipients).toEqual([BOB]);
  // The organization's map (the default) holds each key's encrypted_secret where the key is sealed.
  expect(json.output).toMatchObject({
    acme_secrets: { sensitive: true, value: {
      ci: '${apikeys_openai_admin_key.acme_ci.encrypted_secret}',
      ops: '${apikeys_openai_admin_key.acme_ops.encrypted_secret}',
      proj_abc_svc: '${apikeys_openai_project_key.acme_proj_abc_svc.encrypted_secret}',
    } },
    edge_secrets: { value: {
      sealed: '${apikeys_edgeimpulse_organization_key.edge_sealed.encrypted_secret}',
      plain: '${apikeys_edgeimpulse_organization_key.edge_plain.secret}',
    } },
    atlas_secrets: { value: { ci: '${apikeys_atlas_organization_key.atlas_ci.encrypted_secret}' } },
  });
});

test('the manifest takes secretRecipients on an organization and on a key, the key\'s overriding', () => {
  const manifest = parseManifest([
    'version: 1',
    'organizations:',
    '  - name: acme',
    '    vendor: openai',
    `    secretRecipients: [${ALICE}]`,
    '    adminKeys:',
    '      - name: ci',
    '      - name: ops',
    `        secretRecipients: [${BOB}]`,
  ].join('\n'), 'keys.yaml');
  const organization = manifest.organizations[0] as { secretRecipients?: string[]; adminKeys: { secretRecipients?: string[] }[] };
  expect(organization.secretRecipients).toEqual([ALICE]);
  expect(organization.adminKeys.map((key) => key.secretRecipients)).toEqual([undefined, [BOB]]);
});

test('with outputs: "key", each sealed key\'s own output holds its encrypted_secret', () => {
  const json = synthStack((stack) => {
    new OpenAiOrganization(stack, 'acme', { outputs: 'key', secretRecipients: [ALICE], adminKeys: [{ name: 'ci' }], projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc' }] }] });
    new EdgeImpulseOrganization(stack, 'edge', { outputs: 'key', organizationId: 1, apiKeyEnv: 'EDGE_EI_API_KEY', keys: [{ name: 'plain', role: 'member' }] });
  });
  expect(json.output).toMatchObject({
    acme_ci_secret: { value: '${apikeys_openai_admin_key.acme_ci.encrypted_secret}', sensitive: true },
    acme_proj_abc_svc_secret: { value: '${apikeys_openai_project_key.acme_proj_abc_svc.encrypted_secret}', sensitive: true },
    edge_plain_secret: { value: '${apikeys_edgeimpulse_organization_key.edge_plain.secret}', sensitive: true },
  });
});
