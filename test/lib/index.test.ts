import * as library from '../../lib';
import { ApiKeysError, ManifestError, PropsValidationError } from '../../src/core/errors';

describe('the library\'s public API', () => {
  test('offers the constructs, the bindings, the manifest, the registry and the errors', () => {
    for (const name of [
      'OpenAiOrganization', 'EdgeImpulseOrganization', 'AtlasOrganization', 'stackProvider', 'STACK_PROVIDER_ID',
      'ApikeysProvider', 'OpenaiAdminKey', 'OpenaiProjectKey', 'EdgeimpulseOrganizationKey', 'AtlasOrganizationKey', 'DataApikeysOrganizationKeys',
      'loadManifestFile', 'parseManifest', 'ManifestKeys', 'FAMILIES', 'VENDORS',
      'ApiKeysError', 'ManifestError', 'PropsValidationError',
    ]) expect({ name, exported: name in library }).toEqual({ name, exported: true });
    expect(library.ManifestError).toBe(ManifestError);
    expect(library.PropsValidationError).toBe(PropsValidationError);
    expect(library.ApiKeysError).toBe(ApiKeysError);
  });

  test('keeps internal helpers to itself', () => {
    for (const name of [
      'ProblemCollector', 'terraformName', 'stableAddress', 'quoteForMessage', 'sharedOutputNameClashes', 'projectKeySubject',
      'checkAddressesFree', 'claimAddresses', 'keyClaims', 'connectOrganization', 'addUndeclaredKeysCheck', 'addSecretOutputs', 'checkSecretOutputs',
      'ruled', 'keyName', 'credentialEnv', 'manifestSchema', 'formatIssue', 'CONTROL_CHARACTER', 'ATLAS_KEY_NAME_RULES',
      'OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS', 'OPENAI_PROJECT_ID_PATTERN', 'EDGE_IMPULSE_KEY_ROLES', 'ATLAS_ORG_ROLES',
    ]) expect({ name, exported: name in library }).toEqual({ name, exported: false });
  });
});
