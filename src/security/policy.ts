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

export const ALLOWED_HOSTS_ENV = 'APIKEYS_ALLOWED_HOSTS';
export const CREDENTIAL_ENV_ALLOWLIST_ENV = 'APIKEYS_CREDENTIAL_ENV_ALLOWLIST';

/** The kinds of credential the provider reads, with the suffix their variables must end with. */
export const CREDENTIAL_ENV_SUFFIXES = {
  openai_admin_key: ['OPENAI_ADMIN_KEY'],
  edgeimpulse_api_key: ['EI_API_KEY', 'EDGEIMPULSE_API_KEY'],
  atlas_public_key: ['ATLAS_PUBLIC_KEY'],
  atlas_private_key: ['ATLAS_PRIVATE_KEY'],
  atlas_client_id: ['ATLAS_CLIENT_ID'],
  atlas_client_secret: ['ATLAS_CLIENT_SECRET'],
} as const satisfies Record<string, readonly string[]>;

export type CredentialKind = keyof typeof CREDENTIAL_ENV_SUFFIXES;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function listSetting(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/**
 * Why `name` may not be read as a credential of `kind`, or undefined when it may.
 * The message never repeats the name when it looks like a pasted secret (it is then not a name).
 */
export function credentialEnvProblem(kind: CredentialKind, name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!ENV_NAME.test(name) || name.length > 128) {
    return 'must be the name of an environment variable (letters, digits and underscores, not starting with a digit, at most 128 characters), not a value';
  }
  const allowlist = listSetting(env, CREDENTIAL_ENV_ALLOWLIST_ENV);
  if (allowlist) {
    const allowed = allowlist.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
    return allowed ? undefined : `names ${name}, which the operator's ${CREDENTIAL_ENV_ALLOWLIST_ENV} does not allow; add it there, or use an allowed variable`;
  }
  const suffixes: readonly string[] = CREDENTIAL_ENV_SUFFIXES[kind];
  const upper = name.toUpperCase();
  if (suffixes.some((suffix) => upper === suffix || upper.endsWith(`_${suffix}`))) return undefined;
  return `names ${name}, but a ${kind} variable must end with ${suffixes.map((suffix) => `_${suffix}`).join(' or ')} ` +
    `(such as ACME_${suffixes[0]}), so that a manifest cannot read other secrets; or the operator lists it in ${CREDENTIAL_ENV_ALLOWLIST_ENV}`;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

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

/**
 * Why a credential may not be sent to `value`, or undefined when it may.
 * `defaultUrl` is the vendor's documented base URL, whose host is always allowed.
 */
export function vendorUrlProblem(value: string, defaultUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (value.length > 2048) return 'is longer than 2048 characters; it cannot be a vendor base URL';
  const url = parseHttpUrl(value);
  if (!url) return 'must be an absolute http(s) URL such as https://api.example.com/v1';
  if (url.username || url.password) return 'must not carry a user name or password; credentials come from the environment';
  const defaultHost = new URL(defaultUrl).host;
  if (url.protocol === 'https:' && url.host === defaultHost) return undefined;
  const entries = listSetting(env, ALLOWED_HOSTS_ENV) ?? [];
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const listed = entries.find((entry) => {
    const plain = entry.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
    const [host, entryPort] = plain.startsWith('[') ? [plain.slice(0, plain.indexOf(']') + 1), plain.slice(plain.indexOf(']') + 2)] : plain.split(':');
    return host.toLowerCase() === url.hostname.toLowerCase() && (!entryPort || entryPort === port);
  });
  if (!listed) {
    return `points at ${url.host}, which the operator has not allowed: credentials go only to ${defaultHost} ` +
      `or to hosts listed in the ${ALLOWED_HOSTS_ENV} environment variable of the pipeline (for example ${ALLOWED_HOSTS_ENV}=${url.host})`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !/^http:\/\//i.test(listed)) {
    return `uses plain http to ${url.host}, which would send credentials unencrypted; use https, or list http://${url.host} in ${ALLOWED_HOSTS_ENV} to allow it explicitly`;
  }
  return undefined;
}
