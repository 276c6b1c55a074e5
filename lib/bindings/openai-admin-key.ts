import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiKeysResource, type SynthAttribute } from './attributes';

export interface OpenaiAdminKeyConfig extends TerraformMetaArguments {
  /** Name shown in the OpenAI dashboard. Changing it replaces the key. */
  readonly name: string;
  /** Lifetime in seconds, 1..31536000. Changing it replaces the key. @default - the key never expires */
  readonly expiresInSeconds?: number;
}

/** An OpenAI organization admin API key (resource `apikeys_openai_admin_key`). */
export class OpenaiAdminKey extends ApiKeysResource {
  static readonly tfResourceType = 'apikeys_openai_admin_key';
  private readonly config: OpenaiAdminKeyConfig;

  constructor(scope: Construct, id: string, config: OpenaiAdminKeyConfig) {
    super(scope, id, OpenaiAdminKey.tfResourceType, config);
    this.config = config;
  }

  protected arguments(): SynthAttribute[] {
    return [
      { name: 'name', value: this.config.name, storage: 'string' },
      { name: 'expires_in_seconds', value: this.config.expiresInSeconds, storage: 'number' },
    ];
  }

  get redactedValue(): string {
    return this.getStringAttribute('redacted_value');
  }
  get createdAt(): number {
    return this.getNumberAttribute('created_at');
  }
  get expiresAt(): number {
    return this.getNumberAttribute('expires_at');
  }
  get lastUsedAt(): number {
    return this.getNumberAttribute('last_used_at');
  }
}
