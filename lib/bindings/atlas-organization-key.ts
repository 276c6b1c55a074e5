import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiKeysResource, type SynthAttribute } from './attributes';

export interface AtlasOrganizationKeyConfig extends TerraformMetaArguments {
  /** Id of the Atlas organization (24 hexadecimal digits). Changing it replaces the key. */
  readonly organizationId: string;
  /** Description of the key, 1..250 characters. Updated in place. */
  readonly description: string;
  /** Organization roles, at least one (ORG_OWNER, ORG_MEMBER, ...). Updated in place. */
  readonly roles: readonly string[];
}

/** A MongoDB Atlas organization programmatic API key (resource `apikeys_atlas_organization_key`). */
export class AtlasOrganizationKey extends ApiKeysResource {
  static readonly tfResourceType = 'apikeys_atlas_organization_key';
  private readonly config: AtlasOrganizationKeyConfig;

  constructor(scope: Construct, id: string, config: AtlasOrganizationKeyConfig) {
    super(scope, id, AtlasOrganizationKey.tfResourceType, config);
    this.config = config;
  }

  protected arguments(): SynthAttribute[] {
    return [
      { name: 'organization_id', value: this.config.organizationId, storage: 'string' },
      { name: 'description', value: this.config.description, storage: 'string' },
      { name: 'roles', value: [...this.config.roles], storage: 'stringList' },
    ];
  }

  /** The public key: the Digest user name. */
  get publicKey(): string {
    return this.getStringAttribute('public_key');
  }
  get redactedPrivateKey(): string {
    return this.getStringAttribute('redacted_private_key');
  }
}
