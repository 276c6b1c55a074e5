/**
 * Hostile and careless plain-HCL configurations, through the real terraform
 * binary and the provider bundle of this checkout. For every case: terraform
 * exits non-zero, an error names the attribute (Terraform's `with ...` line
 * and the summary, or the message), nothing looks like a crash (stack trace,
 * gRPC "Internal", panic), no key-shaped value is repeated, and the vendor
 * emulator received no request at all. Cases are batched into a few
 * terraform runs (one provider alias or resource per case), each run bounded
 * by a deadline, so a hang fails instead of blocking.
 *
 * The credential-redirection case runs end to end against a second local
 * listener that the operator has not allowed: it must receive nothing.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { VendorEmulator } from '../../src/emulator/server';
import type { RunResult } from '../../src/cli/run';
import { TerraformWorkspace } from '../../harness/terraform';

const RUN_DEADLINE_MS = 240_000;
const PROVIDER_ADDRESS = 'provider["registry.terraform.io/cdktf-apikeys/apikeys"]';
const CRASH = /panic:|rpc error|\bInternal\b|Plugin did not respond|unexpected provider error|\n\s+at [^\n]+:\d+:\d+\)?\n|TypeError|RangeError/;

const OPENAI_KEY = `sk-admin-${'Q7'.repeat(24)}`;
const EI_KEY = `ei_${'f3'.repeat(24)}`;
const ATLAS_SECRET = `mdb_sa_sk_${'k9'.repeat(24)}`;
const ATLAS_PRIVATE = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
/** An age identity (made for these tests, used nowhere), and a recipient (a public key). */
const AGE_IDENTITY = 'AGE-SECRET-KEY-1ZNR2U0LGNU60XJ25WFR9DSXHNLGCFE0DML4RHV4V3RQPQSG95RNSR7T0GN';
const AGE_RECIPIENT = 'age1uxfjfkrz0vk4aayj878fuv7pvtpk00z8v9kwpd2p67crmaz8dpaqmu6l4c';

/** An HCL string literal that Terraform reads back as exactly `value` (no interpolation). */
function hcl(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

const HEADER = `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
`;

/** One hostile value: the HCL of one attribute, the attribute the error must name, and text it must say. */
interface Case {
  readonly label: string;
  readonly attribute: string;
  /** The attribute line(s), as HCL. */
  readonly body: string;
  readonly expect: RegExp;
  /** Values that must appear nowhere in terraform's output. */
  readonly secrets?: readonly string[];
}

const long = (length: number, unit = 'a') => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/* ---- Provider block: base URLs, credential variable names, numbers (seen by ValidateProviderConfig). ---- */
const PROVIDER_CASES: Case[] = [
  { label: 'base URL that is not a URL', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('not a url')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'impossible IPv4 address (was a gRPC Internal error)', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('http://256.1.1.1/v1')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'ftp:// URL', attribute: 'edgeimpulse_base_url', body: `edgeimpulse_base_url = ${hcl('ftp://127.0.0.1/v1')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'javascript: URL', attribute: 'atlas_base_url', body: `atlas_base_url = ${hcl('javascript:alert(1)')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'file: URL', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('file:///etc/passwd')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'relative URL', attribute: 'edgeimpulse_base_url', body: `edgeimpulse_base_url = ${hcl('/v1')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'empty base URL', attribute: 'atlas_base_url', body: `atlas_base_url = ""`, expect: /must not be empty/ },
  { label: 'userinfo in the URL (u:p@host)', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('https://u:p@127.0.0.1/v1')}`, expect: /must not carry a user name or password/ },
  { label: 'userinfo holding a key', attribute: 'edgeimpulse_base_url', body: `edgeimpulse_base_url = ${hcl(`https://x:${EI_KEY}@127.0.0.1/v1`)}`, expect: /must not carry a user name or password/, secrets: [EI_KEY] },
  { label: 'unlisted https host', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('https://collector.example/v1')}`, expect: /points at collector\.example, which the operator has not allowed/ },
  { label: 'look-alike of the vendor host', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('https://api.openai.com.collector.example/v1')}`, expect: /which the operator has not allowed/ },
  { label: 'vendor host on another port', attribute: 'atlas_base_url', body: `atlas_base_url = ${hcl('https://cloud.mongodb.com:8443')}`, expect: /points at cloud\.mongodb\.com:8443/ },
  { label: 'vendor host over plain http', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('http://api.openai.com/v1')}`, expect: /points at api\.openai\.com, which the operator has not allowed/ },
  { label: 'plain http to a host listed without http://', attribute: 'edgeimpulse_base_url', body: `edgeimpulse_base_url = ${hcl('http://10.0.0.5/v1')}`, expect: /uses plain http to 10\.0\.0\.5/ },
  { label: '5000-character URL', attribute: 'atlas_base_url', body: `atlas_base_url = ${hcl(`https://127.0.0.1/${long(5000)}`)}`, expect: /longer than 2048 characters/ },
  { label: 'unicode host', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('https://bücher.example/v1')}`, expect: /points at xn--bcher-kva\.example/ },
  { label: 'IPv6 loopback, not listed', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('http://[::1]:8080/v1')}`, expect: /points at \[::1\]:8080, which the operator has not allowed/ },
  { label: 'IPv4-mapped IPv6 loopback', attribute: 'edgeimpulse_base_url', body: `edgeimpulse_base_url = ${hcl('http://[::ffff:127.0.0.1]:9/v1')}`, expect: /which the operator has not allowed/ },
  { label: 'unclosed IPv6 bracket', attribute: 'atlas_base_url', body: `atlas_base_url = ${hcl('http://[::1/atlas')}`, expect: /must be an absolute http\(s\) URL/ },
  { label: 'control characters and a template sequence', attribute: 'openai_base_url', body: `openai_base_url = ${hcl('https://x\u0000y/${file("/etc/hostname")}')}`, expect: /must be an absolute http\(s\) URL|not allowed/ },
  { label: 'credential variable GITHUB_TOKEN', attribute: 'openai_admin_key_env', body: `openai_admin_key_env = "GITHUB_TOKEN"`, expect: /names GITHUB_TOKEN, but an openai_admin_key variable must end with _OPENAI_ADMIN_KEY/ },
  { label: 'credential variable AWS_SECRET_ACCESS_KEY', attribute: 'edgeimpulse_api_key_env', body: `edgeimpulse_api_key_env = "AWS_SECRET_ACCESS_KEY"`, expect: /names AWS_SECRET_ACCESS_KEY, but/ },
  { label: 'credential variable PATH', attribute: 'atlas_public_key_env', body: `atlas_public_key_env = "PATH"`, expect: /names PATH, but an atlas_public_key variable must end with _ATLAS_PUBLIC_KEY/ },
  { label: 'credential variable in lower case, wrong suffix', attribute: 'atlas_private_key_env', body: `atlas_private_key_env = "github_token"`, expect: /names github_token, but/ },
  { label: 'another kind\'s suffix', attribute: 'atlas_client_secret_env', body: `atlas_client_secret_env = "ACME_ATLAS_CLIENT_ID"`, expect: /must end with _ATLAS_CLIENT_SECRET/ },
  { label: 'a suffix without its underscore', attribute: 'atlas_client_id_env', body: `atlas_client_id_env = "ACMEATLAS_CLIENT_ID"`, expect: /must end with _ATLAS_CLIENT_ID/ },
  { label: 'name with spaces', attribute: 'openai_admin_key_env', body: `openai_admin_key_env = "ACME OPENAI_ADMIN_KEY"`, expect: /must be the name of an environment variable/ },
  { label: '300-character name', attribute: 'edgeimpulse_api_key_env', body: `edgeimpulse_api_key_env = ${hcl(`${long(286, 'A')}_EI_API_KEY`)}`, expect: /at most 128 characters/ },
  { label: 'pasted OpenAI admin key', attribute: 'openai_admin_key_env', body: `openai_admin_key_env = ${hcl(OPENAI_KEY)}`, expect: /looks like a secret key/, secrets: [OPENAI_KEY] },
  { label: 'pasted Edge Impulse key (a valid identifier)', attribute: 'edgeimpulse_api_key_env', body: `edgeimpulse_api_key_env = ${hcl(EI_KEY)}`, expect: /looks like a secret key/, secrets: [EI_KEY] },
  { label: 'pasted Atlas client secret', attribute: 'atlas_client_secret_env', body: `atlas_client_secret_env = ${hcl(ATLAS_SECRET)}`, expect: /looks like a secret key/, secrets: [ATLAS_SECRET] },
  { label: 'pasted Atlas private key', attribute: 'atlas_private_key_env', body: `atlas_private_key_env = ${hcl(ATLAS_PRIVATE)}`, expect: /looks like a secret key/, secrets: [ATLAS_PRIVATE] },
  { label: 'secret_recipients holding an age identity', attribute: 'secret_recipients', body: `secret_recipients = [${hcl(AGE_IDENTITY)}]`, expect: /\[0\] is an age identity \(a private key, AGE-SECRET-KEY-\.\.\.\), not a recipient/, secrets: [AGE_IDENTITY] },
  { label: 'secret_recipients empty', attribute: 'secret_recipients', body: 'secret_recipients = []', expect: /must list at least one age recipient/ },
  { label: 'request_timeout_seconds = 0', attribute: 'request_timeout_seconds', body: 'request_timeout_seconds = 0', expect: /must be a whole number from 1 to 600 seconds \(got 0\)/ },
  { label: 'request_timeout_seconds = -1', attribute: 'request_timeout_seconds', body: 'request_timeout_seconds = -1', expect: /must be a whole number from 1 to 600 seconds \(got -1\)/ },
  { label: 'request_timeout_seconds = 1e308', attribute: 'request_timeout_seconds', body: 'request_timeout_seconds = 1e308', expect: /must be a whole number from 1 to 600 seconds/ },
  { label: 'request_timeout_seconds = 1e400 (beyond float64)', attribute: 'request_timeout_seconds', body: 'request_timeout_seconds = 1e400', expect: /cannot read this value/ },
  { label: 'request_timeout_seconds = 0.5', attribute: 'request_timeout_seconds', body: 'request_timeout_seconds = 0.5', expect: /must be a whole number from 1 to 600 seconds \(got 0\.5\)/ },
  { label: 'max_retries = 11', attribute: 'max_retries', body: 'max_retries = 11', expect: /must be a whole number from 0 to 10 \(got 11\)/ },
  { label: 'max_retries = -1', attribute: 'max_retries', body: 'max_retries = -1', expect: /must be a whole number from 0 to 10 \(got -1\)/ },
  { label: 'max_retries = 2.5', attribute: 'max_retries', body: 'max_retries = 2.5', expect: /must be a whole number from 0 to 10 \(got 2\.5\)/ },
  { label: 'atlas_api_version not offered', attribute: 'atlas_api_version', body: `atlas_api_version = ${hcl('v3; DROP')}`, expect: /must be one of "v2", "v1\.0"/ },
  // Named connections: the same checks inside each labelled block, named with the block.
  { label: 'connection block: unlisted https host', attribute: 'base_url in openai_connection "acme"', body: `openai_connection "acme" {\n    base_url = ${hcl('https://collector.example/v1')}\n  }`, expect: /points at collector\.example, which the operator has not allowed/ },
  { label: 'connection block: credential variable GITHUB_TOKEN', attribute: 'admin_key_env in openai_connection "acme"', body: 'openai_connection "acme" {\n    admin_key_env = "GITHUB_TOKEN"\n  }', expect: /names GITHUB_TOKEN, but an openai_admin_key variable must end with _OPENAI_ADMIN_KEY/ },
  { label: 'connection block: pasted Edge Impulse key as a variable name', attribute: 'api_key_env in edgeimpulse_connection "acme"', body: `edgeimpulse_connection "acme" {\n    api_key_env = ${hcl(EI_KEY)}\n  }`, expect: /looks like a secret key/, secrets: [EI_KEY] },
  { label: 'connection block: userinfo in an Atlas URL', attribute: 'base_url in atlas_connection "acme"', body: `atlas_connection "acme" {\n    base_url = ${hcl(`https://x:${ATLAS_PRIVATE}@127.0.0.1`)}\n  }`, expect: /must not carry a user name or password/, secrets: [ATLAS_PRIVATE] },
  { label: 'connection block: api_version not offered', attribute: 'api_version', body: 'atlas_connection "acme" {\n    api_version = "v3"\n  }', expect: /atlas_connection "acme": must be one of "v2", "v1\.0"/ },
  { label: 'connection label that is not a name', attribute: 'edgeimpulse_connection label', body: 'edgeimpulse_connection "../acme" {\n  }', expect: /The label of edgeimpulse_connection "\.\.\/acme" must be a connection name/ },
];

/* ---- Resource and data source arguments (seen by ValidateResourceConfig / ValidateDataResourceConfig). ---- */
interface ResourceCase extends Case {
  readonly type: string;
  /** The resource's other, valid arguments. */
  readonly rest: string;
  readonly data?: boolean;
}
const ADMIN = { type: 'apikeys_openai_admin_key', rest: '' };
const PROJECT = { type: 'apikeys_openai_project_key', rest: 'project_id = "proj_abc123"\nname = "ok"' };
const EDGE = { type: 'apikeys_edgeimpulse_organization_key', rest: 'organization_id = 4242\nname = "ok"\nrole = "admin"' };
const ATLAS = { type: 'apikeys_atlas_organization_key', rest: 'organization_id = "5980cfc70b6d97029d82e3f6"\ndescription = "ok"\nroles = ["ORG_MEMBER"]' };
const without = (rest: string, attribute: string) => rest.split('\n').filter((line) => !line.startsWith(`${attribute} `)).join('\n');

const RESOURCE_CASES: ResourceCase[] = [
  { ...ADMIN, label: 'empty key name', attribute: 'name', body: 'name = ""', expect: /must not be empty or only white space/ },
  { ...ADMIN, label: 'white-space key name', attribute: 'name', body: `name = ${hcl(' \t\n ')}`, expect: /must not be empty or only white space/ },
  { ...ADMIN, label: '300 KB key name', attribute: 'name', body: `name = ${hcl(long(300 * 1024, 'n'))}`, expect: /must be at most 256 characters \(it has 307200\)/ },
  { ...ADMIN, label: 'expires_in_seconds = 0', attribute: 'expires_in_seconds', body: 'name = "ok"\nexpires_in_seconds = 0', expect: /must be a whole number from 1 to/ },
  { ...ADMIN, label: 'expires_in_seconds = 1e12', attribute: 'expires_in_seconds', body: 'name = "ok"\nexpires_in_seconds = 1e12', expect: /must be a whole number from 1 to/ },
  { ...ADMIN, label: 'expires_in_seconds = 0.5', attribute: 'expires_in_seconds', body: 'name = "ok"\nexpires_in_seconds = 0.5', expect: /must be a whole number from 1 to/ },
  { ...PROJECT, label: 'project_id not matching proj_...', attribute: 'project_id', body: `project_id = ${hcl('proj-../../organization')}`, rest: without(PROJECT.rest, 'project_id'), expect: /must be an OpenAI project id such as proj_abc123/ },
  { ...PROJECT, label: 'project_id that is a pasted key', attribute: 'project_id', body: `project_id = ${hcl(`sk-proj-${'Z'.repeat(40)}`)}`, rest: without(PROJECT.rest, 'project_id'), expect: /looks like a credential \(not repeated here\)/, secrets: [`sk-proj-${'Z'.repeat(40)}`] },
  { ...PROJECT, label: 'white-space service account name', attribute: 'name', body: 'name = "   "', rest: without(PROJECT.rest, 'name'), expect: /must not be empty or only white space/ },
  { ...PROJECT, label: '300 KB service account name', attribute: 'name', body: `name = ${hcl(long(300 * 1024, 'p'))}`, rest: without(PROJECT.rest, 'name'), expect: /must be at most 256 characters/ },
  { ...EDGE, label: 'role that does not exist', attribute: 'role', body: 'role = "superuser"', rest: without(EDGE.rest, 'role'), expect: /must be one of .*\(got "superuser"\)/ },
  { ...EDGE, label: 'organization_id = 0', attribute: 'organization_id', body: 'organization_id = 0', rest: without(EDGE.rest, 'organization_id'), expect: /a whole number, at least 1/ },
  { ...EDGE, label: 'organization_id = -7.5', attribute: 'organization_id', body: 'organization_id = -7.5', rest: without(EDGE.rest, 'organization_id'), expect: /a whole number, at least 1/ },
  { ...EDGE, label: 'organization_id = 1e400', attribute: 'organization_id', body: 'organization_id = 1e400', rest: without(EDGE.rest, 'organization_id'), expect: /cannot read this value/ },
  { ...EDGE, label: 'empty name', attribute: 'name', body: 'name = ""', rest: without(EDGE.rest, 'name'), expect: /must not be empty/ },
  { ...EDGE, label: '300 KB name', attribute: 'name', body: `name = ${hcl(long(300 * 1024, 'e'))}`, rest: without(EDGE.rest, 'name'), expect: /must be at most 256 characters/ },
  { ...EDGE, label: 'ttl_seconds = 0', attribute: 'ttl_seconds', body: 'ttl_seconds = 0', expect: /a whole number, at least 1/ },
  { ...ATLAS, label: 'organization_id not 24 hex digits', attribute: 'organization_id', body: `organization_id = ${hcl('../orgs/x')}`, rest: without(ATLAS.rest, 'organization_id'), expect: /must be an Atlas organization id: 24 hexadecimal digits/ },
  { ...ATLAS, label: 'role that does not exist', attribute: 'roles', body: 'roles = ["ORG_GOD"]', rest: without(ATLAS.rest, 'roles'), expect: /contains "ORG_GOD"; allowed values are/ },
  { ...ATLAS, label: 'no roles', attribute: 'roles', body: 'roles = []', rest: without(ATLAS.rest, 'roles'), expect: /must contain at least one element/ },
  { ...ATLAS, label: 'empty description', attribute: 'description', body: 'description = ""', rest: without(ATLAS.rest, 'description'), expect: /must be 1 to 250 characters long/ },
  { ...ATLAS, label: '300 KB description', attribute: 'description', body: `description = ${hcl(long(300 * 1024, 'd'))}`, rest: without(ATLAS.rest, 'description'), expect: /must be 1 to 250 characters long \(it has 307200\)/ },
  { ...ADMIN, label: 'rotation every "90" (no unit)', attribute: 'rotation', body: 'name = "ok"\nrotation = { every = "90", overlap = "7d" }', expect: /every must be a duration: a whole number and a unit/ },
  { ...PROJECT, label: 'rotation every 1y', attribute: 'rotation', body: 'rotation = { every = "1y", overlap = "0s" }', expect: /every must be a duration/ },
  { ...EDGE, label: 'rotation overlap -1d', attribute: 'rotation', body: 'rotation = { every = "90d", overlap = "-1d" }', expect: /overlap must be a duration/ },
  { ...ATLAS, label: 'rotation every 0m', attribute: 'rotation', body: 'rotation = { every = "0m", overlap = "0s" }', expect: /every must be at least 1m \(got "0m"\)/ },
  { ...ADMIN, label: 'rotation overlap 1.5d', attribute: 'rotation', body: 'name = "ok"\nrotation = { every = "9d", overlap = "1.5d" }', expect: /overlap must be a duration/ },
  { ...EDGE, label: 'rotation overlap not shorter than every', attribute: 'rotation', body: 'rotation = { every = "7d", overlap = "7d" }', expect: /overlap \(7d\) must be shorter than every \(7d\)/ },
  { ...ATLAS, label: 'rotation with a misspelt setting', attribute: 'rotation', body: 'rotation = { every = "7d", overlap = "1d", evry = "1d" }', expect: /has an unknown setting "evry"/ },
  { ...ADMIN, label: 'secret_recipients: a malformed recipient', attribute: 'secret_recipients', body: 'name = "ok"\nsecret_recipients = ["age1nope"]', expect: /\[0\] must be an age recipient such as the "Public key: age1\.\.\." line age-keygen prints/ },
  { ...EDGE, label: 'secret_recipients: an age identity, never repeated by the provider', attribute: 'secret_recipients', body: `secret_recipients = [${hcl(AGE_RECIPIENT)}, ${hcl(AGE_IDENTITY.toLowerCase())}]`, expect: /\[1\] is an age identity/, secrets: [AGE_IDENTITY.toLowerCase()] },
  { ...ATLAS, label: 'secret_recipients: an SSH key', attribute: 'secret_recipients', body: 'secret_recipients = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf0vJ ci@host"]', expect: /\[0\] is an SSH public key/ },
  { ...PROJECT, label: 'secret_recipients: a recipient twice', attribute: 'secret_recipients', body: `secret_recipients = [${hcl(AGE_RECIPIENT)}, ${hcl(AGE_RECIPIENT)}]`, expect: /\[1\] repeats an earlier recipient/ },
  { ...ADMIN, label: 'secret_recipients: an empty list', attribute: 'secret_recipients', body: 'name = "ok"\nsecret_recipients = []', expect: /must list at least one age recipient/ },
  { ...PROJECT, label: 'rotation without overlap', attribute: 'rotation', body: 'rotation = { every = "7d" }', expect: /must set overlap/ },
  { type: 'apikeys_exclusive_keys', rest: 'family = "openai_admin_key"\nmanaged_ids = []', label: 'pruning limit 0', attribute: 'limit', body: 'limit = 0', expect: /must be a whole number from 1 to 1000 keys per apply \(got 0\)/ },
  { type: 'apikeys_exclusive_keys', rest: 'family = "openai_admin_key"\nmanaged_ids = []', label: 'pruning limit 1e9', attribute: 'limit', body: 'limit = 1e9', expect: /must be a whole number from 1 to 1000/ },
  { type: 'apikeys_exclusive_keys', rest: 'family = "openai_admin_key"\nmanaged_ids = []', label: 'pruning min_age without a unit', attribute: 'min_age', body: 'min_age = "60"', expect: /must be a duration/ },
  { ...ADMIN, label: 'connection that is not a label', attribute: 'connection_name', body: 'name = "ok"\nconnection_name = "../acme"', expect: /must be a connection name/ },
  { type: 'apikeys_organization_keys', data: true, rest: 'family = "openai_admin_key"', label: 'data source connection that is not a label', attribute: 'connection_name', body: `connection_name = ${hcl('acme corp')}`, expect: /must be a connection name/ },
  { type: 'apikeys_organization_keys', data: true, rest: '', label: 'data source family that does not exist', attribute: 'family', body: `family = ${hcl('everything')}`, expect: /must be one of .*\(got "everything"\)/ },
];

/* ---- Import ids (seen by ImportResourceState, before any read). ---- */
interface ImportCase { readonly label: string; readonly type: string; readonly rest: string; readonly id: string; readonly expect: RegExp }
const IMPORT_CASES: ImportCase[] = [
  { label: 'admin key id with a path', type: ADMIN.type, rest: 'name = "ok"', id: '../../admin_api_keys', expect: /"\.\.\/\.\.\/admin_api_keys" is not an OpenAI admin key id/ },
  { label: 'admin key id that is a pasted key', type: ADMIN.type, rest: 'name = "ok"', id: OPENAI_KEY, expect: /looks like a credential \(not repeated here\) is not an OpenAI admin key id/ },
  { label: 'project key id without the project', type: PROJECT.type, rest: PROJECT.rest, id: 'key_abc', expect: /is not an OpenAI project key import id/ },
  { label: 'Edge Impulse id that is not numbers', type: EDGE.type, rest: EDGE.rest, id: 'abc/def', expect: /is not an Edge Impulse organization key import id/ },
  { label: 'connection prefix that is not a label', type: ADMIN.type, rest: 'name = "ok"', id: '../x:key_abc', expect: /the connection label before ":" in import id/ },
  { label: 'Atlas id of 5000 characters', type: ATLAS.type, rest: ATLAS.rest, id: long(5000, 'z'), expect: /is not an Atlas organization key import id/ },
];

/**
 * Terraform's error diagnostics (with -no-color: "Error: summary", the `with` and `on` lines, a
 * source snippet, then the wrapped detail), each as one string with white space collapsed.
 */
function errorBlocks(result: RunResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split(/^(?=Error: |Warning: )/m)
    .filter((block) => block.startsWith('Error: '))
    .map((block) => block.replace(/\s+/g, ' ').trim());
}

/** A block without Terraform's source snippet (lines such as "  12:   name = ..."), i.e. only what the provider said. */
function providerText(result: RunResult): string {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => !/^\s*\d+:/.test(line)).join('\n');
}

function expectNoCrash(result: RunResult): void {
  expect(result.exitCode).not.toBe(0);
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(CRASH);
}

describe('hostile plain-HCL configurations, through the real terraform binary', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let emulatorHost: string;

  /** Every vendor request the emulator has seen (its own control API is not recorded). */
  async function emulatorRequests(): Promise<unknown[]> {
    const answer = await request(`${emulator.url}/_emulator/requests`);
    return await answer.body.json() as unknown[];
  }

  async function runBatch(main: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    workspace.write('main.tf', main);
    return workspace.terraform(args, env, { timeoutMs: RUN_DEADLINE_MS });
  }

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    emulatorHost = new URL(emulator.url).host;
    const vendors = emulator.describe().vendors;
    workspace = TerraformWorkspace.create({ 'main.tf': HEADER }, {
      APIKEYS_ALLOWED_HOSTS: `${emulatorHost},10.0.0.5`,
      OPENAI_ADMIN_KEY: String(vendors.openai.adminKey),
      EI_API_KEY: String(vendors.edgeimpulse.apiKey),
      MONGODB_ATLAS_PUBLIC_KEY: String(vendors.atlas.publicKey),
      MONGODB_ATLAS_PRIVATE_KEY: String(vendors.atlas.privateKey),
    });
    const init = await workspace.terraform(['init'], {}, { timeoutMs: RUN_DEADLINE_MS });
    if (init.exitCode !== 0) throw new Error(`terraform init failed\n${init.stdout}\n${init.stderr}`);
  }, RUN_DEADLINE_MS + 30_000);

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  afterEach(async () => {
    expect(await emulatorRequests()).toEqual([]);
  });

  describe(`provider block: ${PROVIDER_CASES.length} cases in one terraform validate`, () => {
    let result: RunResult;
    let blocks: string[];
    const alias = (index: number) => `p${String(index).padStart(2, '0')}`;

    beforeAll(async () => {
      const main = HEADER + PROVIDER_CASES.map((testCase, index) => `
provider "apikeys" {
  alias = "${alias(index)}"
  ${testCase.body}
}
resource "apikeys_openai_admin_key" "${alias(index)}" {
  provider = apikeys.${alias(index)}
  name     = "ok"
}
`).join('');
      result = await runBatch(main, ['validate']);
      blocks = errorBlocks(result);
    }, RUN_DEADLINE_MS + 30_000);

    test('terraform exits non-zero, with one error per case and nothing that looks like a crash', () => {
      expectNoCrash(result);
      expect(blocks).toHaveLength(PROVIDER_CASES.length);
    });

    test.each(PROVIDER_CASES.map((testCase, index) => [testCase.label, testCase, index] as const))('%s', (_label, testCase, index) => {
      const summary = `Error: Invalid ${testCase.attribute}`;
      const mine = blocks.filter((block) => block.includes(`with ${PROVIDER_ADDRESS}.${alias(index)},`));
      expect(mine).toHaveLength(1);
      expect(mine[0].startsWith(summary)).toBe(true);
      expect(mine[0]).toMatch(testCase.expect);
      // A key-shaped value gets no attribute path, so Terraform points at the provider block instead of printing the line.
      for (const secret of testCase.secrets ?? []) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    });
  });

  describe(`resource and data source arguments: ${RESOURCE_CASES.length} cases in one terraform validate`, () => {
    let result: RunResult;
    let blocks: string[];
    const name = (index: number) => `r${String(index).padStart(2, '0')}`;
    const address = (testCase: ResourceCase, index: number) => `${testCase.data ? 'data.' : ''}${testCase.type}.${name(index)}`;

    beforeAll(async () => {
      const main = HEADER + `provider "apikeys" {\n  openai_base_url = "${emulator.url}/openai/v1"\n}\n` + RESOURCE_CASES.map((testCase, index) => `
${testCase.data ? 'data' : 'resource'} "${testCase.type}" "${name(index)}" {
  ${testCase.body}
  ${testCase.rest}
}
`).join('');
      result = await runBatch(main, ['validate']);
      blocks = errorBlocks(result);
    }, RUN_DEADLINE_MS + 30_000);

    test('terraform exits non-zero, with one error per case and nothing that looks like a crash', () => {
      expectNoCrash(result);
      expect(blocks).toHaveLength(RESOURCE_CASES.length);
    });

    test.each(RESOURCE_CASES.map((testCase, index) => [testCase.label, testCase, index] as const))('%s (%#)', (_label, testCase, index) => {
      const mine = blocks.filter((block) => block.includes(`with ${address(testCase, index)},`));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatch(new RegExp(`^Error: Invalid ${testCase.attribute}\\b`));
      expect(mine[0]).toMatch(testCase.expect);
      // Terraform prints the offending configuration line itself; the provider's own message must not repeat the value.
      for (const secret of testCase.secrets ?? []) expect(providerText(result)).not.toContain(secret);
    });
  });

  describe(`import ids: ${IMPORT_CASES.length} import blocks in one terraform plan`, () => {
    let result: RunResult;
    let blocks: string[];
    const name = (index: number) => `i${String(index).padStart(2, '0')}`;

    beforeAll(async () => {
      const main = HEADER + `provider "apikeys" {
  openai_base_url      = "${emulator.url}/openai/v1"
  edgeimpulse_base_url = "${emulator.url}/edgeimpulse/v1"
  atlas_base_url       = "${emulator.url}/atlas"
}
` + IMPORT_CASES.map((testCase, index) => `
import {
  to = ${testCase.type}.${name(index)}
  id = ${hcl(testCase.id)}
}
resource "${testCase.type}" "${name(index)}" {
  ${testCase.rest}
}
`).join('');
      result = await runBatch(main, ['plan']);
      blocks = errorBlocks(result);
    }, RUN_DEADLINE_MS + 30_000);

    test('terraform exits non-zero, nothing looks like a crash, and no error repeats a pasted key', () => {
      expectNoCrash(result);
      expect(blocks).toHaveLength(IMPORT_CASES.length);
      // Terraform itself prints "Preparing import... [id=...]"; the provider's errors must not repeat it.
      expect(blocks.join('\n')).not.toContain(OPENAI_KEY);
    });

    test.each(IMPORT_CASES.map((testCase, index) => [testCase.label, testCase, index] as const))('%s', (_label, testCase, index) => {
      // Import errors carry no address; each case's message is distinct.
      const mine = blocks.filter((block) => block.startsWith(`Error: Cannot import ${testCase.type} `) && testCase.expect.test(block));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatch(testCase.expect);
      expect(mine[0].length).toBeLessThan(2000); // a 5000-character id is not repeated whole
    });
  });

  describe('values from the environment, checked when a connection is first used (terraform plan)', () => {
    const ENV_CASES: [string, () => NodeJS.ProcessEnv, string, RegExp][] = [
      ['OPENAI_BASE_URL to an unlisted port', () => ({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }), 'resource "apikeys_openai_admin_key" "k" {\n  name = "ok"\n}',
        /the environment variable OPENAI_BASE_URL \(used because openai_base_url is unset\) points at 127\.0\.0\.1:9/],
      ['EDGEIMPULSE_BASE_URL over plain http to a host listed without http://', () => ({ EDGEIMPULSE_BASE_URL: 'http://10.0.0.5:80/v1' }),
        'resource "apikeys_edgeimpulse_organization_key" "k" {\n  organization_id = 4242\n  name = "ok"\n  role = "admin"\n}',
        /EDGEIMPULSE_BASE_URL \(used because edgeimpulse_base_url is unset\) uses plain http to 10\.0\.0\.5/],
      ['MONGODB_ATLAS_BASE_URL that is not a URL, read by the data source', () => ({ MONGODB_ATLAS_BASE_URL: 'http://256.1.1.1' }),
        'data "apikeys_organization_keys" "k" {\n  family = "atlas_organization_key"\n  organization_id = "5980cfc70b6d97029d82e3f6"\n}',
        /MONGODB_ATLAS_BASE_URL \(used because atlas_base_url is unset\) must be an absolute http\(s\) URL/],
      ['a default credential variable that the operator\'s allow-list leaves out', () => ({ OPENAI_BASE_URL: `${emulator.url}/openai/v1`, APIKEYS_CREDENTIAL_ENV_ALLOWLIST: 'CI_*' }),
        'resource "apikeys_openai_admin_key" "k" {\n  name = "ok"\n}', /the default OPENAI_ADMIN_KEY is not in it/],
    ];
    test.each(ENV_CASES)('%s', async (_label, env, resource, expected) => {
      const result = await runBatch(`${HEADER}provider "apikeys" {}\n${resource}\n`, ['plan'], env());
      expectNoCrash(result);
      const blocks = errorBlocks(result);
      expect(blocks).toHaveLength(1);
      expect(blocks[0]).toMatch(expected);
    }, RUN_DEADLINE_MS + 10_000);
  });

  describe('credential redirection: a second local server the operator has not allowed receives nothing', () => {
    let listener: Server;
    let listenerUrl: string;
    const received: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];

    beforeAll(async () => {
      listener = createServer((incoming, outgoing) => {
        received.push({ method: incoming.method, url: incoming.url, headers: incoming.headers });
        incoming.resume();
        outgoing.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"collector"}');
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    });

    beforeEach(() => {
      received.length = 0;
    });

    const dataSource = 'data "apikeys_organization_keys" "all" {\n  family = "openai_admin_key"\n}\n';

    test('openai_base_url in the provider block: plan fails naming it, before any request', async () => {
      const result = await runBatch(`${HEADER}provider "apikeys" {\n  openai_base_url = "${listenerUrl}/v1"\n}\n${dataSource}`, ['plan'], { APIKEYS_ALLOWED_HOSTS: emulatorHost });
      expectNoCrash(result);
      const blocks = errorBlocks(result);
      expect(blocks).toHaveLength(1);
      expect(blocks[0]).toContain('Error: Invalid openai_base_url');
      expect(blocks[0]).toContain(`with ${PROVIDER_ADDRESS},`);
      expect(blocks[0]).toContain(`openai_base_url points at ${new URL(listenerUrl).host}, which the operator has not allowed`);
      expect(received).toEqual([]);
    }, RUN_DEADLINE_MS + 10_000);

    test('OPENAI_BASE_URL in the environment: the data source read fails naming it, before any request', async () => {
      const result = await runBatch(`${HEADER}provider "apikeys" {}\n${dataSource}`, ['plan'], { APIKEYS_ALLOWED_HOSTS: emulatorHost, OPENAI_BASE_URL: `${listenerUrl}/v1` });
      expectNoCrash(result);
      expect(errorBlocks(result).join('\n')).toMatch(/OPENAI_BASE_URL \(used because openai_base_url is unset\) points at 127\.0\.0\.1:\d+, which the operator has not allowed/);
      expect(received).toEqual([]);
    }, RUN_DEADLINE_MS + 10_000);

    test('atlas_base_url with a service account: no token request reaches the listener', async () => {
      const main = `${HEADER}provider "apikeys" {
  atlas_base_url          = "${listenerUrl}"
  atlas_client_id_env     = "ACME_ATLAS_CLIENT_ID"
  atlas_client_secret_env = "ACME_ATLAS_CLIENT_SECRET"
}
resource "apikeys_atlas_organization_key" "k" {
  ${ATLAS.rest.replace(/\n/g, '\n  ')}
}
`;
      const result = await runBatch(main, ['plan'], {
        APIKEYS_ALLOWED_HOSTS: emulatorHost, ACME_ATLAS_CLIENT_ID: 'mdb_sa_id_0123456789', ACME_ATLAS_CLIENT_SECRET: ATLAS_SECRET,
      });
      expectNoCrash(result);
      expect(errorBlocks(result).join('\n')).toContain('Error: Invalid atlas_base_url');
      expect(`${result.stdout}${result.stderr}`).not.toContain(ATLAS_SECRET);
      expect(received).toEqual([]);
    }, RUN_DEADLINE_MS + 10_000);

    test('control: once the operator allows the listener, the same plan does reach it (so zero above means refused)', async () => {
      const result = await runBatch(`${HEADER}provider "apikeys" {\n  openai_base_url = "${listenerUrl}/v1"\n  max_retries = 0\n}\n${dataSource}`, ['plan'], {
        APIKEYS_ALLOWED_HOSTS: `${emulatorHost},${new URL(listenerUrl).host}`,
      });
      expect(result.exitCode).not.toBe(0); // the listener answers 500
      expect(received.length).toBeGreaterThan(0);
      expect(received[0].url).toContain('/v1/organization/admin_api_keys');
    }, RUN_DEADLINE_MS + 10_000);
  });
});
