import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiKeysResource, type SynthAttribute } from './attributes';

export interface OpenaiProjectKeyConfig extends TerraformMetaArguments {
  /** The OpenAI project (proj_...). Changing it replaces the key. */
  readonly projectId: string;
  /** Name of the service account that owns the key. Changing it renames the account in place. */
  readonly name: string;
}

/** An OpenAI project API key, made through a project service account (resource `apikeys_openai_project_key`). */
export class OpenaiProjectKey extends ApiKeysResource {
  static readonly tfResourceType = 'apikeys_openai_project_key';
  private readonly config: OpenaiProjectKeyConfig;

  constructor(scope: Construct, id: string, config: OpenaiProjectKeyConfig) {
    super(scope, id, OpenaiProjectKey.tfResourceType, config);
    this.config = config;
  }

  protected arguments(): SynthAttribute[] {
    return [
      { name: 'project_id', value: this.config.projectId, storage: 'string' },
      { name: 'name', value: this.config.name, storage: 'string' },
    ];
  }

  /** The owning service account (svc_acct_...); null for an imported user-owned key. */
  get serviceAccountId(): string {
    return this.getStringAttribute('service_account_id');
  }
  get redactedValue(): string {
    return this.getStringAttribute('redacted_value');
  }
  get createdAt(): number {
    return this.getNumberAttribute('created_at');
  }
  get lastUsedAt(): number {
    return this.getNumberAttribute('last_used_at');
  }
  /** `service_account` or `user`. */
  get ownerType(): string {
    return this.getStringAttribute('owner_type');
  }
}
