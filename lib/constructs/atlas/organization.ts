import { Token, type TerraformOutput } from '../../cdk';
import { Construct } from 'constructs';
import { ATLAS, type AtlasApiVersion, notBlank, type CredentialKind } from '../../../src/core';
import { ATLAS_KEY_NAME_RULES } from './name-rules';
import { AtlasOrganizationKey } from '../../bindings/atlas-organization-key';
import type { ApikeysProvider } from '../../bindings/provider';
import { keyClaims } from '../address-registry';
import { connectOrganization, type OrganizationConnectionProps } from '../connection';
import { checkRotations, rotationArgument, secretRecipientsArgument, type KeyLifecycleProps, type OrganizationLifecycleProps } from '../rotation';
import { addSecretOutputs, checkSecretOutputs, secretOutputsClaims, type SecretOutputsOptions } from '../secret-output';
import { addUndeclaredKeysCheck, checkUndeclaredKeysOptions, warnDeprecatedOptions, type UndeclaredKeysOptions } from '../undeclared-keys';
import { ProblemCollector, quoteForMessage, stableAddress, terraformName } from '../validation';

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

export interface AtlasOrganizationKeyProps extends KeyLifecycleProps {
  /** Logical name: names the construct, its address and its secret output; unique within the organization. */
  readonly name: string;
  /** Description at Atlas, 1..250 characters. @default - the name */
  readonly description?: string;
  /** Organization roles, at least one: ORG_OWNER, ORG_MEMBER, ORG_GROUP_CREATOR, ORG_BILLING_ADMIN, ORG_BILLING_READ_ONLY, ORG_READ_ONLY, ORG_STREAM_PROCESSING_ADMIN. */
  readonly roles: readonly string[];
}

export interface AtlasOrganizationProps extends UndeclaredKeysOptions, OrganizationConnectionProps, OrganizationLifecycleProps, SecretOutputsOptions {
  /** The organization's id, 24 hexadecimal digits. */
  readonly organizationId: string;
  /**
   * Which environment variables hold the credential at deploy time: a
   * programmatic API key or a service account (never the values).
   * @default - the provider's defaults: MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET when set, else MONGODB_ATLAS_PUBLIC_KEY/MONGODB_ATLAS_PRIVATE_KEY
   */
  readonly auth?: AtlasAuth;
  /** Atlas base URL. @default - the provider's atlas_base_url, else $MONGODB_ATLAS_BASE_URL, else https://cloud.mongodb.com */
  readonly baseUrl?: string;
  /** Atlas Admin API version. @default "v2" */
  readonly apiVersion?: AtlasApiVersion;
  /** The keys this organization should have. @default - none */
  readonly keys?: readonly AtlasOrganizationKeyProps[];
}

type AuthField = keyof AtlasApiKeyAuth | keyof AtlasServiceAccountAuth;
const AUTH_CREDENTIAL_KINDS: Record<AuthField, CredentialKind> = {
  publicKeyEnv: ATLAS.credentials.public_key.kind,
  privateKeyEnv: ATLAS.credentials.private_key.kind,
  clientIdEnv: ATLAS.credentials.client_id.kind,
  clientSecretEnv: ATLAS.credentials.client_secret.kind,
};

function checkAuth(problems: ProblemCollector, auth: AtlasAuth | undefined): void {
  if (auth === undefined) return;
  const fields = auth as Partial<AtlasApiKeyAuth & AtlasServiceAccountAuth>;
  const apiKey = fields.publicKeyEnv !== undefined || fields.privateKeyEnv !== undefined;
  const serviceAccount = fields.clientIdEnv !== undefined || fields.clientSecretEnv !== undefined;
  if (apiKey === serviceAccount) {
    problems.check(false, 'auth must be either { publicKeyEnv, privateKeyEnv } (a programmatic API key) or { clientIdEnv, clientSecretEnv } (a service account), not both or neither.');
    return;
  }
  const names: AuthField[] = apiKey ? ['publicKeyEnv', 'privateKeyEnv'] : ['clientIdEnv', 'clientSecretEnv'];
  for (const name of names) {
    problems.check(fields[name] !== undefined, `auth.${name} is missing: name the environment variable that holds it.`);
    problems.credentialEnv(`auth.${name}`, AUTH_CREDENTIAL_KINDS[name], fields[name]);
  }
}

function checkKey(problems: ProblemCollector, key: AtlasOrganizationKeyProps, index: number): void {
  const field = `keys[${index}]`;
  if (key.description === undefined) problems.rules(`${field}.name (also its description)`, key.name, ATLAS.rules.keyDescription);
  else problems.text(`${field}.description`, key.description, ATLAS.rules.keyDescription);
  problems.rules(`${field}.roles`, key.roles, ATLAS.rules.roles);
}

/**
 * The desired programmatic API keys of one MongoDB Atlas organization: a
 * connection named after the construct id on the stack's provider, one
 * resource per key (address `apikeys_atlas_organization_key.<id>_<key name>`),
 * and the private keys in one sensitive map output `<id>_secrets` (or, with
 * `outputs: "key"`, one output per key, `<id>_<key name>_secret`). The names
 * depend only on the organization id and the key name, so moving constructs
 * around never replaces a key; description and roles change in place.
 */
export class AtlasOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The name of this organization's connection on the provider (its resources' `connection_name`). */
  readonly connection: string;
  /** The key resources, by key name. */
  readonly keys: Readonly<Record<string, AtlasOrganizationKey>> = {};
  /** The per-key secret outputs, by key name (with `outputs: "key"`). */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};
  /** The map of key name → private key (with `outputs: "organization"`, the default). */
  readonly secretsOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: AtlasOrganizationProps) {
    super(scope, id);
    const keys = props.keys ?? [];
    const problems = new ProblemCollector();
    problems.text('organizationId', props.organizationId, ATLAS.rules.organizationId);
    checkAuth(problems, props.auth);
    problems.url('baseUrl', props.baseUrl);
    problems.rules('apiVersion', props.apiVersion, ATLAS.rules.apiVersion);
    checkSecretOutputs(problems, props.outputs);
    // The description rules judge a name that is also the description (checkKey).
    problems.uniqueNames('keys', keys.map((key) => key.name), [notBlank]);
    checkUndeclaredKeysOptions(problems, props, ATLAS_KEY_NAME_RULES);
    keys.forEach((key, index) => checkKey(problems, key, index));
    checkRotations(problems, props, keys.map((key, index) => ({ field: `keys[${index}]`, props: key })));
    const claims = [...secretOutputsClaims(id, props.outputs), ...keys.filter((key) => !Token.isUnresolved(key.name)).flatMap((key, index) =>
      keyClaims(AtlasOrganizationKey.tfResourceType, stableAddress(id, key.name), `keys[${index}] ${quoteForMessage(key.name)}`))];
    ({ provider: this.provider, connection: this.connection } = connectOrganization(this, {
      vendor: ATLAS.vendor, subject: `AtlasOrganization "${id}"`, provider: props.provider, problems, claims,
      has: (provider, label) => provider.hasAtlasConnection(label),
      add: (provider, label) => provider.addAtlasConnection(label, { ...props.auth, baseUrl: props.baseUrl, apiVersion: props.apiVersion }),
    }));
    if (problems.problems.length > 0) return; // reported at synthesis (connectOrganization)
    warnDeprecatedOptions(this, props);

    for (const key of keys) {
      const resource = new AtlasOrganizationKey(this, `key_${terraformName(key.name)}`, {
        provider: this.provider, connectionName: this.connection, organizationId: props.organizationId,
        description: key.description ?? key.name, roles: [...new Set(key.roles)], rotation: rotationArgument(key, props), secretRecipients: secretRecipientsArgument(key, props),
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.keys as Record<string, AtlasOrganizationKey>)[key.name] = resource;
    }
    ({ byKey: this.secretOutputs, organization: this.secretsOutput } = addSecretOutputs(this, {
      organization: id, label: `Atlas organization ${id}`, outputs: props.outputs,
      keys: keys.map((key) => ({ subject: key.name, resource: this.keys[key.name], sealed: secretRecipientsArgument(key, props) !== undefined, description: `Private key of Atlas organization key "${key.name}" of organization ${id}` })),
    }));
    addUndeclaredKeysCheck(this, 'undeclared_keys', {
      options: props,
      provider: this.provider,
      connection: this.connection,
      family: 'atlas_organization_key',
      organizationId: props.organizationId,
      // Atlas shows a key by its description, which defaults to the key's name.
      declaredKeys: keys.map((key) => ({ resource: this.keys[key.name], name: key.description ?? key.name })),
      label: `Atlas organization ${id}`,
    });
  }
}
