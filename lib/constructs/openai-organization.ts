import { Construct } from 'constructs';
import type { TerraformOutput } from 'cdktf';
import { OpenaiAdminKey } from '../bindings/openai-admin-key';
import { ApikeysProvider } from '../bindings/provider';
import { addSecretOutput } from './secret-output';
import { addUndeclaredKeysCheck, type UndeclaredKeysPolicy } from './undeclared-keys';
import { ProblemCollector, stableAddress, terraformName } from './validation';

export const OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS = 31_536_000;

export interface OpenAiAdminKeyProps {
  /** The key's name at OpenAI. Also names its construct and its secret output; unique within the organization. */
  readonly name: string;
  /** Lifetime in seconds, 1..31536000. @default - the key never expires */
  readonly expiresInSeconds?: number;
}

export interface OpenAiOrganizationProps {
  /** Environment variable that holds this organization's admin key at deploy time. @default "OPENAI_ADMIN_KEY" */
  readonly adminKeyEnv?: string;
  /** OpenAI API base URL. @default - $OPENAI_BASE_URL, else https://api.openai.com/v1 */
  readonly baseUrl?: string;
  /** The admin keys this organization should have. @default - none */
  readonly adminKeys?: readonly OpenAiAdminKeyProps[];
  /** A provider configuration to use instead of creating one. @default - a provider aliased after this construct's id */
  readonly provider?: ApikeysProvider;
  /** What a plan does about admin keys that exist at OpenAI but are not declared here. @default "warn" */
  readonly undeclaredKeys?: UndeclaredKeysPolicy;
  /** Names of undeclared keys that are expected, such as the pipeline's own admin key. @default [] */
  readonly ignoreUndeclaredNames?: readonly string[];
}

/**
 * The desired admin keys of one OpenAI organization: one resource per key
 * (address `apikeys_openai_admin_key.<id>_<key name>`), one sensitive output
 * per secret (`<id>_<key name>_secret`). Both names depend only on the
 * organization id and the key name, so moving constructs around never
 * replaces a key.
 */
export class OpenAiOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The key resources, by key name. */
  readonly adminKeys: Readonly<Record<string, OpenaiAdminKey>> = {};
  /** The secret outputs, by key name. */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};

  constructor(scope: Construct, id: string, props: OpenAiOrganizationProps = {}) {
    super(scope, id);
    const keys = props.adminKeys ?? [];
    const problems = new ProblemCollector();
    problems.environmentVariable('adminKeyEnv', props.adminKeyEnv);
    problems.url('baseUrl', props.baseUrl);
    problems.uniqueNames('adminKeys', keys.map((key) => key.name));
    keys.forEach((key, index) => problems.integerBetween(`adminKeys[${index}].expiresInSeconds`, key.expiresInSeconds, 1, OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS));
    problems.throwIfAny(`OpenAiOrganization "${id}"`);

    this.provider = props.provider ?? new ApikeysProvider(this, 'provider', {
      alias: terraformName(id), openaiAdminKeyEnv: props.adminKeyEnv, openaiBaseUrl: props.baseUrl,
    });
    for (const key of keys) {
      const resource = new OpenaiAdminKey(this, `admin_key_${terraformName(key.name)}`, {
        provider: this.provider, name: key.name, expiresInSeconds: key.expiresInSeconds,
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.adminKeys as Record<string, OpenaiAdminKey>)[key.name] = resource;
      (this.secretOutputs as Record<string, TerraformOutput>)[key.name] = addSecretOutput(
        this, id, key.name, resource.secret, `OpenAI admin key "${key.name}" of organization ${id}`,
      );
    }
    addUndeclaredKeysCheck(this, 'undeclared_admin_keys', {
      policy: props.undeclaredKeys ?? 'warn',
      provider: this.provider,
      family: 'openai_admin_key',
      declaredNames: keys.map((key) => key.name),
      ignoreNames: props.ignoreUndeclaredNames,
      label: `OpenAI organization ${id} (admin keys)`,
    });
  }
}
