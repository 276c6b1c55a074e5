import { TerraformOutput, Token } from '../cdk';
import type { Construct } from 'constructs';
import type { ApiKeysResource } from '../bindings/attributes';
import { escapeTemplateSequences } from '../bindings/literal-strings';
import type { AddressClaim } from './address-registry';
import { quoteForMessage, stableAddress, terraformName, type ProblemCollector } from './validation';

/**
 * Which sensitive outputs carry an organization's secrets:
 * - `organization`: one output, `<organization>_secrets`, a map of key → secret;
 * - `key`: one output per key, `<organization>_<key>_secret`.
 * Terraform evaluates and stores every output at each plan and apply, so one
 * output per key costs about 1.5 s of plan time per 1,000 keys (bench/); a
 * map per organization costs next to nothing.
 */
export type SecretOutputs = 'organization' | 'key';

export const SECRET_OUTPUTS = ['organization', 'key'] as const satisfies readonly SecretOutputs[];
export const DEFAULT_SECRET_OUTPUTS: SecretOutputs = 'organization';

/** The prop every organization construct offers for its secret outputs. */
export interface SecretOutputsOptions {
  /**
   * Which sensitive outputs carry the secrets: `organization`, one map of key
   * name → secret named `<id>_secrets` (read one with `terraform output -json`);
   * `key`, one output per key named `<id>_<key name>_secret` (`terraform output -raw`).
   * @default "organization"
   */
  readonly outputs?: SecretOutputs;
}

/** A key resource: every one has its one-time secret as an attribute, in clear or sealed to age recipients. */
export type KeyResource = ApiKeysResource & { readonly secret: string; readonly encryptedSecret: string };

/** A key whose secret an output carries. */
export interface SecretKey {
  /** What the key is known by in its organization (its name; `<project id>_<name>` for an OpenAI project key): the map's key, and the per-key output's name. */
  readonly subject: string;
  readonly resource: KeyResource;
  /** Whether the construct set `secret_recipients` on the key: its output then carries `encrypted_secret`. */
  readonly sealed: boolean;
  /** The per-key output's description. */
  readonly description: string;
}

export interface OrganizationSecrets {
  /** The organization's construct id: names its outputs. */
  readonly organization: string;
  /** Names the organization in the map output's description, e.g. "OpenAI organization acme". */
  readonly label: string;
  readonly outputs?: SecretOutputs;
  readonly keys: readonly SecretKey[];
}

export interface SecretOutputSet {
  /** Per-key outputs, by subject (none with `organization`). */
  readonly byKey: Readonly<Record<string, TerraformOutput>>;
  /** The organization's map output (none with `key`). */
  readonly organization?: TerraformOutput;
}

export function checkSecretOutputs(problems: ProblemCollector, outputs: unknown): void {
  problems.check(outputs === undefined || (SECRET_OUTPUTS as readonly unknown[]).includes(outputs),
    `outputs must be ${SECRET_OUTPUTS.map((value) => `"${value}"`).join(' or ')} (got ${quoteForMessage(outputs)}).`);
}

/** The name of an organization's map output. */
const organizationSecretsName = (organization: string): string => `${terraformName(organization)}_secrets`;

/**
 * The map output's name, when there is one: two organizations with the same id
 * (of two vendors, or on two provider blocks) would share it. (Per-key output
 * names are claimed with their keys' addresses, whichever `outputs` is chosen.)
 */
export const secretOutputsClaims = (organization: string, outputs: SecretOutputs | undefined): AddressClaim[] =>
  ((outputs ?? DEFAULT_SECRET_OUTPUTS) === 'organization' ? [{ address: `output ${organizationSecretsName(organization)}`, source: 'its secrets output' }] : []);

/**
 * The value an output holds for a key: the one place that says which secret
 * a key's outputs carry. (Recipients set only on the provider leave `secret`
 * null: name `encrypted_secret` yourself then.)
 */
const secretOf = (key: SecretKey): string => (key.sealed ? key.resource.encryptedSecret : key.resource.secret);

/**
 * Every secret output of one organization, each sensitive (Terraform prints
 * `<sensitive>`) with a static name (not derived from the construct path), so
 * pipelines can rely on it across refactors.
 */
export function addSecretOutputs(scope: Construct, secrets: OrganizationSecrets): SecretOutputSet {
  if ((secrets.outputs ?? DEFAULT_SECRET_OUTPUTS) === 'key') {
    const byKey = Object.fromEntries(secrets.keys.map((key) => [key.subject, new TerraformOutput(scope, `${stableAddress(secrets.organization, key.subject)}_secret`, {
      value: secretOf(key), sensitive: true, staticId: true, description: key.description,
    })]));
    return { byKey };
  }
  // Terraform reads an object's property names as templates: a literal name keeps its `${` and `%{` as text.
  const value = Object.fromEntries(secrets.keys.map((key) => [
    Token.isUnresolved(key.subject) ? key.subject : escapeTemplateSequences(key.subject), secretOf(key),
  ]));
  const organization = new TerraformOutput(scope, organizationSecretsName(secrets.organization), {
    value, sensitive: true, staticId: true, description: `The secrets of the keys of ${secrets.label}, by key name`,
  });
  return { byKey: {}, organization };
}
