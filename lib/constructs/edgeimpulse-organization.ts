import { Construct } from 'constructs';
import { Token, type TerraformOutput } from 'cdktf';
import { EdgeimpulseOrganizationKey, type EdgeImpulseKeyRole } from '../bindings/edgeimpulse-organization-key';
import { ApikeysProvider } from '../bindings/provider';
import { addSecretOutput } from './secret-output';
import { addUndeclaredKeysCheck, type UndeclaredKeysOptions } from './undeclared-keys';
import { EDGE_IMPULSE_KEY_NAME_MAX } from '../../src/vendors/edgeimpulse/limits';
import { checkAddressesFree, claimAddresses, keyClaims, type AddressClaim } from './address-registry';
import { ProblemCollector, quoteForMessage, stableAddress, terraformName } from './validation';

export const EDGE_IMPULSE_KEY_ROLES: readonly EdgeImpulseKeyRole[] = ['admin', 'member'];

export interface EdgeImpulseKeyProps {
  /** The key's name in Edge Impulse. Also names its construct and its secret output; unique within the organization. */
  readonly name: string;
  /** Role of the key in the organization. */
  readonly role: EdgeImpulseKeyRole;
  /** Time to live in seconds, at least 1. @default - the key does not expire */
  readonly ttlSeconds?: number;
}

export interface EdgeImpulseOrganizationProps extends UndeclaredKeysOptions {
  /** The Edge Impulse organization id. */
  readonly organizationId: number;
  /** Environment variable that holds this organization's admin API key at deploy time, e.g. ACME_EI_API_KEY. */
  readonly apiKeyEnv: string;
  /** Edge Impulse API base URL. @default - $EDGEIMPULSE_BASE_URL, else https://studio.edgeimpulse.com/v1 */
  readonly baseUrl?: string;
  /** The API keys this organization should have. @default - none */
  readonly keys?: readonly EdgeImpulseKeyProps[];
  /** A provider configuration to use instead of creating one. @default - a provider aliased after this construct's id */
  readonly provider?: ApikeysProvider;
}

const isPositiveWholeNumber = (value: number): boolean => Number.isSafeInteger(value) && value >= 1;

/**
 * The desired API keys of one Edge Impulse organization: one resource per key
 * (address `apikeys_edgeimpulse_organization_key.<id>_<key name>`), one
 * sensitive output per generated secret (`<id>_<key name>_secret`). Both
 * names depend only on the construct id and the key name, so moving
 * constructs around never replaces a key. Caller-supplied key values are
 * not offered here: they belong in an ephemeral variable, not in code.
 */
export class EdgeImpulseOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The key resources, by key name. */
  readonly keys: Readonly<Record<string, EdgeimpulseOrganizationKey>> = {};
  /** The secret outputs, by key name. */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};

  constructor(scope: Construct, id: string, props: EdgeImpulseOrganizationProps) {
    super(scope, id);
    const keys = props.keys ?? [];
    const problems = new ProblemCollector();
    if (!Token.isUnresolved(props.organizationId)) {
      problems.check(isPositiveWholeNumber(props.organizationId), `organizationId must be a whole number of at least 1 (got ${quoteForMessage(props.organizationId)}).`);
    }
    problems.check(typeof props.apiKeyEnv === 'string', 'apiKeyEnv is required: name the environment variable that holds the organization\'s admin API key.');
    problems.credentialEnv('apiKeyEnv', 'edgeimpulse_api_key', props.apiKeyEnv);
    problems.url('baseUrl', props.baseUrl);
    problems.uniqueNames('keys', keys.map((key) => key.name), EDGE_IMPULSE_KEY_NAME_MAX);
    problems.namesOrIds('ignoreUndeclaredNames', props.ignoreUndeclaredNames ?? [], EDGE_IMPULSE_KEY_NAME_MAX);
    problems.namesOrIds('ignoreUndeclared', props.ignoreUndeclared ?? [], EDGE_IMPULSE_KEY_NAME_MAX);
    keys.forEach((key, index) => {
      if (!Token.isUnresolved(key.role)) {
        problems.check(EDGE_IMPULSE_KEY_ROLES.includes(key.role), `keys[${index}].role must be "admin" or "member" (got ${quoteForMessage(key.role)}).`);
      }
      if (key.ttlSeconds !== undefined && !Token.isUnresolved(key.ttlSeconds)) {
        problems.check(isPositiveWholeNumber(key.ttlSeconds), `keys[${index}].ttlSeconds must be a whole number of seconds, at least 1 (got ${quoteForMessage(key.ttlSeconds)}).`);
      }
    });
    const claims: AddressClaim[] = [
      ...(props.provider === undefined ? [{ address: `provider apikeys.${terraformName(id)}`, source: 'its provider alias' }] : []),
      ...keys.filter((key) => !Token.isUnresolved(key.name)).flatMap((key, index) =>
        keyClaims(EdgeimpulseOrganizationKey.tfResourceType, stableAddress(id, key.name), `keys[${index}] ${quoteForMessage(key.name)}`)),
    ];
    checkAddressesFree(this, claims, problems);
    problems.throwIfAny(`EdgeImpulseOrganization "${id}"`);
    claimAddresses(this, claims);

    this.provider = props.provider ?? new ApikeysProvider(this, 'provider', {
      alias: terraformName(id), edgeimpulseApiKeyEnv: props.apiKeyEnv, edgeimpulseBaseUrl: props.baseUrl,
    });
    for (const key of keys) {
      const resource = new EdgeimpulseOrganizationKey(this, `key_${terraformName(key.name)}`, {
        provider: this.provider, organizationId: props.organizationId, name: key.name, role: key.role, ttlSeconds: key.ttlSeconds,
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.keys as Record<string, EdgeimpulseOrganizationKey>)[key.name] = resource;
      (this.secretOutputs as Record<string, TerraformOutput>)[key.name] = addSecretOutput(
        this, id, key.name, resource.secret, `Edge Impulse ${key.role} API key "${key.name}" of organization ${id}`,
      );
    }
    addUndeclaredKeysCheck(this, 'undeclared_keys', {
      options: props,
      provider: this.provider,
      family: 'edgeimpulse_organization_key',
      organizationId: Token.asString(props.organizationId),
      declaredKeys: keys.map((key) => ({ resource: this.keys[key.name], name: key.name })),
      label: `Edge Impulse organization ${id}`,
    });
  }
}
