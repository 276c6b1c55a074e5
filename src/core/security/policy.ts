/**
 * The operator's credential policy: where a credential may be sent, and
 * which environment variables may be read as credentials.
 *
 * A key manifest is untrusted input (anyone who opens a pull request can
 * edit it), while the pipeline that applies it holds every vendor's admin
 * credentials. So both choices belong to the operator's environment, never
 * to a manifest or to the configuration synthesized from it:
 *
 * - Hosts. A credential goes only to the vendor's own host, or to a host the
 *   operator lists in APIKEYS_ALLOWED_HOSTS (comma-separated `host`,
 *   `host:port`, or `http://host[:port]`). Plain http is refused unless the
 *   host is a loopback address or the entry names the http scheme.
 * - Variables. A credential variable's name must end with its kind's
 *   conventional suffix (e.g. `ACME_OPENAI_ADMIN_KEY` for an OpenAI admin
 *   key), so a manifest cannot name GITHUB_TOKEN or AWS_SECRET_ACCESS_KEY.
 *   An operator who sets APIKEYS_CREDENTIAL_ENV_ALLOWLIST (comma-separated
 *   names, or prefixes ending in `*`) replaces that convention with an
 *   explicit list.
 *
 * Every layer (manifest loader, constructs, provider) asks this module, so
 * each rule is written once.
 */

import { VENDOR_FACTS, type CredentialKind } from '../facts';
import { looksLikeSecret, quoteForMessage } from './secret-patterns';

export const ALLOWED_HOSTS_ENV = 'APIKEYS_ALLOWED_HOSTS';
export const CREDENTIAL_ENV_ALLOWLIST_ENV = 'APIKEYS_CREDENTIAL_ENV_ALLOWLIST';

/** The kinds of credential the provider reads, with the suffix their variables must end with (from each vendor's facts). */
export const CREDENTIAL_ENV_SUFFIXES = Object.fromEntries(VENDOR_FACTS.flatMap((facts) =>
  Object.values(facts.credentials).map((credential) => [credential.kind, credential.envSuffixes] as const))) as Record<CredentialKind, readonly string[]>;

export type { CredentialKind };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_ENV_NAME_LENGTH = 128;
const MAX_URL_LENGTH = 2048;

function listSetting(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/**
 * Why `name` may not be read as a credential of `kind`, or undefined when it may.
 * The message never repeats the name when it looks like a pasted secret (it is then not a name).
 * Names are compared case-insensitively with the suffixes: `acme_openai_admin_key` is as clear as
 * `ACME_OPENAI_ADMIN_KEY`.
 */
export function credentialEnvProblem(kind: CredentialKind, name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (looksLikeSecret(name)) {
    return 'looks like a secret key, not the name of an environment variable; put the secret in the environment of the pipeline and name that variable here';
  }
  if (!ENV_NAME.test(name) || name.length > MAX_ENV_NAME_LENGTH) {
    return `must be the name of an environment variable (letters, digits and underscores, not starting with a digit, at most ${MAX_ENV_NAME_LENGTH} characters), not a value`;
  }
  const allowlist = listSetting(env, CREDENTIAL_ENV_ALLOWLIST_ENV);
  if (allowlist) {
    const allowed = allowlist.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
    return allowed ? undefined : `names ${name}, which the operator's ${CREDENTIAL_ENV_ALLOWLIST_ENV} does not allow; add it there, or use an allowed variable`;
  }
  const suffixes: readonly string[] = CREDENTIAL_ENV_SUFFIXES[kind];
  const upper = name.toUpperCase();
  if (suffixes.some((suffix) => upper === suffix || upper.endsWith(`_${suffix}`))) return undefined;
  return `names ${name}, but ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} variable must end with ${suffixes.map((suffix) => `_${suffix}`).join(' or ')} ` +
    `(such as ACME_${suffixes[0]}), so that a manifest cannot read other secrets; or the operator lists it in ${CREDENTIAL_ENV_ALLOWLIST_ENV}`;
}

// URL parsing normalises every spelling of a loopback address (127.1, 0x7f.1, [0:0::1]) to these forms.
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** Parses a URL without throwing; undefined when it is not an absolute http(s) URL. */
export function parseHttpUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

/** One APIKEYS_ALLOWED_HOSTS entry: a hostname normalised as URLs normalise it, an optional port, and whether it allows plain http. */
interface AllowedHost {
  readonly hostname: string;
  readonly port?: string;
  readonly allowsPlainHttp: boolean;
}

const ENTRY = /^(?:(https?):\/\/)?(\[[^\]/]*\]|[^:/[\]@?#\s]+)(?::(\d{1,5}))?\/*$/i;

/** Parses an entry; undefined when it is not `host`, `host:port` or `scheme://host[:port]` (such entries allow nothing). */
export function parseAllowedHost(entry: string): AllowedHost | undefined {
  // A bare IPv6 address (::1) has colons but no port.
  const bracketed = !entry.includes('[') && !entry.includes('/') && (entry.match(/:/g) ?? []).length > 1 ? `[${entry}]` : entry;
  const match = ENTRY.exec(bracketed);
  if (!match) return undefined;
  const [, scheme, host, port] = match;
  const normalised = parseHttpUrl(`http://${host}`);
  if (!normalised || normalised.hostname === '') return undefined;
  return { hostname: normalised.hostname, port, allowsPlainHttp: scheme?.toLowerCase() === 'http' };
}

export function allowedHosts(env: NodeJS.ProcessEnv = process.env): AllowedHost[] {
  return (listSetting(env, ALLOWED_HOSTS_ENV) ?? []).map(parseAllowedHost).filter((entry): entry is AllowedHost => entry !== undefined);
}

/** A host for a message: as written when short and not secret-looking. */
function showHost(host: string): string {
  return host.length <= 64 && !looksLikeSecret(host) ? host : 'that host';
}

/**
 * Why a credential may not be sent to `value`, or undefined when it may.
 * `defaultUrl` is the vendor's documented base URL, whose host is always allowed over https.
 * Never throws, whatever the value.
 */
export function vendorUrlProblem(value: string, defaultUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (value.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters (it has ${value.length}); it cannot be a vendor base URL`;
  const url = parseHttpUrl(value);
  if (!url) return `must be an absolute http(s) URL such as https://api.example.com/v1; got ${quoteForMessage(value)}`;
  if (url.username || url.password) return 'must not carry a user name or password; credentials come from the environment';
  const defaultHost = new URL(defaultUrl).host;
  if (url.protocol === 'https:' && url.host === defaultHost) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const listed = allowedHosts(env).find((entry) => entry.hostname === url.hostname && (entry.port === undefined || entry.port === port));
  const shown = showHost(url.host);
  if (!listed) {
    return `points at ${shown}, which the operator has not allowed: credentials go only to ${defaultHost} ` +
      `or to hosts listed in the ${ALLOWED_HOSTS_ENV} environment variable of the pipeline (for example ${ALLOWED_HOSTS_ENV}=${shown === url.host ? shown : 'api.example.com'})`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !listed.allowsPlainHttp) {
    return `uses plain http to ${shown}, which would send credentials unencrypted; use https, or list http://${shown} in ${ALLOWED_HOSTS_ENV} to allow it explicitly`;
  }
  return undefined;
}
