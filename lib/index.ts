/** cdktf-apikeys: constructs and bindings for managing vendor API keys as code. */
import { reportLibraryErrorsCleanly } from './synthesis-errors';

// The provider bindings: the provider (one per stack, with named connections), the resources and the data source.
export * from './bindings';
// The organization constructs, one per key family (listed in ./families.ts, with the registry), and what they share.
export * from './families';
export { STACK_PROVIDER_ID, stackProvider, type OrganizationConnectionProps } from './constructs/connection';
export type { UndeclaredKeysOptions, UndeclaredKeysPolicy } from './constructs/undeclared-keys';
export type { SecretOutputs, SecretOutputsOptions } from './constructs/secret-output';
// The key manifest.
export { loadManifestFile, parseManifest } from './manifest/loader';
export { ManifestKeys, type ManifestKeysProps } from './manifest/manifest-keys';
export type { Manifest, ManifestOrganization } from './manifest/schema';
// Errors: every one is an ApiKeysError with a stable APIKEYS_ERR_* code.
export { ApiKeysError, ManifestError, PropsValidationError, type ManifestIssue } from '../src/core';

// In a synthesis run, this library's errors end the app with their message alone, no stack trace (synthesis-errors.ts).
reportLibraryErrorsCleanly();
