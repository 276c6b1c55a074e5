import {
  ALLOWED_HOSTS_ENV, CREDENTIAL_ENV_ALLOWLIST_ENV, credentialEnvProblem, isLoopbackHost, parseAllowedHost, vendorUrlProblem,
} from '../../../src/core/security/policy';

const OPENAI = 'https://api.openai.com/v1';
const allowing = (hosts: string): NodeJS.ProcessEnv => ({ [ALLOWED_HOSTS_ENV]: hosts });

describe('vendorUrlProblem: where a credential may go', () => {
  test.each([
    ['the vendor\'s own URL', OPENAI],
    ['another path on the vendor\'s host', 'https://api.openai.com/v2/other'],
    ['the vendor\'s host with its default port written out', 'https://api.openai.com:443/v1'],
    ['the vendor\'s host in capitals (URLs normalise the host)', 'https://API.OPENAI.COM/v1'],
  ])('the default host over https is always allowed: %s', (_label, url) => {
    expect(vendorUrlProblem(url, OPENAI, {})).toBeUndefined();
  });

  test.each([
    ['plain http', 'http://api.openai.com/v1'],
    ['another port', 'https://api.openai.com:8443/v1'],
    ['a look-alike host', 'https://api.openai.com.evil.example/v1'],
    ['a trailing-dot host', 'https://api.openai.com./v1'],
  ])('the default host is allowed only as https on its own port: %s is refused', (_label, url) => {
    expect(vendorUrlProblem(url, OPENAI, {})).toMatch(/not allowed/);
  });

  test('with no allow-list, even loopback is refused: the operator must opt in', () => {
    expect(vendorUrlProblem('http://127.0.0.1:8080/v1', OPENAI, {})).toMatch(/points at 127\.0\.0\.1:8080, which the operator has not allowed/);
  });

  test.each([
    ['127.0.0.1', 'http://127.0.0.1:1234/openai/v1'],
    ['127.0.0.1', 'https://127.0.0.1/v1'],
    ['127.0.0.1:1234', 'http://127.0.0.1:1234/v1'],
    ['localhost', 'http://localhost:9/v1'],
    ['[::1]', 'http://[::1]:8080/v1'],
    ['::1', 'http://[::1]:8080/v1'],
    ['[::1]:8080', 'http://[0:0:0:0:0:0:0:1]:8080/v1'],
    ['127.0.0.1', 'http://127.1:5/v1'], // the URL parser normalises 127.1 to 127.0.0.1
    ['127.0.0.1', 'http://2130706433:5/v1'],
    ['proxy.example.com', 'https://proxy.example.com/v1'],
    ['proxy.example.com:8443', 'https://proxy.example.com:8443/v1'],
    ['PROXY.Example.com', 'https://proxy.example.com/v1'],
    ['https://proxy.example.com/', 'https://proxy.example.com/v1'],
    ['http://proxy.internal:8080', 'http://proxy.internal:8080/v1'],
    ['http://proxy.internal:8080', 'https://proxy.internal:8080/v1'],
    ['bücher.example', 'https://xn--bcher-kva.example/v1'],
    [' other.example , proxy.example.com ', 'https://proxy.example.com/v1'],
  ])('allowed with %j: %s', (hosts, url) => {
    expect(vendorUrlProblem(url, OPENAI, allowing(hosts))).toBeUndefined();
  });

  test.each([
    ['127.0.0.1:1234', 'http://127.0.0.1:1235/v1', /not allowed/],
    ['proxy.example.com:8443', 'https://proxy.example.com/v1', /not allowed/],
    ['proxy.example.com', 'http://proxy.example.com/v1', /plain http to proxy\.example\.com/],
    ['proxy.example.com:80', 'http://proxy.example.com/v1', /plain http/],
    ['https://proxy.example.com', 'http://proxy.example.com/v1', /plain http/],
    ['127.0.0.1', 'http://[::1]:8080/v1', /not allowed/],
    ['127.0.0.1', 'http://[::ffff:127.0.0.1]:8080/v1', /not allowed/],
    ['127.0.0.1', 'http://localhost:8080/v1', /not allowed/],
    ['example.com', 'https://sub.example.com/v1', /not allowed/],
    ['sub.example.com', 'https://example.com/v1', /not allowed/],
    ['*', 'https://anything.example/v1', /not allowed/],
    ['proxy.example.com/v1', 'https://proxy.example.com/v1', /not allowed/],
  ])('refused with %j: %s', (hosts, url, message) => {
    expect(vendorUrlProblem(url, OPENAI, allowing(hosts))).toMatch(message);
  });

  test.each([
    ['not a URL', 'not a url', /must be an absolute http\(s\) URL/],
    ['a relative path', '/v1', /must be an absolute http\(s\) URL/],
    ['ftp', 'ftp://127.0.0.1/v1', /must be an absolute http\(s\) URL/],
    ['javascript', 'javascript:alert(1)', /must be an absolute http\(s\) URL/],
    ['file', 'file:///etc/passwd', /must be an absolute http\(s\) URL/],
    ['an impossible IPv4 address', 'http://256.1.1.1/v1', /must be an absolute http\(s\) URL/],
    ['an unclosed IPv6 bracket', 'http://[::1/v1', /must be an absolute http\(s\) URL/],
    ['a user name and password', 'https://user:pass@127.0.0.1/v1', /must not carry a user name or password/],
    ['a user name only', 'https://user@127.0.0.1/v1', /must not carry a user name or password/],
    ['an empty string', '', /must be an absolute http\(s\) URL/],
    ['5000 characters', `https://127.0.0.1/${'a'.repeat(5000)}`, /longer than 2048 characters/],
  ])('never throws, and explains: %s', (_label, url, message) => {
    expect(vendorUrlProblem(url, OPENAI, allowing('127.0.0.1'))).toMatch(message);
  });

  test('the message never repeats credentials, keys or more than a short prefix of the value', () => {
    const key = `sk-admin-${'A'.repeat(40)}`;
    expect(vendorUrlProblem(key, OPENAI, {})).not.toContain(key);
    expect(vendorUrlProblem(`https://user:${key}@127.0.0.1/v1`, OPENAI, allowing('127.0.0.1'))).not.toContain(key);
    const long = `x${'y'.repeat(500)}`;
    expect(vendorUrlProblem(long, OPENAI, {})!.length).toBeLessThan(250);
    const longHost = `https://${'h'.repeat(60)}.${'i'.repeat(60)}.example/v1`;
    expect(vendorUrlProblem(longHost, OPENAI, {})).not.toContain('h'.repeat(60));
  });

  test('the refusal says how to allow the host', () => {
    expect(vendorUrlProblem('https://proxy.example.com:8443/v1', OPENAI, {})).toContain(`${ALLOWED_HOSTS_ENV}=proxy.example.com:8443`);
  });
});

describe('parseAllowedHost', () => {
  test.each([
    ['127.0.0.1', { hostname: '127.0.0.1', port: undefined, allowsPlainHttp: false }],
    ['127.0.0.1:8080', { hostname: '127.0.0.1', port: '8080', allowsPlainHttp: false }],
    ['http://10.0.0.5:8080', { hostname: '10.0.0.5', port: '8080', allowsPlainHttp: true }],
    ['HTTP://Proxy.Example', { hostname: 'proxy.example', port: undefined, allowsPlainHttp: true }],
    ['[::1]:9', { hostname: '[::1]', port: '9', allowsPlainHttp: false }],
    ['::1', { hostname: '[::1]', port: undefined, allowsPlainHttp: false }],
  ])('%s', (entry, expected) => {
    expect(parseAllowedHost(entry)).toEqual(expected);
  });

  test.each(['ftp://host', 'host/path', 'user@host', 'host:port', '[::1', ''])('an entry that is not a host allows nothing: %j', (entry) => {
    expect(parseAllowedHost(entry)).toBeUndefined();
  });
});

describe('isLoopbackHost', () => {
  test.each(['localhost', '127.0.0.1', '127.255.0.9', '[::1]', 'LOCALHOST'])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  test.each(['10.0.0.1', '0.0.0.0', 'localhost.example', '[::ffff:7f00:1]', '128.0.0.1'])('%s is not', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('credentialEnvProblem: which variables may be read as credentials', () => {
  test.each([
    ['openai_admin_key', 'OPENAI_ADMIN_KEY'],
    ['openai_admin_key', 'ACME_OPENAI_ADMIN_KEY'],
    ['openai_admin_key', 'acme_openai_admin_key'],
    ['edgeimpulse_api_key', 'EI_API_KEY'],
    ['edgeimpulse_api_key', 'EDGE_EU_EI_API_KEY'],
    ['edgeimpulse_api_key', 'ACME_EDGEIMPULSE_API_KEY'],
    ['atlas_public_key', 'MONGODB_ATLAS_PUBLIC_KEY'],
    ['atlas_private_key', 'ORG1_ATLAS_PRIVATE_KEY'],
    ['atlas_client_id', 'ORG1_ATLAS_CLIENT_ID'],
    ['atlas_client_secret', 'Org1_Atlas_Client_Secret'],
  ] as const)('%s may be read from %s', (kind, name) => {
    expect(credentialEnvProblem(kind, name, {})).toBeUndefined();
  });

  test.each([
    ['openai_admin_key', 'GITHUB_TOKEN'],
    ['openai_admin_key', 'AWS_SECRET_ACCESS_KEY'],
    ['openai_admin_key', 'PATH'],
    ['openai_admin_key', 'ACMEOPENAI_ADMIN_KEY'], // the suffix must follow an underscore
    ['openai_admin_key', 'OPENAI_ADMIN_KEY_BACKUP'],
    ['openai_admin_key', 'ACME_EI_API_KEY'], // another kind's suffix
    ['edgeimpulse_api_key', 'EDGE_EU_API_KEY'],
    ['atlas_public_key', 'ATLAS_A_PUBLIC_KEY'],
    ['atlas_private_key', 'ACME_ATLAS_PUBLIC_KEY'],
    ['atlas_client_id', 'ORG1_CLIENT_ID'],
  ] as const)('%s may not be read from %s', (kind, name) => {
    const problem = credentialEnvProblem(kind, name, {});
    expect(problem).toContain(`names ${name}, but an ${kind} variable must end with`); // every kind starts with a vowel
  });

  test.each([
    ['a pasted OpenAI admin key', `sk-admin-${'Z'.repeat(40)}`],
    ['a pasted Edge Impulse key (which is a valid name)', `ei_${'0123456789abcdef'.repeat(2)}`],
    ['a pasted Atlas client secret (also a valid name)', `mdb_sa_sk_${'a1'.repeat(20)}`],
    ['a pasted Atlas private key', '12345678-1234-1234-1234-123456789abc'],
  ])('a value that looks like a key is refused and never repeated: %s', (_label, value) => {
    const problem = credentialEnvProblem('openai_admin_key', value, {})!;
    expect(problem).toMatch(/looks like a secret key/);
    expect(problem).not.toContain(value);
  });

  test.each([
    ['spaces', 'ACME OPENAI_ADMIN_KEY'],
    ['a leading digit', '1_OPENAI_ADMIN_KEY'],
    ['a dash', 'ACME-OPENAI_ADMIN_KEY'],
    ['an equals sign', 'X=1_OPENAI_ADMIN_KEY'],
    ['300 characters', `${'A'.repeat(283)}_OPENAI_ADMIN_KEY`],
    ['nothing', ''],
  ])('not a variable name: %s', (_label, name) => {
    const problem = credentialEnvProblem('openai_admin_key', name, {})!;
    expect(problem).toMatch(/must be the name of an environment variable/);
    expect(problem.length).toBeLessThan(300);
  });

  test('the operator\'s allow-list replaces the suffix rule: names and prefixes', () => {
    const env = { [CREDENTIAL_ENV_ALLOWLIST_ENV]: 'CI_OPENAI, VAULT_* ' };
    expect(credentialEnvProblem('openai_admin_key', 'CI_OPENAI', env)).toBeUndefined();
    expect(credentialEnvProblem('atlas_private_key', 'VAULT_ATLAS', env)).toBeUndefined();
    expect(credentialEnvProblem('openai_admin_key', 'ACME_OPENAI_ADMIN_KEY', env)).toMatch(new RegExp(`${CREDENTIAL_ENV_ALLOWLIST_ENV} does not allow`));
    expect(credentialEnvProblem('openai_admin_key', 'GITHUB_TOKEN', env)).toMatch(/does not allow/);
    // Still a name, never a value.
    expect(credentialEnvProblem('openai_admin_key', `sk-admin-${'Z'.repeat(40)}`, env)).toMatch(/looks like a secret key/);
  });

  test('an empty allow-list means the suffix rule', () => {
    expect(credentialEnvProblem('openai_admin_key', 'ACME_OPENAI_ADMIN_KEY', { [CREDENTIAL_ENV_ALLOWLIST_ENV]: ' ' })).toBeUndefined();
  });
});
