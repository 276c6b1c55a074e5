import * as library from '../../lib';
import { ApiKeysError, ManifestError, PropsValidationError } from '../../src/core/errors';

/**
 * The library's public API, as a JavaScript user sees it: exactly these runtime
 * exports. An export added by accident (an internal helper through `export *`)
 * fails this test as surely as a missing one; add a deliberate one here.
 */
const PUBLIC_API = [
  // The constructs, one per key family, and the stack's provider.
  'OpenAiOrganization', 'EdgeImpulseOrganization', 'AtlasOrganization', 'stackProvider', 'STACK_PROVIDER_ID',
  // The provider bindings.
  'ApikeysProvider', 'OpenaiAdminKey', 'OpenaiProjectKey', 'EdgeimpulseOrganizationKey', 'AtlasOrganizationKey', 'DataApikeysOrganizationKeys', 'ExclusiveKeys',
  // The manifest and the registry.
  'loadManifestFile', 'parseManifest', 'ManifestKeys', 'FAMILIES', 'VENDORS',
  // The errors.
  'ApiKeysError', 'ManifestError', 'PropsValidationError',
];

describe('the library\'s public API', () => {
  test('exports exactly the constructs, the bindings, the manifest, the registry and the errors: no internal helper', () => {
    expect(Object.keys(library).sort()).toEqual([...PUBLIC_API].sort());
  });

  test('its errors are the ground floor\'s, so instanceof works across the library and the provider', () => {
    expect(library.ManifestError).toBe(ManifestError);
    expect(library.PropsValidationError).toBe(PropsValidationError);
    expect(library.ApiKeysError).toBe(ApiKeysError);
  });
});
