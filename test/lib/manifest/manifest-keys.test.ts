import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import type { IConstruct } from 'constructs';
import { OpenAiOrganization } from '../../../lib/constructs/openai/organization';
import { formatIssue, loadManifestFile, manifestSource, parseManifest } from '../../../lib/manifest/loader';
import { MANIFESTS_METADATA_KEY, ManifestKeys } from '../../../lib/manifest/manifest-keys';
import type { Manifest } from '../../../lib/manifest/schema';
import { connectionOf, synthStack } from '../../support/lib';

const MANIFEST = `version: 1
organizations:
  - name: acme-openai
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY
    adminKeys: [{ name: ci }]
  - name: acme-edge
    vendor: edgeimpulse
    organizationId: 4242
    apiKeyEnv: ACME_EI_API_KEY
    keys: [{ name: ci, role: member }]
  - name: acme-atlas
    vendor: atlas
    organizationId: 5980cfc70b6d97029d82e3f6
    keys: [{ name: ci, roles: [ORG_READ_ONLY] }]
`;

describe('ManifestKeys', () => {
  test('every organization of a manifest, and those declared in code, share the stack\'s one provider configuration', () => {
    const json = synthStack((stack) => {
      const keys = new ManifestKeys(stack, 'keys', { manifest: parseManifest(MANIFEST) });
      expect(Object.keys(keys.organizations)).toEqual(['acme-openai', 'acme-edge', 'acme-atlas']);
      new OpenAiOrganization(stack, 'research', { adminKeyEnv: 'RESEARCH_OPENAI_ADMIN_KEY', adminKeys: [{ name: 'ci' }] });
    });
    expect(json.provider.apikeys).toEqual([{
      openai_connection: { 'acme-openai': { admin_key_env: 'ACME_OPENAI_ADMIN_KEY' }, research: { admin_key_env: 'RESEARCH_OPENAI_ADMIN_KEY' } },
      edgeimpulse_connection: { 'acme-edge': { api_key_env: 'ACME_EI_API_KEY' } },
      atlas_connection: { 'acme-atlas': {} },
    }]);
    expect(connectionOf(json.resource.apikeys_openai_admin_key['acme-openai_ci'])).toBe('acme-openai');
    expect(connectionOf(json.resource.apikeys_openai_admin_key.research_ci)).toBe('research');
    expect(connectionOf(json.resource.apikeys_edgeimpulse_organization_key['acme-edge_ci'])).toBe('acme-edge');
    expect(connectionOf(json.resource.apikeys_atlas_organization_key['acme-atlas_ci'])).toBe('acme-atlas');
  });
});

describe('what ManifestKeys notes in the stack', () => {
  const metadataOf = (manifest: Manifest): unknown => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new ManifestKeys(stack, 'keys', { manifest });
    return (stack.toTerraform() as { '//': { metadata: Record<string, unknown> } })['//'].metadata[MANIFESTS_METADATA_KEY];
  };
  const annotations = (construct: IConstruct) => construct.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => entry.data);

  test('the manifest file it was built from, in the stack metadata (a comment to Terraform); none for parsed text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apikeys-manifest-keys-'));
    try {
      writeFileSync(join(dir, 'keys.yaml'), MANIFEST);
      const file = join(dir, 'keys.yaml');
      // Relative to the app's directory, where synthesis runs (absolute outside it).
      const recorded = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
      expect(metadataOf(loadManifestFile(file))).toEqual({ manifests: { 'test/keys/manifest file': recorded } });
      expect(metadataOf(parseManifest(MANIFEST))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('deprecated fields: a warning with file:line from the loader, shown as a construct warning; the names still ignore', () => {
    const text = MANIFEST.replace('    adminKeys: [{ name: ci }]\n', '    adminKeys: [{ name: ci }]\n    ignoreUndeclaredNames: [pipeline]\n');
    const manifest = parseManifest(text, 'keys.yaml');
    expect(manifestSource(manifest)?.warnings.map(formatIssue)).toEqual([
      '  keys.yaml:7:28: organizations[0].ignoreUndeclaredNames: is deprecated; use ignoreUndeclared, which takes key ids or names (move the names there)',
    ]);
    let keys: ManifestKeys | undefined;
    const json = synthStack((stack) => {
      keys = new ManifestKeys(stack, 'keys', { manifest });
    });
    expect(annotations(keys!)).toEqual(['keys.yaml:7:28: organizations[0].ignoreUndeclaredNames: is deprecated; use ignoreUndeclared, which takes key ids or names (move the names there)']);
    // The organization construct gets the names as ignoreUndeclared: no second warning from it.
    expect(annotations(keys!.organizations['acme-openai'])).toEqual([]);
    const listing = Object.values(json.data.apikeys_organization_keys as Record<string, { ignore: string[]; family: string }>).find((data) => data.family === 'openai_admin_key');
    expect(listing?.ignore).toEqual(['pipeline']);
  });

  test('the manifest compares and serializes as plain data', () => {
    const manifest = parseManifest(MANIFEST);
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(Object.keys(manifest)).toEqual(['version', 'organizations']);
  });
});
