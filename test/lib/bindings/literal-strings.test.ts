import { Token, TerraformVariable } from 'cdktf';
import { AtlasOrganizationKey } from '../../../lib/bindings/atlas-organization-key';
import { containsTokenMarker, escapeTemplateSequences } from '../../../lib/bindings/literal-strings';
import { OpenaiAdminKey } from '../../../lib/bindings/openai-admin-key';
import { DataApikeysOrganizationKeys } from '../../../lib/bindings/organization-keys';
import { ApikeysProvider } from '../../../lib/bindings/provider';
import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import { synthStack } from '../../support/lib';

const INJECTION = 'x-${file("/etc/hostname")} %{ if true }y%{ endif }';
const ESCAPED = 'x-$${file("/etc/hostname")} %%{ if true }y%%{ endif }';

describe('every string a binding synthesizes is a literal', () => {
  test('escapeTemplateSequences doubles the sigil of ${ and %{ only', () => {
    expect(escapeTemplateSequences(INJECTION)).toBe(ESCAPED);
    expect(escapeTemplateSequences('$ { } % {} $$ 100%')).toBe('$ { } % {} $$ 100%');
    expect(escapeTemplateSequences('${${')).toBe('$${$${');
  });

  test.each([false, true])('resources, data sources and the provider escape strings and string lists (HCL output: %s)', (hcl) => {
    const json = synthStack((stack) => {
      const provider = new ApikeysProvider(stack, 'p', { alias: 'acme', openaiBaseUrl: 'https://x/${var.y}', openaiAdminKeyEnv: 'A_OPENAI_ADMIN_KEY' });
      new OpenaiAdminKey(stack, 'ci', { provider, name: INJECTION });
      new AtlasOrganizationKey(stack, 'k', { provider, organizationId: '5980cfc70b6d97029d82e3f6', description: INJECTION, roles: ['%{ x }'] });
      new DataApikeysOrganizationKeys(stack, 'list', { provider, family: 'openai_admin_key', managedNames: ['a', INJECTION] });
    }, { hcl });
    const text = JSON.stringify(json);
    if (hcl) {
      // HCL output is a rendered document: the escapes are in the text.
      expect(text).toContain(JSON.stringify(ESCAPED).slice(1, -1));
      expect(text).not.toContain(JSON.stringify(INJECTION).slice(1, -1));
      return;
    }
    expect(json.resource.apikeys_openai_admin_key.ci.name).toBe(ESCAPED);
    expect(json.resource.apikeys_atlas_organization_key.k).toMatchObject({ description: ESCAPED, roles: ['%%{ x }'] });
    expect(json.data.apikeys_organization_keys.list.managed_names).toEqual(['a', ESCAPED]);
    expect(json.provider.apikeys[0].openai_base_url).toBe('https://x/$${var.y}');
  });

  test('references keep working; literal text around them stays literal', () => {
    const json = synthStack((stack) => {
      const first = new OpenaiAdminKey(stack, 'first', { name: 'first' });
      const variable = new TerraformVariable(stack, 'suffix', { type: 'string' });
      new OpenaiAdminKey(stack, 'plain_ref', { name: first.keyId });
      new OpenaiAdminKey(stack, 'mixed', { name: `pre-\${a}-${first.keyId}-%{b}` });
      new OpenaiAdminKey(stack, 'dollar', { name: `cost $${variable.stringValue}` });
      new OpenaiAdminKey(stack, 'opened', { name: `x-\${${first.keyId}}` });
      new OpenaiAdminKey(stack, 'numbers', { name: 'n', expiresInSeconds: Token.asNumber(first.createdAt) });
      new DataApikeysOrganizationKeys(stack, 'list', { family: 'openai_admin_key', managedNames: Token.asList(first.keyId) });
    }, { validate: false }); // no provider construct: bindings alone
    const names = json.resource.apikeys_openai_admin_key;
    expect(names.plain_ref.name).toBe('${apikeys_openai_admin_key.first.id}');
    // Inside a string with references cdktf reads a literal ${ as a hand-written expression, so it is written ${"$"}{.
    expect(names.mixed.name).toBe('pre-${"$"}{a}-${apikeys_openai_admin_key.first.id}-%%{b}');
    // A literal $ right before a reference would read as the escape $${.
    expect(names.dollar.name).toBe('cost ${"$"}${var.suffix}');
    expect(names.opened.name).toBe('x-${"$"}{${apikeys_openai_admin_key.first.id}}');
    expect(names.numbers.expires_in_seconds).toBe('${apikeys_openai_admin_key.first.created_at}');
    expect(json.data.apikeys_organization_keys.list.managed_names).toBe('${apikeys_openai_admin_key.first.id}');
  });

  test('check blocks hold no user text; the label reaches the listing as an escaped literal', () => {
    const json = synthStack((stack) => new OpenAiOrganization(stack, 'a${b}', { adminKeyEnv: 'A_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'k' }] }));
    const [check] = Object.values(json.check as Record<string, { assert: { error_message: string }[] }>);
    expect(check.assert[0].error_message).toMatch(/^\$\{join\("\\n", data\.apikeys_organization_keys\.[A-Za-z0-9_]+\.messages\)\}$/);
    const [listing] = Object.values(json.data.apikeys_organization_keys as Record<string, { label: string }>);
    expect(listing.label).toBe('OpenAI organization a$${b} (admin keys)');
  });

  test.each([
    ['${TfToken[TOKEN.1]}', true],
    ['x #{TfToken[TOKEN.2]} y', true],
    ['&{TfToken[TOKEN.3]}', true],
    [`id-${String(Token.asNumber({ resolve: () => 1 }))}`, true],
    ['${file("/etc/passwd")}', false],
    ['1e5 and -1.5e+10', false],
    ['TfToken', false],
  ])('containsTokenMarker(%j) is %s', (text, expected) => {
    expect(containsTokenMarker(text)).toBe(expected);
  });
});
