/** cdktf-apikeys: constructs and bindings for managing vendor API keys as code. */
export * from './bindings';
export * from './constructs/openai-organization';
export * from './constructs/edgeimpulse-organization';
export * from './constructs/atlas-organization';
export * from './constructs/undeclared-keys';
export * from './constructs/validation';
export * from './manifest/schema';
export * from './manifest/loader';
export * from './manifest/manifest-keys';
