import { Construct } from 'constructs';
import { Token, type TerraformOutput } from '../../cdk';
import { EDGE_IMPULSE, type EdgeImpulseRole } from '../../../src/core';
import { EdgeimpulseOrganizationKey } from '../../bindings/edgeimpulse-organization-key';
import type { ApikeysProvider } from '../../bindings/provider';
import { keyClaims } from '../address-registry';
import { connectOrganization, type OrganizationConnectionProps } from '../connection';
import { checkRotations, rotationArgument, secretRecipientsArgument, type KeyLifecycleProps, type OrganizationLifecycleProps } from '../rotation';
import { addSecretOutputs, checkSecretOutputs, secretOutputsClaims, type SecretOutputsOptions } from '../secret-output';
import { addUndeclaredKeysCheck, checkUndeclaredKeysOptions, warnDeprecatedOptions, type UndeclaredKeysOptions } from '../undeclared-keys';
import { ProblemCollector, quoteForMessage, stableAddress, terraformName } from '../validation';

export interface EdgeImpulseKeyProps extends KeyLifecycleProps {
  /** The key's name in Edge Impulse. Also names its construct and its secret output; unique within the organization. */
  readonly name: string;
  /** Role of the key in the organization: "admin" or "member". */
  readonly role: EdgeImpulseRole;
  /** Time to live in seconds, at least 1. @default - the key does not expire */
  readonly ttlSeconds?: number;
}

export interface EdgeImpulseOrganizationProps extends UndeclaredKeysOptions, OrganizationConnectionProps, OrganizationLifecycleProps, SecretOutputsOptions {
  /** The Edge Impulse organization id. */
  readonly organizationId: number;
  /** Environment variable that holds this organization's admin API key at deploy time, e.g. ACME_EI_API_KEY. */
  readonly apiKeyEnv: string;
  /** Edge Impulse API base URL. @default - the provider's edgeimpulse_base_url, else $EDGEIMPULSE_BASE_URL, else https://studio.edgeimpulse.com/v1 */
  readonly baseUrl?: string;
  /** The API keys this organization should have. @default - none */
  readonly keys?: readonly EdgeImpulseKeyProps[];
}

/**
 * The desired API keys of one Edge Impulse organization: a connection named
 * after the construct id on the stack's provider, one resource per key
 * (address `apikeys_edgeimpulse_organization_key.<id>_<key name>`), and the
 * generated secrets in one sensitive map output `<id>_secrets` (or, with
 * `outputs: "key"`, one output per key, `<id>_<key name>_secret`). The
 * names depend only on the construct id and the key name, so moving
 * constructs around never replaces a key. Caller-supplied key values are
 * not offered here: they belong in an ephemeral variable, not in code.
 */
export class EdgeImpulseOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The name of this organization's connection on the provider (its resources' `connection_name`). */
  readonly connection: string;
  /** The key resources, by key name. */
  readonly keys: Readonly<Record<string, EdgeimpulseOrganizationKey>> = {};
  /** The per-key secret outputs, by key name (with `outputs: "key"`). */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};
  /** The map of key name → secret (with `outputs: "organization"`, the default). */
  readonly secretsOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: EdgeImpulseOrganizationProps) {
    super(scope, id);
    const keys = props.keys ?? [];
    const problems = new ProblemCollector();
    problems.check(props.organizationId !== undefined, 'organizationId is required: the whole-number id of the Edge Impulse organization.');
    problems.number('organizationId', props.organizationId, EDGE_IMPULSE.rules.organizationId);
    problems.check(typeof props.apiKeyEnv === 'string', 'apiKeyEnv is required: name the environment variable that holds the organization\'s admin API key.');
    problems.credentialEnv('apiKeyEnv', 'edgeimpulse_api_key', props.apiKeyEnv);
    problems.url('baseUrl', props.baseUrl);
    checkSecretOutputs(problems, props.outputs);
    problems.uniqueNames('keys', keys.map((key) => key.name), EDGE_IMPULSE.rules.keyName);
    checkUndeclaredKeysOptions(problems, props, EDGE_IMPULSE.rules.keyName);
    keys.forEach((key, index) => {
      problems.text(`keys[${index}].role`, key.role, EDGE_IMPULSE.rules.role);
      problems.number(`keys[${index}].ttlSeconds`, key.ttlSeconds, EDGE_IMPULSE.rules.ttlSeconds);
    });
    checkRotations(problems, props, keys.map((key, index) => ({ field: `keys[${index}]`, props: key })));
    const claims = [...secretOutputsClaims(id, props.outputs), ...keys.filter((key) => !Token.isUnresolved(key.name)).flatMap((key, index) =>
      keyClaims(EdgeimpulseOrganizationKey.tfResourceType, stableAddress(id, key.name), `keys[${index}] ${quoteForMessage(key.name)}`))];
    ({ provider: this.provider, connection: this.connection } = connectOrganization(this, {
      vendor: EDGE_IMPULSE.vendor, subject: `EdgeImpulseOrganization "${id}"`, provider: props.provider, problems, claims,
      has: (provider, label) => provider.hasEdgeimpulseConnection(label),
      add: (provider, label) => provider.addEdgeimpulseConnection(label, { apiKeyEnv: props.apiKeyEnv, baseUrl: props.baseUrl }),
    }));
    if (problems.problems.length > 0) return; // reported at synthesis (connectOrganization)
    warnDeprecatedOptions(this, props);

    for (const key of keys) {
      const resource = new EdgeimpulseOrganizationKey(this, `key_${terraformName(key.name)}`, {
        provider: this.provider, connectionName: this.connection, organizationId: props.organizationId, name: key.name, role: key.role, ttlSeconds: key.ttlSeconds,
        rotation: rotationArgument(key, props), secretRecipients: secretRecipientsArgument(key, props),
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.keys as Record<string, EdgeimpulseOrganizationKey>)[key.name] = resource;
    }
    ({ byKey: this.secretOutputs, organization: this.secretsOutput } = addSecretOutputs(this, {
      organization: id, label: `Edge Impulse organization ${id}`, outputs: props.outputs,
      keys: keys.map((key) => ({ subject: key.name, resource: this.keys[key.name], sealed: secretRecipientsArgument(key, props) !== undefined, description: `Edge Impulse ${key.role} API key "${key.name}" of organization ${id}` })),
    }));
    addUndeclaredKeysCheck(this, 'undeclared_keys', {
      options: props,
      provider: this.provider,
      connection: this.connection,
      family: 'edgeimpulse_organization_key',
      organizationId: Token.asString(props.organizationId),
      declaredKeys: keys.map((key) => ({ resource: this.keys[key.name], name: key.name })),
      label: `Edge Impulse organization ${id}`,
    });
  }
}
