import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiKeysResource, type SynthAttribute } from './attributes';

export type EdgeImpulseKeyRole = 'admin' | 'member';

export interface EdgeimpulseOrganizationKeyConfig extends TerraformMetaArguments {
  /** The Edge Impulse organization id. Changing it replaces the key. */
  readonly organizationId: number;
  /** Name ("description") of the key in Edge Impulse. Changing it replaces the key. */
  readonly name: string;
  /** Role of the key in the organization. Changing it replaces the key. */
  readonly role: EdgeImpulseKeyRole;
  /** Time to live in seconds. Changing it replaces the key. @default - the key does not expire */
  readonly ttlSeconds?: number;
  /**
   * A key value of your own (starts with `ei_`, at least 32 characters), sent once on create and
   * never stored in state (a Terraform 1.11 write-only attribute). Pass a reference to an ephemeral
   * variable, never a literal: a literal lands in the synthesized configuration.
   * @default - Edge Impulse generates the key, and `secret` holds it
   */
  readonly apiKeyWo?: string;
  /** Change it to replace the key with the current `apiKeyWo`. @default - none */
  readonly apiKeyWoVersion?: number;
}

/** An Edge Impulse organization API key (resource `apikeys_edgeimpulse_organization_key`). */
export class EdgeimpulseOrganizationKey extends ApiKeysResource {
  static readonly tfResourceType = 'apikeys_edgeimpulse_organization_key';
  private readonly config: EdgeimpulseOrganizationKeyConfig;

  constructor(scope: Construct, id: string, config: EdgeimpulseOrganizationKeyConfig) {
    super(scope, id, EdgeimpulseOrganizationKey.tfResourceType, config);
    this.config = config;
  }

  protected arguments(): SynthAttribute[] {
    return [
      { name: 'organization_id', value: this.config.organizationId, storage: 'number' },
      { name: 'name', value: this.config.name, storage: 'string' },
      { name: 'role', value: this.config.role, storage: 'string' },
      { name: 'ttl_seconds', value: this.config.ttlSeconds, storage: 'number' },
      { name: 'api_key_wo', value: this.config.apiKeyWo, storage: 'string' },
      { name: 'api_key_wo_version', value: this.config.apiKeyWoVersion, storage: 'number' },
    ];
  }

  /** The part of the key Edge Impulse shows in its listing. */
  get redactedValue(): string {
    return this.getStringAttribute('redacted_value');
  }
  get created(): string {
    return this.getStringAttribute('created');
  }
  get expires(): string {
    return this.getStringAttribute('expires');
  }
  get lastUsedDate(): string {
    return this.getStringAttribute('last_used_date');
  }
  get lastUsedCountry(): string {
    return this.getStringAttribute('last_used_country');
  }
  get lastUsedIp(): string {
    return this.getStringAttribute('last_used_ip');
  }
}
