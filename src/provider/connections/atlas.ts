import { ConfigurationError } from '../../errors';
import type { Inventory } from '../../reconcile/inventory';
import { ATLAS_API_VERSIONS, ATLAS_DEFAULT_BASE_URL, ATLAS_TOKEN_PATH, createAtlasHttpClient, type AtlasApiVersion, type AtlasCredentials } from '../../vendors/atlas/client';
import { AtlasOrganizationKeysApi } from '../../vendors/atlas/organization-keys';
import type { AtlasApiKey } from '../../vendors/atlas/types';
import type { ProviderContext } from '../context';
import type { CtyObject } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';
import { oneOf } from '../framework/validators';
import { baseUrlAttribute, checkDerivedUrl, resolveBaseUrl, type BaseUrlSpec } from './base-url';
import { credentialAttributes, resolveCredential, type CredentialSpec, type ResolvedCredential } from './credentials';

/** How the provider reaches MongoDB Atlas: its provider-block settings and the clients built from them. */
export const ATLAS_PUBLIC_KEY: CredentialSpec = {
  attribute: 'atlas_public_key', envAttribute: 'atlas_public_key_env', defaultEnv: 'MONGODB_ATLAS_PUBLIC_KEY', kind: 'atlas_public_key', label: 'MongoDB Atlas programmatic API key (public key)',
};
export const ATLAS_PRIVATE_KEY: CredentialSpec = {
  attribute: 'atlas_private_key', envAttribute: 'atlas_private_key_env', defaultEnv: 'MONGODB_ATLAS_PRIVATE_KEY', kind: 'atlas_private_key', label: 'MongoDB Atlas programmatic API key (private key)',
};
export const ATLAS_CLIENT_ID: CredentialSpec = {
  attribute: 'atlas_client_id', envAttribute: 'atlas_client_id_env', defaultEnv: 'MONGODB_ATLAS_CLIENT_ID', kind: 'atlas_client_id', label: 'MongoDB Atlas service account client id',
};
export const ATLAS_CLIENT_SECRET: CredentialSpec = {
  attribute: 'atlas_client_secret', envAttribute: 'atlas_client_secret_env', defaultEnv: 'MONGODB_ATLAS_CLIENT_SECRET', kind: 'atlas_client_secret', label: 'MongoDB Atlas service account client secret',
};

export const ATLAS_BASE_URL: BaseUrlSpec = {
  attribute: 'atlas_base_url', envName: 'MONGODB_ATLAS_BASE_URL', defaultUrl: ATLAS_DEFAULT_BASE_URL, label: 'MongoDB Atlas base URL, without /api/atlas',
};

export const atlasProviderAttributes: Record<string, AttributeSchema> = {
  ...credentialAttributes(ATLAS_CLIENT_ID),
  ...credentialAttributes(ATLAS_CLIENT_SECRET),
  ...credentialAttributes(ATLAS_PUBLIC_KEY),
  ...credentialAttributes(ATLAS_PRIVATE_KEY),
  ...baseUrlAttribute(ATLAS_BASE_URL, ' The OAuth token endpoint of service accounts is on the same host.'),
  atlas_api_version: {
    type: 'string', optional: true, validators: [oneOf(ATLAS_API_VERSIONS)],
    description: 'Atlas Admin API version: `v2` (default; versioned media type 2023-01-01) or the deprecated `v1.0`.',
  },
};

/**
 * The base URL the operator's policy allows, and the OAuth token URL derived
 * from it (checked too, so a change in how it is derived cannot bypass the
 * policy); a ConfigurationError naming atlas_base_url otherwise.
 */
export function atlasBaseUrl(config: CtyObject, env: NodeJS.ProcessEnv): string {
  const baseUrl = resolveBaseUrl(ATLAS_BASE_URL, config, env);
  checkDerivedUrl(ATLAS_BASE_URL, `${baseUrl.replace(/\/+$/, '')}/${ATLAS_TOKEN_PATH}`, 'the OAuth token URL', env);
  return baseUrl;
}

export const atlasApiVersion = (config: CtyObject): AtlasApiVersion =>
  config.atlas_api_version === 'v1.0' ? 'v1.0' : 'v2';

/**
 * The credential pair to use. A pair the provider block names (its values or
 * its `*_env` settings) wins over one found only through the default
 * environment variables, so an organization configured for a programmatic
 * key is never switched to a service account by a stray MONGODB_ATLAS_CLIENT_ID.
 * Otherwise a service account wins (Atlas recommends them). One half of a
 * pair without the other is an error, found before any vendor call.
 */
export function resolveAtlasCredentials(config: CtyObject, env: NodeJS.ProcessEnv): AtlasCredentials {
  const named = (...specs: CredentialSpec[]) => specs.some((spec) => config[spec.attribute] != null || config[spec.envAttribute] != null);
  const serviceAccountNamed = named(ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET);
  const apiKeyNamed = named(ATLAS_PUBLIC_KEY, ATLAS_PRIVATE_KEY);
  const useServiceAccount = serviceAccountNamed || !apiKeyNamed;
  const useApiKey = apiKeyNamed || !serviceAccountNamed;

  const clientId = resolveCredential(ATLAS_CLIENT_ID, config, env);
  const clientSecret = resolveCredential(ATLAS_CLIENT_SECRET, config, env);
  const publicKey = resolveCredential(ATLAS_PUBLIC_KEY, config, env);
  const privateKey = resolveCredential(ATLAS_PRIVATE_KEY, config, env);
  if (useServiceAccount) checkPair([ATLAS_CLIENT_ID, clientId], [ATLAS_CLIENT_SECRET, clientSecret]);
  if (useApiKey) checkPair([ATLAS_PUBLIC_KEY, publicKey], [ATLAS_PRIVATE_KEY, privateKey]);
  if (useServiceAccount && clientId.value && clientSecret.value) {
    return { kind: 'service-account', clientId: clientId.value, clientSecret: clientSecret.value, source: `${clientId.source}, and ${clientSecret.source}` };
  }
  if (useApiKey && publicKey.value && privateKey.value) {
    return { kind: 'api-key', publicKey: publicKey.value, privateKey: privateKey.value, source: `${publicKey.source}, and ${privateKey.source}` };
  }
  throw new ConfigurationError(
    'no MongoDB Atlas credentials are configured',
    useServiceAccount ? ATLAS_CLIENT_ID.attribute : ATLAS_PUBLIC_KEY.attribute,
    `Set ${[
      useServiceAccount ? `a service account (${clientId.source}; ${clientSecret.source})` : undefined,
      useApiKey ? `a programmatic API key (${publicKey.source}; ${privateKey.source})` : undefined,
    ].filter(Boolean).join(' or ')}. Nothing was sent to the vendor.`,
  );
}

function checkPair(first: [CredentialSpec, ResolvedCredential], second: [CredentialSpec, ResolvedCredential]): void {
  const [present, missing] = first[1].value && !second[1].value ? [first, second] : !first[1].value && second[1].value ? [second, first] : [];
  if (!present || !missing) return;
  throw new ConfigurationError(
    `the ${missing[0].label} is missing, but the ${present[0].label} is set`,
    missing[0].attribute,
    `Set ${missing[1].source}, or unset the ${present[0].label} (${present[1].source}). Nothing was sent to the vendor.`,
  );
}

export interface AtlasProviderConnection {
  readonly keys: AtlasOrganizationKeysApi;
  /** One listing of an organization's keys, shared by every resource of this process. */
  inventory(organizationId: string): Inventory<AtlasApiKey>;
}

/** Atlas clients; throws a ConfigurationError, before any request, when the credentials are missing or half set. */
export function atlas(context: ProviderContext): AtlasProviderConnection {
  return context.memo('atlas', () => {
    // The destination is checked first: a refused host fails even when no credential is set.
    const baseUrl = atlasBaseUrl(context.config, context.env);
    const credentials = resolveAtlasCredentials(context.config, context.env);
    const apiVersion = atlasApiVersion(context.config);
    const keys = new AtlasOrganizationKeysApi(createAtlasHttpClient({ baseUrl, apiVersion, credentials, ...context.transport }), { apiVersion });
    return {
      keys,
      inventory: (organizationId) =>
        context.inventories.get(`atlas:${baseUrl}:${organizationId}:apiKeys`, () => keys.list(organizationId), (key) => key.id),
    };
  });
}
