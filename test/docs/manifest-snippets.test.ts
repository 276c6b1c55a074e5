import { parseManifest } from '../../lib/manifest/loader';
import { codeBlocks } from './markdown';

/**
 * Every manifest in the README and docs (```yaml blocks with `organizations:`) is one the
 * loader accepts; a page may show only the organizations part, so `version: 1` is added when
 * missing. A field the schema no longer has (or a typo) fails here with file:line.
 */
const MANIFESTS = codeBlocks('yaml').filter((snippet) => /^organizations:/m.test(snippet.text));

describe('manifests shown in the README and docs', () => {
  test('there are some', () => {
    expect(MANIFESTS.map((snippet) => snippet.where.split(':')[0])).toEqual(expect.arrayContaining(['README.md', 'docs/resources/atlas_organization_key.md']));
  });

  test.each(MANIFESTS.map((snippet) => [snippet.where, snippet.text]))('%s is a valid manifest', (where, text) => {
    const manifest = /^version:/m.test(text) ? text : `version: 1\n${text}`;
    expect(() => parseManifest(manifest, where)).not.toThrow();
  });

  test('the check can fail: a misspelt field is reported, with the field meant', () => {
    const misspelt = MANIFESTS[0].text.replace(/^version: 1\n/m, '').replace('adminKeyEnv:', 'adminKeyEvn:');
    expect(misspelt).toContain('adminKeyEvn:');
    expect(() => parseManifest(`version: 1\n${misspelt}`)).toThrow(/Unrecognized key: "adminKeyEvn"; did you mean "adminKeyEnv"\?/);
  });
});
