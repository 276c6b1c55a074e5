import { Construct } from 'constructs';
import { Token, type TerraformOutput } from 'cdktf';
import { OpenaiAdminKey } from '../bindings/openai-admin-key';
import { OpenaiProjectKey } from '../bindings/openai-project-key';
import { ApikeysProvider } from '../bindings/provider';
import { addSecretOutput } from './secret-output';
import { addUndeclaredKeysCheck, type UndeclaredKeysOptions } from './undeclared-keys';
import { OPENAI_ADMIN_KEY_NAME_MAX, OPENAI_SERVICE_ACCOUNT_NAME_MAX } from '../../src/vendors/openai/limits';
import { checkAddressesFree, claimAddresses, keyClaims, type AddressClaim } from './address-registry';
import { ProblemCollector, quoteForMessage, stableAddress, terraformName } from './validation';

export const OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS = 31_536_000;
/** OpenAI project ids: `proj_` and letters and digits. */
export const OPENAI_PROJECT_ID_PATTERN = /^proj_[A-Za-z0-9]+$/;

export interface OpenAiAdminKeyProps {
  /** The key's name at OpenAI. Also names its construct and its secret output; unique within the organization. */
  readonly name: string;
  /** Lifetime in seconds, 1..31536000. @default - the key never expires */
  readonly expiresInSeconds?: number;
}

export interface OpenAiProjectKeyProps {
  /**
   * Name of the service account that owns the key (OpenAI makes project keys
   * only through service accounts). Also names its construct and secret output;
   * unique within the project. Changing it renames the account in place.
   */
  readonly name: string;
}

export interface OpenAiProjectProps {
  /** The project id, e.g. proj_abc123 (dashboard: project settings). */
  readonly projectId: string;
  /** The keys this project should have. */
  readonly keys: readonly OpenAiProjectKeyProps[];
}

/** Undeclared-key options apply to the admin keys and to the keys of each listed project. */
export interface OpenAiOrganizationProps extends UndeclaredKeysOptions {
  /** Environment variable that holds this organization's admin key at deploy time. @default "OPENAI_ADMIN_KEY" */
  readonly adminKeyEnv?: string;
  /** OpenAI API base URL. @default - $OPENAI_BASE_URL, else https://api.openai.com/v1 */
  readonly baseUrl?: string;
  /** The admin keys this organization should have. @default - none */
  readonly adminKeys?: readonly OpenAiAdminKeyProps[];
  /** Project API keys, by project. @default - none */
  readonly projects?: readonly OpenAiProjectProps[];
  /** A provider configuration to use instead of creating one. @default - a provider aliased after this construct's id */
  readonly provider?: ApikeysProvider;
}

/** What a project key's address and output are named after: `<project id>_<key name>`. */
export const projectKeySubject = (projectId: string, name: string): string => `${projectId}_${name}`;

/** A key in one of an organization's lists (its admin keys, or one project's keys), by what its output is named after. */
export interface KeySubject {
  readonly list: string;
  readonly subject: string;
}

/**
 * Pairs [later, earlier] of keys from different lists that would get the same
 * Terraform name, and so the same output name (an admin key "proj_x_ci" and key
 * "ci" of project proj_x). Duplicates within one list are uniqueNames' to report.
 */
export function sharedOutputNameClashes(keys: readonly KeySubject[]): [number, number][] {
  const firstByName = new Map<string, number>();
  const seenInList = new Set<string>();
  const clashes: [number, number][] = [];
  keys.forEach((key, index) => {
    const name = terraformName(key.subject);
    const inList = `${key.list}\u0000${name}`;
    if (seenInList.has(inList)) return;
    seenInList.add(inList);
    const earlier = firstByName.get(name);
    if (earlier === undefined) firstByName.set(name, index);
    else clashes.push([index, earlier]);
  });
  return clashes;
}

/**
 * The desired keys of one OpenAI organization: one resource per key, one
 * sensitive output per secret. Admin keys live at
 * `apikeys_openai_admin_key.<id>_<key name>` (output `<id>_<key name>_secret`),
 * project keys at `apikeys_openai_project_key.<id>_<project id>_<key name>`
 * (output `<id>_<project id>_<key name>_secret`). The names depend only on
 * the organization id, the project id and the key name, so moving constructs
 * around never replaces a key.
 */
export class OpenAiOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The key resources, by key name. */
  readonly adminKeys: Readonly<Record<string, OpenaiAdminKey>> = {};
  /** The secret outputs, by key name. */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};
  /** The project key resources, by project id, then key name. */
  readonly projectKeys: Readonly<Record<string, Readonly<Record<string, OpenaiProjectKey>>>> = {};
  /** The project key secret outputs, by project id, then key name. */
  readonly projectSecretOutputs: Readonly<Record<string, Readonly<Record<string, TerraformOutput>>>> = {};

  constructor(scope: Construct, id: string, props: OpenAiOrganizationProps = {}) {
    super(scope, id);
    const keys = props.adminKeys ?? [];
    const problems = new ProblemCollector();
    problems.credentialEnv('adminKeyEnv', 'openai_admin_key', props.adminKeyEnv);
    problems.url('baseUrl', props.baseUrl);
    problems.uniqueNames('adminKeys', keys.map((key) => key.name), OPENAI_ADMIN_KEY_NAME_MAX);
    problems.namesOrIds('ignoreUndeclaredNames', props.ignoreUndeclaredNames ?? [], OPENAI_ADMIN_KEY_NAME_MAX);
    problems.namesOrIds('ignoreUndeclared', props.ignoreUndeclared ?? [], OPENAI_ADMIN_KEY_NAME_MAX);
    keys.forEach((key, index) => problems.integerBetween(`adminKeys[${index}].expiresInSeconds`, key.expiresInSeconds, 1, OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS));
    const projects = props.projects ?? [];
    checkProjects(problems, id, keys, projects);
    const claims = addressClaims(id, keys, projects, props.provider === undefined);
    checkAddressesFree(this, claims, problems);
    problems.throwIfAny(`OpenAiOrganization "${id}"`);
    claimAddresses(this, claims);

    this.provider = props.provider ?? new ApikeysProvider(this, 'provider', {
      alias: terraformName(id), openaiAdminKeyEnv: props.adminKeyEnv, openaiBaseUrl: props.baseUrl,
    });
    for (const key of keys) {
      const resource = new OpenaiAdminKey(this, `admin_key_${terraformName(key.name)}`, {
        provider: this.provider, name: key.name, expiresInSeconds: key.expiresInSeconds,
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.adminKeys as Record<string, OpenaiAdminKey>)[key.name] = resource;
      (this.secretOutputs as Record<string, TerraformOutput>)[key.name] = addSecretOutput(
        this, id, key.name, resource.secret, `OpenAI admin key "${key.name}" of organization ${id}`,
      );
    }
    addUndeclaredKeysCheck(this, 'undeclared_admin_keys', {
      options: props,
      provider: this.provider,
      family: 'openai_admin_key',
      declaredKeys: keys.map((key) => ({ resource: this.adminKeys[key.name], name: key.name })),
      label: `OpenAI organization ${id} (admin keys)`,
    });
    for (const project of projects) this.addProjectKeys(id, project, props);
  }

  private addProjectKeys(organization: string, project: OpenAiProjectProps, props: OpenAiOrganizationProps): void {
    const resources: Record<string, OpenaiProjectKey> = {};
    const outputs: Record<string, TerraformOutput> = {};
    for (const key of project.keys) {
      const subject = projectKeySubject(project.projectId, key.name);
      const resource = new OpenaiProjectKey(this, `project_key_${terraformName(subject)}`, {
        provider: this.provider, projectId: project.projectId, name: key.name,
      });
      resource.overrideLogicalId(stableAddress(organization, subject));
      resources[key.name] = resource;
      outputs[key.name] = addSecretOutput(
        this, organization, subject, resource.secret, `OpenAI project key "${key.name}" of project ${project.projectId} in organization ${organization}`,
      );
    }
    (this.projectKeys as Record<string, Record<string, OpenaiProjectKey>>)[project.projectId] = resources;
    (this.projectSecretOutputs as Record<string, Record<string, TerraformOutput>>)[project.projectId] = outputs;
    addUndeclaredKeysCheck(this, `undeclared_project_keys_${terraformName(project.projectId)}`, {
      options: props,
      provider: this.provider,
      family: 'openai_project_key',
      projectId: project.projectId,
      declaredKeys: project.keys.map((key) => ({ resource: resources[key.name], name: key.name })),
      label: `OpenAI project ${project.projectId} of organization ${organization}`,
    });
  }
}

/** The Terraform names this organization will synthesize (see address-registry.ts). */
function addressClaims(organization: string, adminKeys: readonly OpenAiAdminKeyProps[], projects: readonly OpenAiProjectProps[], ownProvider: boolean): AddressClaim[] {
  return [
    ...(ownProvider ? [{ address: `provider apikeys.${terraformName(organization)}`, source: 'its provider alias' }] : []),
    ...adminKeys.filter((key) => !Token.isUnresolved(key.name)).flatMap((key, index) =>
      keyClaims(OpenaiAdminKey.tfResourceType, stableAddress(organization, key.name), `adminKeys[${index}] ${quoteForMessage(key.name)}`)),
    ...projects.filter((project) => !Token.isUnresolved(project.projectId)).flatMap((project, projectIndex) => project.keys
      .filter((key) => !Token.isUnresolved(key.name))
      .flatMap((key, index) => keyClaims(OpenaiProjectKey.tfResourceType, stableAddress(organization, projectKeySubject(project.projectId, key.name)),
        `projects[${projectIndex}].keys[${index}] ${quoteForMessage(key.name)}`))),
  ];
}

function checkProjects(problems: ProblemCollector, organization: string, adminKeys: readonly OpenAiAdminKeyProps[], projects: readonly OpenAiProjectProps[]): void {
  const seenProjects = new Map<string, number>();
  projects.forEach((project, index) => {
    const field = `projects[${index}]`;
    problems.uniqueNames(`${field}.keys`, project.keys.map((key) => key.name), OPENAI_SERVICE_ACCOUNT_NAME_MAX);
    if (Token.isUnresolved(project.projectId)) {
      problems.check(false, `${field}.projectId must be a literal project id, not a token: it names the keys' addresses and outputs.`);
      return;
    }
    problems.check(OPENAI_PROJECT_ID_PATTERN.test(project.projectId), `${field}.projectId must be an OpenAI project id such as proj_abc123 (got ${quoteForMessage(project.projectId)}).`);
    const earlier = seenProjects.get(project.projectId);
    problems.check(earlier === undefined, `${field}.projectId ${quoteForMessage(project.projectId)} is already listed at projects[${earlier}]; list each project once.`);
    seenProjects.set(project.projectId, index);
  });
  const entries = [
    ...adminKeys.map((key, index) => ({ list: 'adminKeys', subject: key.name, where: `adminKeys[${index}] ${quoteForMessage(key.name)}` })),
    ...projects.flatMap((project, projectIndex) => project.keys.map((key, index) => ({
      list: `projects[${projectIndex}]`, subject: projectKeySubject(project.projectId, key.name), where: `projects[${projectIndex}].keys[${index}] ${quoteForMessage(key.name)}`,
    }))),
  ].filter((entry) => !Token.isUnresolved(entry.subject));
  for (const [later, earlier] of sharedOutputNameClashes(entries)) {
    problems.check(false, `${entries[later].where} and ${entries[earlier].where} would share the output name "${stableAddress(organization, entries[later].subject)}_secret"; rename one.`);
  }
}
