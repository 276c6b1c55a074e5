import { ConfigurationError } from '../../errors';
import { CREDENTIAL_ENV_ALLOWLIST_ENV, CREDENTIAL_ENV_SUFFIXES, credentialEnvProblem, type CredentialKind } from '../../security/policy';
import { isUnknown, type CtyObject } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';

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
  /** Which suffix the operator's policy requires of the variable's name. */
  readonly kind: CredentialKind;
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
      // Checked against the operator's policy by checkConnectionSettings (connections/policy-check.ts), not by a validator.
      type: 'string', optional: true,
      description: `Name of the environment variable that holds the ${spec.label} when \`${spec.attribute}\` is unset. Default \`${spec.defaultEnv}\`. ` +
        `The name must end with ${suffixText(spec.kind)}, or be listed in the operator's \`${CREDENTIAL_ENV_ALLOWLIST_ENV}\`.`,
    },
  };
}

export interface ResolvedCredential {
  readonly value?: string;
  /** Where the value came from or should come from, for messages. */
  readonly source: string;
}

function suffixText(kind: CredentialKind): string {
  return CREDENTIAL_ENV_SUFFIXES[kind].map((suffix) => `\`_${suffix}\``).join(' or ');
}

/**
 * Why the variable named by the provider block's `*_env` attribute may not be
 * read, or undefined (also when it is unset or unknown). Never throws.
 */
export function credentialEnvAttributeProblem(spec: CredentialSpec, config: CtyObject, env: NodeJS.ProcessEnv): string | undefined {
  const name = config[spec.envAttribute];
  return typeof name === 'string' ? credentialEnvProblem(spec.kind, name, env) : undefined;
}

/**
 * The credential, from the provider block or else from its variable. A
 * variable the provider block names must pass the operator's policy (else a
 * ConfigurationError naming the `*_env` attribute); a default variable that
 * the policy refuses (an APIKEYS_CREDENTIAL_ENV_ALLOWLIST without it) is
 * simply not read.
 */
export function resolveCredential(spec: CredentialSpec, config: CtyObject, env: NodeJS.ProcessEnv): ResolvedCredential {
  const direct = config[spec.attribute];
  if (isUnknown(direct)) return { source: `provider attribute ${spec.attribute} (not known until apply)` };
  if (typeof direct === 'string' && direct !== '') return { value: direct, source: `provider attribute ${spec.attribute}` };
  const named = config[spec.envAttribute];
  if (typeof named === 'string') {
    const problem = credentialEnvProblem(spec.kind, named, env);
    if (problem) {
      throw new ConfigurationError(`${spec.envAttribute} ${problem}`, spec.envAttribute, 'Nothing was read from the environment and nothing was sent to the vendor.');
    }
  }
  const envName = typeof named === 'string' ? named : spec.defaultEnv;
  if (typeof named !== 'string' && credentialEnvProblem(spec.kind, envName, env)) {
    return { source: `provider attribute ${spec.attribute}, or a variable named by ${spec.envAttribute} that ${CREDENTIAL_ENV_ALLOWLIST_ENV} allows (the default ${envName} is not in it)` };
  }
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
