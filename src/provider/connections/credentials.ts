import { ConfigurationError } from '../../errors';
import { isUnknown, type CtyObject } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';
import { environmentVariableName } from '../framework/validators';

/**
 * A credential that comes from the provider block, or else from an
 * environment variable whose name the provider block may choose. Naming the
 * variable (instead of writing the secret) is how one deploy uses several
 * organizations of the same vendor without secrets in the configuration.
 */
export interface CredentialSpec {
  /** Provider attribute holding the secret itself, e.g. openai_admin_key. */
  readonly attribute: string;
  /** Provider attribute naming the environment variable, e.g. openai_admin_key_env. */
  readonly envAttribute: string;
  /** Variable read when envAttribute is unset, e.g. OPENAI_ADMIN_KEY. */
  readonly defaultEnv: string;
  /** What the credential is, for messages: "OpenAI admin key". */
  readonly label: string;
}

export function credentialAttributes(spec: CredentialSpec): Record<string, AttributeSchema> {
  return {
    [spec.attribute]: {
      type: 'string', optional: true, sensitive: true,
      description: `${spec.label}. Prefer leaving it unset and providing it through the environment (see \`${spec.envAttribute}\`), so it never appears in configuration. Falls back to the variable named by \`${spec.envAttribute}\`, default \`${spec.defaultEnv}\`.`,
    },
    [spec.envAttribute]: {
      type: 'string', optional: true, validators: [environmentVariableName],
      description: `Name of the environment variable that holds the ${spec.label} when \`${spec.attribute}\` is unset. Default \`${spec.defaultEnv}\`.`,
    },
  };
}

export interface ResolvedCredential {
  readonly value?: string;
  /** Where the value came from or should come from, for messages. */
  readonly source: string;
}

export function resolveCredential(spec: CredentialSpec, config: CtyObject, env: NodeJS.ProcessEnv): ResolvedCredential {
  const direct = config[spec.attribute];
  if (isUnknown(direct)) return { source: `provider attribute ${spec.attribute} (not known until apply)` };
  if (typeof direct === 'string' && direct !== '') return { value: direct, source: `provider attribute ${spec.attribute}` };
  const envName = typeof config[spec.envAttribute] === 'string' ? (config[spec.envAttribute] as string) : spec.defaultEnv;
  const fromEnv = env[envName];
  return {
    value: fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : undefined,
    source: `provider attribute ${spec.attribute} or environment variable ${envName}`,
  };
}

/** The credential's value, or a ConfigurationError that says where to put it. */
export function requireCredential(spec: CredentialSpec, credential: ResolvedCredential): string {
  if (credential.value) return credential.value;
  throw new ConfigurationError(
    `no ${spec.label} is configured`,
    spec.attribute,
    `Set ${credential.source}. Nothing was sent to the vendor.`,
  );
}

/** A setting that falls back to an environment variable and then to a default. */
export function resolveSetting(config: CtyObject, attribute: string, envName: string, fallback: string, env: NodeJS.ProcessEnv): string {
  const direct = config[attribute];
  if (typeof direct === 'string' && direct !== '') return direct;
  return env[envName] || fallback;
}
