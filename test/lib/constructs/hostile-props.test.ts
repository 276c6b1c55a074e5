/**
 * Hostile and malformed construct props, table-driven: each is a
 * PropsValidationError naming the field, raised while the construct is built
 * (before synthesis, so before any vendor call), never repeating a value that
 * looks like a credential.
 */
import { Token, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AtlasOrganization, type AtlasOrganizationProps } from '../../../lib/constructs/atlas/organization';
import { EdgeImpulseOrganization, type EdgeImpulseOrganizationProps } from '../../../lib/constructs/edgeimpulse/organization';
import { OpenAiOrganization, type OpenAiOrganizationProps } from '../../../lib/constructs/openai/organization';
import { synthesisProblems } from '../../support/lib';

const OPENAI_KEY = `sk-admin-${'Q7x'.repeat(12)}`;
const EI_KEY = `ei_${'4f'.repeat(20)}`;
const ATLAS_SECRET = `mdb_sa_sk_${'Zq9'.repeat(10)}`;
const ATLAS_PRIVATE = '3f2a1b4c-1234-4abc-8def-db2c132ca78d';
const ORG = '5980cfc70b6d97029d82e3f6';
/** An age identity (made for these tests, used nowhere), and a recipient (a public key). */
const AGE_IDENTITY = 'AGE-SECRET-KEY-1ZNR2U0LGNU60XJ25WFR9DSXHNLGCFE0DML4RHV4V3RQPQSG95RNSR7T0GN';
const AGE_RECIPIENT = 'age1uxfjfkrz0vk4aayj878fuv7pvtpk00z8v9kwpd2p67crmaz8dpaqmu6l4c';

type Build = (scope: Construct) => void;
const openai = (props: OpenAiOrganizationProps, id = 'acme'): Build => (scope) => new OpenAiOrganization(scope, id, props);
const edge = (props: Partial<EdgeImpulseOrganizationProps>, id = 'edge'): Build =>
  (scope) => new EdgeImpulseOrganization(scope, id, { organizationId: 1, apiKeyEnv: 'EDGE_EI_API_KEY', ...props });
const atlas = (props: Partial<AtlasOrganizationProps>, id = 'atlas'): Build =>
  (scope) => new AtlasOrganization(scope, id, { organizationId: ORG, ...props });

interface HostileProps {
  readonly name: string;
  /** Constructs built in order in one stack; the last must throw. */
  readonly build: Build[];
  readonly message: RegExp;
  readonly neverShown?: string;
}

const POLICY = (field: string) => new RegExp(`${field.replace(/[.[\]]/g, '\\$&')} names \\w+, but an? \\w+ variable must end with`);
const NOT_A_NAME = (field: string) => new RegExp(`${field.replace(/[.[\]]/g, '\\$&')} must be the name of an environment variable`);
const URL_PROBLEM = /baseUrl must be an absolute http\(s\) URL such as https:\/\/api\.example\.com\/v1/;

export const HOSTILE_PROPS: readonly HostileProps[] = [
  // Credential variables follow the operator's policy.
  { name: 'adminKeyEnv: GITHUB_TOKEN', build: [openai({ adminKeyEnv: 'GITHUB_TOKEN' })], message: POLICY('adminKeyEnv') },
  { name: 'adminKeyEnv: AWS_SECRET_ACCESS_KEY', build: [openai({ adminKeyEnv: 'AWS_SECRET_ACCESS_KEY' })], message: POLICY('adminKeyEnv') },
  { name: 'apiKeyEnv: AWS_SECRET_ACCESS_KEY', build: [edge({ apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' })], message: POLICY('apiKeyEnv') },
  { name: 'apiKeyEnv: an OpenAI variable', build: [edge({ apiKeyEnv: 'ACME_OPENAI_ADMIN_KEY' })], message: POLICY('apiKeyEnv') },
  { name: 'auth.publicKeyEnv: GITHUB_TOKEN', build: [atlas({ auth: { publicKeyEnv: 'GITHUB_TOKEN', privateKeyEnv: 'A_ATLAS_PRIVATE_KEY' } })], message: POLICY('auth.publicKeyEnv') },
  { name: 'auth.privateKeyEnv: NPM_TOKEN', build: [atlas({ auth: { publicKeyEnv: 'A_ATLAS_PUBLIC_KEY', privateKeyEnv: 'NPM_TOKEN' } })], message: POLICY('auth.privateKeyEnv') },
  { name: 'auth.clientIdEnv: HOME', build: [atlas({ auth: { clientIdEnv: 'HOME', clientSecretEnv: 'A_ATLAS_CLIENT_SECRET' } })], message: POLICY('auth.clientIdEnv') },
  { name: 'auth.clientSecretEnv: a public key variable', build: [atlas({ auth: { clientIdEnv: 'A_ATLAS_CLIENT_ID', clientSecretEnv: 'A_ATLAS_PUBLIC_KEY' } })], message: POLICY('auth.clientSecretEnv') },
  { name: 'adminKeyEnv holds a pasted OpenAI key', build: [openai({ adminKeyEnv: OPENAI_KEY })], message: NOT_A_NAME('adminKeyEnv'), neverShown: OPENAI_KEY },
  { name: 'apiKeyEnv holds a pasted Edge Impulse key', build: [edge({ apiKeyEnv: EI_KEY })], message: NOT_A_NAME('apiKeyEnv'), neverShown: EI_KEY },
  { name: 'clientSecretEnv holds a pasted Atlas secret', build: [atlas({ auth: { clientIdEnv: 'A_ATLAS_CLIENT_ID', clientSecretEnv: ATLAS_SECRET } })], message: NOT_A_NAME('auth.clientSecretEnv'), neverShown: ATLAS_SECRET },
  { name: 'privateKeyEnv holds a pasted Atlas private key', build: [atlas({ auth: { publicKeyEnv: 'A_ATLAS_PUBLIC_KEY', privateKeyEnv: ATLAS_PRIVATE } })], message: NOT_A_NAME('auth.privateKeyEnv'), neverShown: ATLAS_PRIVATE },
  { name: 'adminKeyEnv is a shell command', build: [openai({ adminKeyEnv: '$(id)' })], message: NOT_A_NAME('adminKeyEnv') },
  { name: 'adminKeyEnv is not a string', build: [openai({ adminKeyEnv: 42 as never })], message: NOT_A_NAME('adminKeyEnv') },
  // Rotations: the same rules as the manifest and the provider, at the prop's path.
  { name: 'rotation every 90 (no unit)', build: [openai({ adminKeys: [{ name: 'ci', rotation: { every: '90', overlap: '7d' } }] })], message: /adminKeys\[0\]\.rotation\.every must be a duration: a whole number and a unit/ },
  { name: 'rotation every 1y', build: [edge({ keys: [{ name: 'ci', role: 'admin', rotation: { every: '1y', overlap: '0s' } }] })], message: /keys\[0\]\.rotation\.every must be a duration/ },
  { name: 'rotation overlap -1d', build: [atlas({ keys: [{ name: 'ci', roles: ['ORG_MEMBER'], rotation: { every: '90d', overlap: '-1d' } }] })], message: /keys\[0\]\.rotation\.overlap must be a duration/ },
  { name: 'rotation every 0m', build: [openai({ rotation: { every: '0m', overlap: '0s' } })], message: /rotation\.every must be at least 1m \(got "0m"\)/ },
  { name: 'rotation overlap 1.5d', build: [openai({ projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc', rotation: { every: '9d', overlap: '1.5d' } }] }] })], message: /projects\[0\]\.keys\[0\]\.rotation\.overlap must be a duration/ },
  { name: 'rotation overlap not shorter than every', build: [edge({ rotation: { every: '7d', overlap: '8d' } })], message: /rotation\.overlap \(8d\) must be shorter than every \(7d\)/ },
  // Pruning: a known policy, a bounded limit, a duration.
  { name: 'undeclaredKeys: delete', build: [openai({ undeclaredKeys: 'delete' as never })], message: /undeclaredKeys must be one of "warn", "fail", "prune", "off" \(got "delete"\)/ },
  { name: 'pruneLimit: 0', build: [edge({ undeclaredKeys: 'prune', pruneLimit: 0 })], message: /pruneLimit must be a whole number from 1 to 1000 keys per apply \(got 0\)/ },
  { name: 'pruneLimit: 1e9', build: [atlas({ undeclaredKeys: 'prune', pruneLimit: 1e9 })], message: /pruneLimit must be a whole number from 1 to 1000/ },
  { name: 'pruneMinAge: an hour', build: [openai({ undeclaredKeys: 'prune', pruneMinAge: 'an hour' })], message: /pruneMinAge must be a duration/ },
  // Secret recipients: age recipients, at least one, each once; an identity pasted by mistake is never repeated.
  { name: 'secretRecipients holds an age identity', build: [openai({ adminKeys: [{ name: 'ci', secretRecipients: [AGE_IDENTITY] }] })], message: /adminKeys\[0\]\.secretRecipients \[0\] is an age identity \(a private key, AGE-SECRET-KEY-\.\.\.\), not a recipient/, neverShown: AGE_IDENTITY.slice(15) },
  { name: 'secretRecipients on an organization: a malformed recipient', build: [edge({ secretRecipients: ['age1short'] })], message: /^[\s\S]*secretRecipients \[0\] must be an age recipient such as the "Public key: age1\.\.\." line age-keygen prints/ },
  { name: 'secretRecipients: an SSH key', build: [atlas({ keys: [{ name: 'ci', roles: ['ORG_MEMBER'], secretRecipients: ['ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ ci@host'] }] })], message: /keys\[0\]\.secretRecipients \[0\] is an SSH public key/ },
  { name: 'secretRecipients: an empty list', build: [openai({ projects: [{ projectId: 'proj_abc', keys: [{ name: 'svc', secretRecipients: [] }] }] })], message: /projects\[0\]\.keys\[0\]\.secretRecipients must list at least one age recipient/ },
  { name: 'secretRecipients: a recipient twice', build: [openai({ secretRecipients: [AGE_RECIPIENT, AGE_RECIPIENT] })], message: /secretRecipients \[1\] repeats an earlier recipient/ },
  // Base URLs: code may set them, but they must be URLs; never echoed.
  { name: 'baseUrl with an ftp scheme', build: [openai({ baseUrl: 'ftp://example.com' })], message: URL_PROBLEM },
  { name: 'baseUrl with an impossible IPv4 address', build: [openai({ baseUrl: 'http://256.1.1.1/v1' })], message: URL_PROBLEM },
  { name: 'baseUrl that is not a URL', build: [edge({ baseUrl: 'not a url' })], message: URL_PROBLEM },
  { name: 'baseUrl of 3000 characters', build: [atlas({ baseUrl: `https://example.com/${'a'.repeat(3000)}` })], message: URL_PROBLEM, neverShown: 'a'.repeat(100) },
  { name: 'baseUrl holding a credential', build: [openai({ baseUrl: `javascript:${OPENAI_KEY}` })], message: URL_PROBLEM, neverShown: OPENAI_KEY },
  { name: 'baseUrl that is not a string', build: [edge({ baseUrl: {} as never })], message: URL_PROBLEM },
  // Names: bounded, printable, not credentials.
  { name: 'a 300 KB admin key name', build: [openai({ adminKeys: [{ name: 'n'.repeat(300 * 1024) }] })], message: /adminKeys\[0\]\.name must be at most 256 characters \(it has 307200\)/, neverShown: 'n'.repeat(1000) },
  { name: 'a project key name of 257 characters', build: [openai({ projects: [{ projectId: 'proj_a', keys: [{ name: 'p'.repeat(257) }] }] })], message: /projects\[0\]\.keys\[0\]\.name must be at most 256 characters \(it has 257\)/ },
  { name: 'an Edge Impulse key name of 257 characters', build: [edge({ keys: [{ name: 'e'.repeat(257), role: 'admin' }] })], message: /keys\[0\]\.name must be at most 256 characters \(it has 257\)/ },
  { name: 'an Atlas name of 251 characters as description', build: [atlas({ keys: [{ name: 'k'.repeat(251), roles: ['ORG_READ_ONLY'] }] })], message: /keys\[0\]\.name \(also its description\) must be 1 to 250 characters long \(it has 251\)/ },
  { name: 'a key name with a newline', build: [openai({ adminKeys: [{ name: 'a\nb' }] })], message: /adminKeys\[0\]\.name contains a control character/ },
  { name: 'a key name with a NUL', build: [edge({ keys: [{ name: 'a\u0000b', role: 'admin' }] })], message: /keys\[0\]\.name contains a control character/ },
  { name: 'a key name with a right-to-left override', build: [atlas({ keys: [{ name: 'a\u202eb', roles: ['ORG_READ_ONLY'] }] })], message: /keys\[0\]\.name \(also its description\) contains a control character/ },
  { name: 'an Atlas description with an ANSI escape', build: [atlas({ keys: [{ name: 'k', description: '\u001b[31mred', roles: ['ORG_READ_ONLY'] }] })], message: /keys\[0\]\.description contains a control character/ },
  { name: 'an Atlas description holding a credential', build: [atlas({ keys: [{ name: 'k', description: ATLAS_PRIVATE, roles: ['ORG_READ_ONLY'] }] })], message: /keys\[0\]\.description looks like a credential/, neverShown: ATLAS_PRIVATE },
  { name: 'a key name holding a credential', build: [openai({ adminKeys: [{ name: OPENAI_KEY }] })], message: /adminKeys\[0\]\.name looks like a credential/, neverShown: OPENAI_KEY },
  { name: 'an ignored name with a control character', build: [openai({ ignoreUndeclaredNames: ['a\tb'] })], message: /ignoreUndeclaredNames\[0\] contains a control character/ },
  { name: 'an empty key name', build: [edge({ keys: [{ name: ' ', role: 'admin' }] })], message: /keys\[0\]\.name must not be empty or only white space/ },
  { name: 'a key name that is not a string', build: [openai({ adminKeys: [{ name: 7 as never }] })], message: /adminKeys\[0\]\.name must be a string \(got 7\)/ },
  // Values are never echoed when they look like credentials.
  { name: 'an Atlas organization id that is a private key', build: [atlas({ organizationId: ATLAS_PRIVATE })], message: /organizationId must be an Atlas organization id: 24 hexadecimal digits \(got a value that looks like a credential/, neverShown: ATLAS_PRIVATE },
  { name: 'a project id that is an OpenAI key', build: [openai({ projects: [{ projectId: OPENAI_KEY, keys: [] }] })], message: /projects\[0\]\.projectId must be an OpenAI project id/, neverShown: OPENAI_KEY },
  { name: 'an Edge Impulse role that is a key', build: [edge({ keys: [{ name: 'k', role: EI_KEY as never }] })], message: /keys\[0\]\.role must be one of "admin", "member" \(got a value that looks like a credential/, neverShown: EI_KEY },
  { name: 'an Atlas role that is a key', build: [atlas({ keys: [{ name: 'k', roles: [ATLAS_SECRET] }] })], message: /keys\[0\]\.roles contains/, neverShown: ATLAS_SECRET },
  // Numbers.
  { name: 'organizationId NaN', build: [edge({ organizationId: Number.NaN })], message: /organizationId must be an Edge Impulse organization id: a whole number, at least 1 \(got a number out of range\)/ },
  { name: 'ttlSeconds Infinity', build: [edge({ keys: [{ name: 'k', role: 'admin', ttlSeconds: Number.POSITIVE_INFINITY }] })], message: /ttlSeconds must be a number of seconds: a whole number, at least 1 \(got a number out of range\)/ },
  { name: 'expiresInSeconds 1e300', build: [openai({ adminKeys: [{ name: 'k', expiresInSeconds: 1e300 }] })], message: /expiresInSeconds must be a whole number from 1 to 31536000/ },
  { name: 'a project id as a token', build: [openai({ projects: [{ projectId: Token.asString({ resolve: () => 'proj_x' }), keys: [] }] })], message: /projects\[0\]\.projectId must be a literal project id, not a token/ },
  // Every address unique across organizations in the stack, both constructs named.
  {
    name: 'organization a key b_c, then organization a_b key c',
    build: [openai({ adminKeys: [{ name: 'b_c' }] }, 'a'), openai({ adminKeys: [{ name: 'c' }] }, 'a_b')],
    message: /adminKeys\[0\] "c" would synthesize resource apikeys_openai_admin_key\.a_b_c, which test\/a \(adminKeys\[0\] "b_c"\) already declares/,
  },
  {
    name: 'an OpenAI key and an Edge Impulse key with one output name',
    build: [openai({ adminKeys: [{ name: 'b_c' }] }, 'a'), edge({ keys: [{ name: 'c', role: 'admin' }] }, 'a_b')],
    message: /keys\[0\] "c" would synthesize output a_b_c_secret, which test\/a \(adminKeys\[0\] "b_c"\) already declares/,
  },
  {
    name: 'a project key and another organization\'s admin key',
    build: [openai({ projects: [{ projectId: 'proj_x', keys: [{ name: 'y' }] }] }, 'a'), openai({ adminKeys: [{ name: 'y' }] }, 'a_proj_x')],
    message: /would synthesize output a_proj_x_y_secret, which test\/a \(projects\[0\]\.keys\[0\] "y"\) already declares/,
  },
  {
    name: 'two Atlas organizations whose ids sanitize alike',
    build: [atlas({ keys: [{ name: 'k', roles: ['ORG_READ_ONLY'] }] }, 'x y'), atlas({ keys: [{ name: 'k', roles: ['ORG_READ_ONLY'] }] }, 'x_y')],
    message: /its connection would synthesize atlas_connection "x_y" in provider apikeys, which test\/x y \(its connection\) already declares; rename one of the organizations/,
  },
];

describe('hostile construct props are refused at synthesis, naming the field', () => {
  test('the table holds at least 40 cases', () => {
    expect(HOSTILE_PROPS.length).toBeGreaterThanOrEqual(40);
  });

  test.each(HOSTILE_PROPS.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    entry.build.forEach((build) => build(stack));
    const error = synthesisProblems(stack);
    if (!error.problems.some((problem) => entry.message.test(problem))) throw new Error(`no problem matches ${entry.message}:\n${error.message}`);
    if (entry.neverShown) expect(error.message).not.toContain(entry.neverShown);
    expect(error.message.length).toBeLessThan(5000);
  });

  test('the same names in two stacks do not clash', () => {
    const app = Testing.app();
    const synthesized = ['one', 'two'].map((name) => {
      const stack = new TerraformStack(app, name);
      openai({ adminKeys: [{ name: 'b_c' }] }, 'a')(stack);
      openai({ adminKeys: [{ name: 'x' }] }, 'a_b')(stack);
      return JSON.parse(Testing.synth(stack, true)) as { resource: Record<string, Record<string, { name: string }>> };
    });
    for (const json of synthesized) {
      expect(Object.values(json.resource.apikeys_openai_admin_key).map((key) => key.name).sort()).toEqual(['b_c', 'x']);
    }
  });
});
