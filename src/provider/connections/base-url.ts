import { ConfigurationError } from '../../errors';
import { vendorUrlProblem } from '../../security/policy';
import { isUnknown, type CtyObject } from '../cty/value';
import type { AttributeSchema } from '../framework/schema';

/**
 * A vendor's base URL: the provider block's attribute, else the operator's
 * environment variable, else the vendor's own URL. Wherever it comes from,
 * the operator's credential policy (src/security/policy.ts) decides whether
 * a credential may be sent there; a refusal is a ConfigurationError that
 * names the attribute, raised before any request.
 */
export interface BaseUrlSpec {
  /** Provider attribute, e.g. openai_base_url. */
  readonly attribute: string;
  /** Environment variable read when the attribute is unset, e.g. OPENAI_BASE_URL. */
  readonly envName: string;
  /** The vendor's documented base URL; its host is always allowed over https. */
  readonly defaultUrl: string;
  /** What the URL is, for descriptions: "OpenAI API base URL". */
  readonly label: string;
}

export function baseUrlAttribute(spec: BaseUrlSpec, extra = ''): Record<string, AttributeSchema> {
  return {
    [spec.attribute]: {
      type: 'string', optional: true,
      description: `${spec.label}. Default \`${spec.defaultUrl}\`, or the environment variable \`${spec.envName}\` when set.${extra} ` +
        'Credentials are sent only to the vendor\'s own host or to a host the operator lists in `APIKEYS_ALLOWED_HOSTS`; plain http only to loopback or to an `http://` entry.',
    },
  };
}

interface BaseUrlChoice {
  readonly url: string;
  /** Where the URL came from, for messages. */
  readonly origin: string;
}

function choose(spec: BaseUrlSpec, config: CtyObject, env: NodeJS.ProcessEnv): BaseUrlChoice {
  const direct = config[spec.attribute];
  if (typeof direct === 'string') return { url: direct, origin: spec.attribute };
  const fromEnv = env[spec.envName];
  if (fromEnv !== undefined && fromEnv !== '') return { url: fromEnv, origin: `the environment variable ${spec.envName} (used because ${spec.attribute} is unset)` };
  return { url: spec.defaultUrl, origin: `the default ${spec.attribute}` };
}

/** Why the provider block's own value of the attribute is refused; undefined when it is unset, unknown or allowed. Never throws. */
export function configuredBaseUrlProblem(spec: BaseUrlSpec, config: CtyObject, env: NodeJS.ProcessEnv): string | undefined {
  const direct = config[spec.attribute];
  if (typeof direct !== 'string' || isUnknown(direct)) return undefined;
  return urlProblem(spec, direct, env);
}

function urlProblem(spec: BaseUrlSpec, url: string, env: NodeJS.ProcessEnv): string | undefined {
  if (url.trim() === '') return `must not be empty; leave ${spec.attribute} unset to use ${spec.defaultUrl}`;
  return vendorUrlProblem(url, spec.defaultUrl, env);
}

export const BASE_URL_HINT = 'Nothing was sent to the vendor. The operator allows hosts with the APIKEYS_ALLOWED_HOSTS environment variable of the pipeline (comma-separated host, host:port or http://host:port).';

/** The base URL to send credentials to; a ConfigurationError naming the attribute when the policy refuses it. */
export function resolveBaseUrl(spec: BaseUrlSpec, config: CtyObject, env: NodeJS.ProcessEnv): string {
  const { url, origin } = choose(spec, config, env);
  const problem = urlProblem(spec, url, env);
  if (problem) throw new ConfigurationError(`${origin} ${problem}`, spec.attribute, BASE_URL_HINT);
  return url;
}

/** The policy check for a URL derived from the base URL (Atlas's OAuth token endpoint), with the same rule and message. */
export function checkDerivedUrl(spec: BaseUrlSpec, url: string, what: string, env: NodeJS.ProcessEnv): void {
  const problem = vendorUrlProblem(url, spec.defaultUrl, env);
  if (problem) throw new ConfigurationError(`${what}, derived from ${spec.attribute}, ${problem}`, spec.attribute, BASE_URL_HINT);
}
