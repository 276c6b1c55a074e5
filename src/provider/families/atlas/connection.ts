import { ConfigurationError } from '../../../core/errors';
import { ATLAS, type AtlasApiVersion } from '../../../core/facts/atlas';
import type { Inventory } from '../../../reconcile/inventory';
import { createAtlasHttpClient, type AtlasCredentials } from '../../../vendors/atlas/client';
import { AtlasOrganizationKeysApi } from '../../../vendors/atlas/organization-keys';
import type { AtlasApiKey } from '../../../vendors/atlas/types';
import { couldBeRedactedFormOf } from '../../../core/security/redacted-forms';
import { checkDerivedUrl, resolveBaseUrl } from '../../connections/base-url';
import type { ConnectionSettings, CredentialInUse, VendorConnection } from '../../connections/connection';
import { credentialSpec, envSetting, resolveCredential, type CredentialSpec, type ResolvedCredential } from '../../connections/credentials';

const PUBLIC_KEY = credentialSpec(ATLAS, 'public_key');
const PRIVATE_KEY = credentialSpec(ATLAS, 'private_key');
const CLIENT_ID = credentialSpec(ATLAS, 'client_id');
const CLIENT_SECRET = credentialSpec(ATLAS, 'client_secret');
const API_VERSION = 'api_version';
const LAST_USED = 'last_used';

/**
 * The base URL the operator's policy allows, and the OAuth token URL derived
 * from it (checked too, so a change in how it is derived cannot bypass the
 * policy); a ConfigurationError naming the base_url setting otherwise.
 */
export function atlasBaseUrl(settings: ConnectionSettings, env: NodeJS.ProcessEnv): string {
  const baseUrl = resolveBaseUrl(settings, env);
  checkDerivedUrl(settings, `${baseUrl.replace(/\/+$/, '')}/${ATLAS.tokenPath}`, 'the OAuth token URL', env);
  return baseUrl;
}

/** The connection's api_version, else (for a labelled block) the provider's atlas_api_version; v2 by default. */
export const atlasApiVersion = (settings: ConnectionSettings): AtlasApiVersion =>
  settings.inherited(API_VERSION).value === 'v1.0' ? 'v1.0' : 'v2';

/**
 * The credential pair to use. A pair the connection names (its values or
 * its `*_env` settings) wins over one found only through the default
 * environment variables, so an organization configured for a programmatic
 * key is never switched to a service account by a stray MONGODB_ATLAS_CLIENT_ID.
 * Otherwise a service account wins (Atlas recommends them). One half of a
 * pair without the other is an error, found before any vendor call.
 */
export function resolveAtlasCredentials(settings: ConnectionSettings, env: NodeJS.ProcessEnv): AtlasCredentials & { inUse: CredentialInUse } {
  const named = (...specs: CredentialSpec[]) => specs.some((spec) => settings.value(spec.name) !== null || settings.value(envSetting(spec)) !== null);
  const serviceAccountNamed = named(CLIENT_ID, CLIENT_SECRET);
  const apiKeyNamed = named(PUBLIC_KEY, PRIVATE_KEY);
  const useServiceAccount = serviceAccountNamed || !apiKeyNamed;
  const useApiKey = apiKeyNamed || !serviceAccountNamed;

  const clientId = resolveCredential(CLIENT_ID, settings, env);
  const clientSecret = resolveCredential(CLIENT_SECRET, settings, env);
  const publicKey = resolveCredential(PUBLIC_KEY, settings, env);
  const privateKey = resolveCredential(PRIVATE_KEY, settings, env);
  if (useServiceAccount) checkPair(settings, [CLIENT_ID, clientId], [CLIENT_SECRET, clientSecret]);
  if (useApiKey) checkPair(settings, [PUBLIC_KEY, publicKey], [PRIVATE_KEY, privateKey]);
  if (useServiceAccount && clientId.value && clientSecret.value) {
    return {
      kind: 'service-account', clientId: clientId.value, clientSecret: clientSecret.value, source: `${clientId.source}, and ${clientSecret.source}`,
      // A service account is not an API key: no listed key can be it.
      inUse: { what: 'service account', holder: `${clientId.holder} and ${clientSecret.holder}`, resembles: () => false },
    };
  }
  if (useApiKey && publicKey.value && privateKey.value) {
    return {
      kind: 'api-key', publicKey: publicKey.value, privateKey: privateKey.value, source: `${publicKey.source}, and ${privateKey.source}`,
      inUse: {
        what: 'programmatic API key', holder: `${publicKey.holder} and ${privateKey.holder}`,
        resembles: (shown) => shown.publicKey === publicKey.value || couldBeRedactedFormOf(shown.redacted, privateKey.value!),
      },
    };
  }
  throw new ConfigurationError(
    `no MongoDB Atlas credentials are configured${settings.label === undefined ? '' : ` for ${settings.describe()}`}`,
    settings.attribute((useServiceAccount ? CLIENT_ID : PUBLIC_KEY).name),
    `Set ${[
      useServiceAccount ? `a service account (${clientId.source}; ${clientSecret.source})` : undefined,
      useApiKey ? `a programmatic API key (${publicKey.source}; ${privateKey.source})` : undefined,
    ].filter(Boolean).join(' or ')}. Nothing was sent to the vendor.`,
  );
}

function checkPair(settings: ConnectionSettings, first: [CredentialSpec, ResolvedCredential], second: [CredentialSpec, ResolvedCredential]): void {
  const [present, missing] = first[1].value && !second[1].value ? [first, second] : !first[1].value && second[1].value ? [second, first] : [];
  if (!present || !missing) return;
  throw new ConfigurationError(
    `the ${missing[0].label} is missing, but the ${present[0].label} is set`,
    settings.attribute(missing[0].name),
    `Set ${missing[1].source}, or unset the ${present[0].label} (${present[1].source}). Nothing was sent to the vendor.`,
  );
}

/** The clients of one Atlas connection (a programmatic key or a service account). */
export interface AtlasClients {
  readonly keys: AtlasOrganizationKeysApi;
  /** One listing of an organization's keys, shared by every resource of this process. */
  inventory(organizationId: string): Inventory<AtlasApiKey>;
  /** Whether reads ask each key's access list for its last use (the connection's `last_used`): one more request per key. */
  readonly lastUsed: boolean;
}

/** How the provider reaches MongoDB Atlas: a credential pair, a base URL and an API version per connection. */
export const atlasConnection: VendorConnection<AtlasClients> = {
  facts: ATLAS,
  baseUrlNote: ' Without /api/atlas. The OAuth token endpoint of service accounts is on the same host.',
  extraAttributes: {
    [API_VERSION]: {
      type: 'string', optional: true, validators: ATLAS.rules.apiVersion,
      description: 'Atlas Admin API version: `v2` (default; versioned media type 2023-01-01) or the deprecated `v1.0`.',
    },
    [LAST_USED]: {
      type: 'bool', optional: true,
      description: 'Read each key\'s last use (`last_used_at`) from its IP access list: Atlas records use nowhere else, so this costs one more request per key ' +
        'at every refresh. Keys without access-list entries have no usage data. Default false.',
    },
  },
  connect(settings, context) {
    // The destination is checked first: a refused host fails even when no credential is set.
    const baseUrl = atlasBaseUrl(settings, context.env);
    const { inUse, ...credentials } = resolveAtlasCredentials(settings, context.env);
    const apiVersion = atlasApiVersion(settings);
    const keys = new AtlasOrganizationKeysApi(createAtlasHttpClient({ baseUrl, apiVersion, credentials, ...context.transport }), { apiVersion });
    return {
      credential: inUse,
      clients: {
        keys,
        inventory: (organizationId) =>
          context.inventories.get(`${settings.key}:${organizationId}:apiKeys`, () => keys.list(organizationId), (key) => key.id),
        lastUsed: settings.inherited(LAST_USED).value === true,
      },
    };
  },
};
