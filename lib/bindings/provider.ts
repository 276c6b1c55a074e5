import { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { GENERATOR_METADATA, PROVIDER_NAME, PROVIDER_SOURCE, toHclAttributes, toJsonAttributes, type SynthAttribute } from './attributes';

/**
 * Settings of the apikeys provider. Credentials are best left out: the
 * provider reads them from environment variables, and the `*Env` settings
 * choose which variable, so one stack can serve several organizations
 * without a secret in the synthesized configuration.
 */
export interface ApikeysProviderConfig {
  /** Alias, for several configurations of the provider in one stack. @default - the default (unaliased) provider */
  readonly alias?: string;
  /**
   * The OpenAI admin key itself. Avoid: prefer `openaiAdminKeyEnv`, since a
   * literal here lands in the synthesized JSON.
   * @default - read from the environment variable named by `openaiAdminKeyEnv`
   */
  readonly openaiAdminKey?: string;
  /** Environment variable holding the OpenAI admin key. @default "OPENAI_ADMIN_KEY" */
  readonly openaiAdminKeyEnv?: string;
  /** OpenAI API base URL. @default - $OPENAI_BASE_URL, else "https://api.openai.com/v1" */
  readonly openaiBaseUrl?: string;
  /**
   * The Edge Impulse organization API key itself. Avoid: prefer
   * `edgeimpulseApiKeyEnv`, since a literal here lands in the synthesized JSON.
   * @default - read from the environment variable named by `edgeimpulseApiKeyEnv`
   */
  readonly edgeimpulseApiKey?: string;
  /** Environment variable holding the Edge Impulse organization API key. @default "EI_API_KEY" */
  readonly edgeimpulseApiKeyEnv?: string;
  /** Edge Impulse API base URL. @default - $EDGEIMPULSE_BASE_URL, else "https://studio.edgeimpulse.com/v1" */
  readonly edgeimpulseBaseUrl?: string;
  /**
   * The Atlas programmatic API key's public key itself. Avoid: prefer `atlasPublicKeyEnv`.
   * @default - read from the environment variable named by `atlasPublicKeyEnv`
   */
  readonly atlasPublicKey?: string;
  /** Environment variable holding the Atlas public key. @default "MONGODB_ATLAS_PUBLIC_KEY" */
  readonly atlasPublicKeyEnv?: string;
  /**
   * The Atlas programmatic API key's private key itself. Avoid: prefer `atlasPrivateKeyEnv`, since a
   * literal here lands in the synthesized JSON.
   * @default - read from the environment variable named by `atlasPrivateKeyEnv`
   */
  readonly atlasPrivateKey?: string;
  /** Environment variable holding the Atlas private key. @default "MONGODB_ATLAS_PRIVATE_KEY" */
  readonly atlasPrivateKeyEnv?: string;
  /**
   * The Atlas service account's client id itself. Avoid: prefer `atlasClientIdEnv`.
   * @default - read from the environment variable named by `atlasClientIdEnv`
   */
  readonly atlasClientId?: string;
  /** Environment variable holding the Atlas service account client id. @default "MONGODB_ATLAS_CLIENT_ID" */
  readonly atlasClientIdEnv?: string;
  /**
   * The Atlas service account's client secret itself. Avoid: prefer `atlasClientSecretEnv`, since a
   * literal here lands in the synthesized JSON.
   * @default - read from the environment variable named by `atlasClientSecretEnv`
   */
  readonly atlasClientSecret?: string;
  /** Environment variable holding the Atlas service account client secret. @default "MONGODB_ATLAS_CLIENT_SECRET" */
  readonly atlasClientSecretEnv?: string;
  /** Atlas base URL, without /api/atlas. @default - $MONGODB_ATLAS_BASE_URL, else "https://cloud.mongodb.com" */
  readonly atlasBaseUrl?: string;
  /** Atlas Admin API version, "v2" or the deprecated "v1.0". @default "v2" */
  readonly atlasApiVersion?: 'v2' | 'v1.0';
  /** Deadline of each HTTP attempt, in seconds (1..600). @default 30 */
  readonly requestTimeoutSeconds?: number;
  /** Retries of idempotent requests after 429, 5xx or a lost connection (0..10). @default 4 */
  readonly maxRetries?: number;
  /**
   * After a create whose outcome is unknown (timeout, lost answer, 5xx), how long in all the
   * provider re-lists the keys to find out whether the vendor made the key (seconds).
   * @default - twice requestTimeoutSeconds, at least 5
   */
  readonly createSettleSeconds?: number;
  /** How many times one create may be sent when earlier sends had unknown outcomes (1..10). @default 3 */
  readonly createMaxAttempts?: number;
  /**
   * What the provider revokes when Terraform is killed mid-apply: every key this provider process
   * created ("created"), or only those whose answer never reached Terraform ("undelivered").
   * @default "created"
   */
  readonly terraformExitRevokes?: 'created' | 'undelivered';
}

export class ApikeysProvider extends TerraformProvider {
  static readonly tfResourceType = PROVIDER_NAME;
  private readonly settings: ApikeysProviderConfig;
  private aliasName?: string;

  constructor(scope: Construct, id: string, config: ApikeysProviderConfig = {}) {
    super(scope, id, { terraformResourceType: PROVIDER_NAME, terraformGeneratorMetadata: GENERATOR_METADATA, terraformProviderSource: PROVIDER_SOURCE });
    this.settings = config;
    this.aliasName = config.alias;
  }

  // cdktf's base class keeps no alias; the synthesized `alias` comes from this getter.
  override get alias(): string | undefined {
    return this.aliasName;
  }
  override set alias(value: string | undefined) {
    this.aliasName = value;
  }

  private arguments(): SynthAttribute[] {
    const s = this.settings;
    return [
      { name: 'openai_admin_key', value: s.openaiAdminKey, storage: 'string' },
      { name: 'openai_admin_key_env', value: s.openaiAdminKeyEnv, storage: 'string' },
      { name: 'openai_base_url', value: s.openaiBaseUrl, storage: 'string' },
      { name: 'edgeimpulse_api_key', value: s.edgeimpulseApiKey, storage: 'string' },
      { name: 'edgeimpulse_api_key_env', value: s.edgeimpulseApiKeyEnv, storage: 'string' },
      { name: 'edgeimpulse_base_url', value: s.edgeimpulseBaseUrl, storage: 'string' },
      { name: 'atlas_public_key', value: s.atlasPublicKey, storage: 'string' },
      { name: 'atlas_public_key_env', value: s.atlasPublicKeyEnv, storage: 'string' },
      { name: 'atlas_private_key', value: s.atlasPrivateKey, storage: 'string' },
      { name: 'atlas_private_key_env', value: s.atlasPrivateKeyEnv, storage: 'string' },
      { name: 'atlas_client_id', value: s.atlasClientId, storage: 'string' },
      { name: 'atlas_client_id_env', value: s.atlasClientIdEnv, storage: 'string' },
      { name: 'atlas_client_secret', value: s.atlasClientSecret, storage: 'string' },
      { name: 'atlas_client_secret_env', value: s.atlasClientSecretEnv, storage: 'string' },
      { name: 'atlas_base_url', value: s.atlasBaseUrl, storage: 'string' },
      { name: 'atlas_api_version', value: s.atlasApiVersion, storage: 'string' },
      { name: 'request_timeout_seconds', value: s.requestTimeoutSeconds, storage: 'number' },
      { name: 'max_retries', value: s.maxRetries, storage: 'number' },
      { name: 'create_settle_seconds', value: s.createSettleSeconds, storage: 'number' },
      { name: 'create_max_attempts', value: s.createMaxAttempts, storage: 'number' },
      { name: 'terraform_exit_revokes', value: s.terraformExitRevokes, storage: 'string' },
    ];
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return toJsonAttributes(this.arguments());
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return toHclAttributes(this.arguments());
  }
}
