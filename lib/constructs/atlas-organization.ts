import { Token, type TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { ATLAS_API_VERSIONS, ATLAS_ID_PATTERN, ATLAS_KEY_DESCRIPTION_MAX, ATLAS_ORG_ROLES } from '../../src/vendors/atlas/constants';
import { AtlasOrganizationKey } from '../bindings/atlas-organization-key';
import { ApikeysProvider } from '../bindings/provider';
import { addSecretOutput } from './secret-output';
import { addUndeclaredKeysCheck, type UndeclaredKeysOptions } from './undeclared-keys';
import { checkAddressesFree, claimAddresses, keyClaims, type AddressClaim } from './address-registry';
import { ProblemCollector, quoteForMessage, stableAddress, terraformName } from './validation';
import type { CredentialKind } from '../../src/security/policy';

export { ATLAS_API_VERSIONS, ATLAS_KEY_DESCRIPTION_MAX, ATLAS_ORG_ROLES };

/** A programmatic API key (HTTP Digest): the environment variables that hold its two halves at deploy time. */
export interface AtlasApiKeyAuth {
  readonly publicKeyEnv: string;
  readonly privateKeyEnv: string;
}

/** A service account (OAuth 2 client credentials): the environment variables that hold its id and secret. */
export interface AtlasServiceAccountAuth {
  readonly clientIdEnv: string;
  readonly clientSecretEnv: string;
}

export type AtlasAuth = AtlasApiKeyAuth | AtlasServiceAccountAuth;

export interface AtlasOrganizationKeyProps {
  /** Logical name: names the construct, its address and its secret output; unique within the organization. */
  readonly name: string;
  /** Description at Atlas, 1..250 characters. @default - the name */
  readonly description?: string;
  /** Organization roles, at least one: ORG_OWNER, ORG_MEMBER, ORG_GROUP_CREATOR, ORG_BILLING_ADMIN, ORG_BILLING_READ_ONLY, ORG_READ_ONLY, ORG_STREAM_PROCESSING_ADMIN. */
  readonly roles: readonly string[];
}

export interface AtlasOrganizationProps extends UndeclaredKeysOptions {
  /** The organization's id, 24 hexadecimal digits. */
  readonly organizationId: string;
  /**
   * Which environment variables hold the credential at deploy time: a
   * programmatic API key or a service account (never the values).
   * @default - the provider's defaults: MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET when set, else MONGODB_ATLAS_PUBLIC_KEY/MONGODB_ATLAS_PRIVATE_KEY
   */
  readonly auth?: AtlasAuth;
  /** Atlas base URL. @default - $MONGODB_ATLAS_BASE_URL, else https://cloud.mongodb.com */
  readonly baseUrl?: string;
  /** Atlas Admin API version. @default "v2" */
  readonly apiVersion?: 'v2' | 'v1.0';
  /** The keys this organization should have. @default - none */
  readonly keys?: readonly AtlasOrganizationKeyProps[];
  /** A provider configuration to use instead of creating one. @default - a provider aliased after this construct's id */
  readonly provider?: ApikeysProvider;
}

const AUTH_CREDENTIAL_KINDS: Record<keyof AtlasApiKeyAuth | keyof AtlasServiceAccountAuth, CredentialKind> = {
  publicKeyEnv: 'atlas_public_key', privateKeyEnv: 'atlas_private_key', clientIdEnv: 'atlas_client_id', clientSecretEnv: 'atlas_client_secret',
};

const isApiKeyAuth = (auth: AtlasAuth): auth is AtlasApiKeyAuth => 'publicKeyEnv' in auth || 'privateKeyEnv' in auth;

function checkAuth(problems: ProblemCollector, auth: AtlasAuth | undefined): void {
  if (auth === undefined) return;
  const fields = auth as Partial<AtlasApiKeyAuth & AtlasServiceAccountAuth>;
  const apiKey = fields.publicKeyEnv !== undefined || fields.privateKeyEnv !== undefined;
  const serviceAccount = fields.clientIdEnv !== undefined || fields.clientSecretEnv !== undefined;
  if (apiKey === serviceAccount) {
    problems.check(false, 'auth must be either { publicKeyEnv, privateKeyEnv } (a programmatic API key) or { clientIdEnv, clientSecretEnv } (a service account), not both or neither.');
    return;
  }
  const names: (keyof AtlasApiKeyAuth | keyof AtlasServiceAccountAuth)[] = apiKey ? ['publicKeyEnv', 'privateKeyEnv'] : ['clientIdEnv', 'clientSecretEnv'];
  for (const name of names) {
    problems.check(fields[name] !== undefined, `auth.${name} is missing: name the environment variable that holds it.`);
    problems.credentialEnv(`auth.${name}`, AUTH_CREDENTIAL_KINDS[name], fields[name]);
  }
}

function checkKey(problems: ProblemCollector, key: AtlasOrganizationKeyProps, index: number): void {
  const field = `keys[${index}]`;
  const description = key.description ?? key.name;
  problems.printableText(`${field}.description`, key.description);
  if (!Token.isUnresolved(description)) {
    problems.check(description.length >= 1 && description.length <= ATLAS_KEY_DESCRIPTION_MAX,
      `${field}.description must be 1 to ${ATLAS_KEY_DESCRIPTION_MAX} characters (it has ${description.length}${key.description === undefined ? '; it defaults to the name' : ''}).`);
  }
  if (Token.isUnresolved(key.roles)) return;
  problems.check(key.roles.length > 0, `${field}.roles must hold at least one organization role.`);
  const unknown = key.roles.filter((role) => !Token.isUnresolved(role) && !(ATLAS_ORG_ROLES as readonly string[]).includes(role));
  problems.check(unknown.length === 0, `${field}.roles contains ${unknown.map((role) => quoteForMessage(role)).join(', ')}; allowed values are ${ATLAS_ORG_ROLES.join(', ')}.`);
}

/**
 * The desired programmatic API keys of one MongoDB Atlas organization: one
 * resource per key (address `apikeys_atlas_organization_key.<id>_<key name>`),
 * one sensitive output per private key (`<id>_<key name>_secret`). Both names
 * depend only on the organization id and the key name, so moving constructs
 * around never replaces a key; description and roles change in place.
 */
export class AtlasOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The key resources, by key name. */
  readonly keys: Readonly<Record<string, AtlasOrganizationKey>> = {};
  /** The secret outputs, by key name. */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};

  constructor(scope: Construct, id: string, props: AtlasOrganizationProps) {
    super(scope, id);
    const keys = props.keys ?? [];
    const problems = new ProblemCollector();
    if (!Token.isUnresolved(props.organizationId)) {
      problems.check(typeof props.organizationId === 'string' && ATLAS_ID_PATTERN.test(props.organizationId),
        `organizationId must be 24 lower-case hexadecimal digits such as 5980cfc70b6d97029d82e3f6 (got ${quoteForMessage(props.organizationId)}).`);
    }
    checkAuth(problems, props.auth);
    problems.url('baseUrl', props.baseUrl);
    if (props.apiVersion !== undefined) {
      problems.check((ATLAS_API_VERSIONS as readonly string[]).includes(props.apiVersion), `apiVersion must be "v2" or "v1.0" (got ${quoteForMessage(props.apiVersion)}).`);
    }
    // No length limit of its own: a name that is also the description is checked as one (checkKey).
    problems.uniqueNames('keys', keys.map((key) => key.name));
    problems.namesOrIds('ignoreUndeclaredNames', props.ignoreUndeclaredNames ?? [], ATLAS_KEY_DESCRIPTION_MAX);
    problems.namesOrIds('ignoreUndeclared', props.ignoreUndeclared ?? [], ATLAS_KEY_DESCRIPTION_MAX);
    keys.forEach((key, index) => checkKey(problems, key, index));
    const claims: AddressClaim[] = [
      ...(props.provider === undefined ? [{ address: `provider apikeys.${terraformName(id)}`, source: 'its provider alias' }] : []),
      ...keys.filter((key) => !Token.isUnresolved(key.name)).flatMap((key, index) =>
        keyClaims(AtlasOrganizationKey.tfResourceType, stableAddress(id, key.name), `keys[${index}] ${quoteForMessage(key.name)}`)),
    ];
    checkAddressesFree(this, claims, problems);
    problems.throwIfAny(`AtlasOrganization "${id}"`);
    claimAddresses(this, claims);

    const auth = props.auth;
    this.provider = props.provider ?? new ApikeysProvider(this, 'provider', {
      alias: terraformName(id),
      atlasBaseUrl: props.baseUrl,
      atlasApiVersion: props.apiVersion,
      ...(auth === undefined ? {} : isApiKeyAuth(auth)
        ? { atlasPublicKeyEnv: auth.publicKeyEnv, atlasPrivateKeyEnv: auth.privateKeyEnv }
        : { atlasClientIdEnv: auth.clientIdEnv, atlasClientSecretEnv: auth.clientSecretEnv }),
    });
    for (const key of keys) {
      const resource = new AtlasOrganizationKey(this, `key_${terraformName(key.name)}`, {
        provider: this.provider, organizationId: props.organizationId, description: key.description ?? key.name, roles: [...new Set(key.roles)],
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.keys as Record<string, AtlasOrganizationKey>)[key.name] = resource;
      (this.secretOutputs as Record<string, TerraformOutput>)[key.name] = addSecretOutput(
        this, id, key.name, resource.secret, `Private key of Atlas organization key "${key.name}" of organization ${id}`,
      );
    }
    addUndeclaredKeysCheck(this, 'undeclared_keys', {
      options: props,
      provider: this.provider,
      family: 'atlas_organization_key',
      organizationId: props.organizationId,
      // Atlas shows a key by its description, which defaults to the key's name.
      declaredKeys: keys.map((key) => ({ resource: this.keys[key.name], name: key.description ?? key.name })),
      label: `Atlas organization ${id}`,
    });
  }
}
