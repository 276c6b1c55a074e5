import { ConfigurationError } from '../../core/errors';
import type { VendorFacts } from '../../core/facts';
import { vendorUrlProblem } from '../../core/security/policy';
import type { AttributeSchema } from '../framework/schema';
import type { ConnectionSettings } from './connection';

/**
 * A connection's base URL: its `base_url` setting, else (for a labelled
 * block) the provider's flat `<vendor>_base_url`, else the operator's
 * environment variable (facts `baseUrlEnv`), else the vendor's own URL.
 * Wherever it comes from, the operator's credential policy
 * (src/core/security/policy.ts) decides whether a credential may be sent there; a
 * refusal is a ConfigurationError that names the setting, raised before any
 * request.
 */
export const BASE_URL = 'base_url';

/** The base_url setting, named with `prefix` (`openai_` for the flat default attribute, '' in a block). */
export function baseUrlAttribute(facts: VendorFacts, prefix: string, note = ''): Record<string, AttributeSchema> {
  const fallback = prefix === ''
    ? `Default: the provider's \`${facts.vendor}_base_url\`, else the environment variable \`${facts.baseUrlEnv}\`, else \`${facts.defaultBaseUrl}\`.`
    : `Default \`${facts.defaultBaseUrl}\`, or the environment variable \`${facts.baseUrlEnv}\` when set.`;
  return {
    [`${prefix}${BASE_URL}`]: {
      type: 'string', optional: true,
      description: `${facts.label} API base URL. ${fallback}${note} ` +
        'Credentials are sent only to the vendor\'s own host or to a host the operator lists in `APIKEYS_ALLOWED_HOSTS`; plain http only to loopback or to an `http://` entry.',
    },
  };
}

interface BaseUrlChoice {
  readonly url: string;
  /** Where the URL came from, for messages. */
  readonly origin: string;
}

function choose(connection: ConnectionSettings, env: NodeJS.ProcessEnv): BaseUrlChoice {
  const own = connection.attribute(BASE_URL);
  const { value, attribute } = connection.inherited(BASE_URL);
  if (typeof value === 'string') return { url: value, origin: attribute === own ? own : `${attribute} (used because ${own} is unset)` };
  const { baseUrlEnv, defaultBaseUrl } = connection.facts;
  const fromEnv = env[baseUrlEnv];
  if (fromEnv !== undefined && fromEnv !== '') return { url: fromEnv, origin: `the environment variable ${baseUrlEnv} (used because ${own} is unset)` };
  return { url: defaultBaseUrl, origin: `the default ${own}` };
}

/** Why the connection's own base_url is refused; undefined when it is unset, unknown or allowed. Never throws. */
export function configuredBaseUrlProblem(connection: ConnectionSettings, env: NodeJS.ProcessEnv): string | undefined {
  const direct = connection.value(BASE_URL);
  return typeof direct === 'string' ? urlProblem(connection, direct, env) : undefined;
}

function urlProblem(connection: ConnectionSettings, url: string, env: NodeJS.ProcessEnv): string | undefined {
  if (url.trim() === '') return `must not be empty; leave ${connection.attribute(BASE_URL)} unset to use ${connection.facts.defaultBaseUrl}`;
  return vendorUrlProblem(url, connection.facts.defaultBaseUrl, env);
}

export const BASE_URL_HINT = 'Nothing was sent to the vendor. The operator allows hosts with the APIKEYS_ALLOWED_HOSTS environment variable of the pipeline (comma-separated host, host:port or http://host:port).';

/** The base URL to send credentials to; a ConfigurationError naming the setting when the policy refuses it. */
export function resolveBaseUrl(connection: ConnectionSettings, env: NodeJS.ProcessEnv): string {
  const { url, origin } = choose(connection, env);
  const problem = urlProblem(connection, url, env);
  if (problem) throw new ConfigurationError(`${origin} ${problem}`, connection.attribute(BASE_URL), BASE_URL_HINT);
  return url;
}

/** The policy check for a URL derived from the base URL (Atlas's OAuth token endpoint), with the same rule and message. */
export function checkDerivedUrl(connection: ConnectionSettings, url: string, what: string, env: NodeJS.ProcessEnv): void {
  const problem = vendorUrlProblem(url, connection.facts.defaultBaseUrl, env);
  const attribute = connection.attribute(BASE_URL);
  if (problem) throw new ConfigurationError(`${what}, derived from ${attribute}, ${problem}`, attribute, BASE_URL_HINT);
}
