import { ConfigurationError } from '../../core/errors';
import type { VendorFacts } from '../../core/facts';
import { CREDENTIAL_ENV_ALLOWLIST_ENV, CREDENTIAL_ENV_SUFFIXES, credentialEnvProblem, type CredentialKind } from '../../core/security/policy';
import { isUnknown } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';
import { resolveBaseUrl } from './base-url';
import type { ConnectionSettings } from './connection';

/**
 * A credential that comes from the connection's settings, or else from an
 * environment variable whose name the settings may choose. Naming the
 * variable (instead of writing the secret) is how one deploy uses several
 * organizations of the same vendor without secrets in the configuration.
 */
export interface CredentialSpec {
  /** The setting holding the secret itself, within a connection (e.g. admin_key); `<name>_env` names its variable. */
  readonly name: string;
  /** Variable read when `<name>_env` is unset, e.g. OPENAI_ADMIN_KEY. */
  readonly defaultEnv: string;
  /** Which suffix the operator's policy requires of the variable's name. */
  readonly kind: CredentialKind;
  /** What the credential is, for messages: "OpenAI organization admin key (sk-admin-...)". */
  readonly label: string;
}

export const envSetting = (spec: CredentialSpec): string => `${spec.name}_env`;

/** A vendor's credentials, from its facts. */
export const credentialSpecs = (facts: VendorFacts): CredentialSpec[] =>
  Object.entries(facts.credentials).map(([name, credential]) => ({ name, defaultEnv: credential.defaultEnv, kind: credential.kind as CredentialKind, label: credential.label }));

export function credentialSpec(facts: VendorFacts, name: string): CredentialSpec {
  const found = credentialSpecs(facts).find((spec) => spec.name === name);
  if (!found) throw new Error(`${facts.vendor} has no credential ${name}`);
  return found;
}

/** The secret's setting and its `_env` setting, named with `prefix` (`openai_` for the flat default attributes, '' in a block). */
export function credentialAttributes(spec: CredentialSpec, prefix: string): Record<string, AttributeSchema> {
  const attribute = `${prefix}${spec.name}`;
  const envAttribute = `${prefix}${envSetting(spec)}`;
  return {
    [attribute]: {
      type: 'string', optional: true, sensitive: true,
      description: `${spec.label}. Prefer leaving it unset and providing it through the environment (see \`${envAttribute}\`), so it never appears in configuration. Falls back to the variable named by \`${envAttribute}\`, default \`${spec.defaultEnv}\`.`,
    },
    [envAttribute]: {
      // Checked against the operator's policy by checkConnectionSettings (connections/policy-check.ts), not by a validator.
      type: 'string', optional: true,
      description: `Name of the environment variable that holds the ${spec.label} when \`${attribute}\` is unset. Default \`${spec.defaultEnv}\`. ` +
        `The name must end with ${suffixText(spec.kind)}, or be listed in the operator's \`${CREDENTIAL_ENV_ALLOWLIST_ENV}\`.`,
    },
  };
}

export interface ResolvedCredential {
  readonly value?: string;
  /** Where the value came from or should come from, for messages. */
  readonly source: string;
  /** Where the value was found, in a few words: the variable's name, or `provider attribute <name>`. */
  readonly holder?: string;
}

function suffixText(kind: CredentialKind): string {
  return CREDENTIAL_ENV_SUFFIXES[kind].map((suffix) => `\`_${suffix}\``).join(' or ');
}

/**
 * Why the variable named by the connection's `*_env` setting may not be
 * read, or undefined (also when it is unset or unknown). Never throws.
 */
export function credentialEnvSettingProblem(spec: CredentialSpec, connection: ConnectionSettings, env: NodeJS.ProcessEnv): string | undefined {
  const name = connection.value(envSetting(spec));
  return typeof name === 'string' ? credentialEnvProblem(spec.kind, name, env) : undefined;
}

/**
 * The credential, from the connection's settings or else from its variable.
 * A variable the settings name must pass the operator's policy (else a
 * ConfigurationError naming the `*_env` setting); a default variable that
 * the policy refuses (an APIKEYS_CREDENTIAL_ENV_ALLOWLIST without it) is
 * simply not read.
 */
export function resolveCredential(spec: CredentialSpec, connection: ConnectionSettings, env: NodeJS.ProcessEnv): ResolvedCredential {
  const attribute = connection.attribute(spec.name);
  const envAttribute = connection.attribute(envSetting(spec));
  const direct = connection.value(spec.name);
  if (isUnknown(direct)) return { source: `provider attribute ${attribute} (not known until apply)` };
  if (typeof direct === 'string' && direct !== '') return { value: direct, source: `provider attribute ${attribute}`, holder: `provider attribute ${attribute}` };
  const named = connection.value(envSetting(spec));
  // Not the default variable meanwhile: it may hold another organization's credential.
  if (isUnknown(named)) return { source: `${envAttribute} (not known until apply)` };
  if (typeof named === 'string') {
    const problem = credentialEnvProblem(spec.kind, named, env);
    if (problem) {
      throw new ConfigurationError(`${envAttribute} ${problem}`, envAttribute, 'Nothing was read from the environment and nothing was sent to the vendor.');
    }
  }
  const envName = typeof named === 'string' ? named : spec.defaultEnv;
  if (typeof named !== 'string' && credentialEnvProblem(spec.kind, envName, env)) {
    return { source: `provider attribute ${attribute}, or a variable named by ${envAttribute} that ${CREDENTIAL_ENV_ALLOWLIST_ENV} allows (the default ${envName} is not in it)` };
  }
  const fromEnv = env[envName];
  return {
    value: fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : undefined,
    source: `provider attribute ${attribute} or environment variable ${envName}`,
    holder: envName,
  };
}

/** The credential's value, or a ConfigurationError that says where to put it. */
export function requireCredential(spec: CredentialSpec, connection: ConnectionSettings, credential: ResolvedCredential): string {
  if (credential.value) return credential.value;
  throw new ConfigurationError(
    `no ${spec.label} is configured${connection.label === undefined ? '' : ` for ${connection.describe()}`}`,
    connection.attribute(spec.name),
    `Set ${credential.source}. Nothing was sent to the vendor.`,
  );
}

/**
 * Where and with what a single-credential connection (an API key) talks: its
 * base URL, checked first so a refused host fails even when no credential is
 * set, then the credential; ConfigurationErrors before any request.
 */
export function baseUrlAndCredential(spec: CredentialSpec, connection: ConnectionSettings, env: NodeJS.ProcessEnv): { baseUrl: string; secret: string; source: string; holder: string } {
  const baseUrl = resolveBaseUrl(connection, env);
  const credential = resolveCredential(spec, connection, env);
  const secret = requireCredential(spec, connection, credential);
  return { baseUrl, secret, source: credential.source, holder: credential.holder ?? credential.source };
}
