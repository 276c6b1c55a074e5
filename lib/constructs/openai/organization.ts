import { Construct } from 'constructs';
import { Token, type TerraformOutput } from '../../cdk';
import { OPENAI } from '../../../src/core';
import { OpenaiAdminKey } from '../../bindings/openai-admin-key';
import { OpenaiProjectKey } from '../../bindings/openai-project-key';
import type { ApikeysProvider } from '../../bindings/provider';
import { keyClaims, type AddressClaim } from '../address-registry';
import { connectOrganization, type OrganizationConnectionProps } from '../connection';
import { checkRotations, rotationArgument, secretRecipientsArgument, type KeyLifecycleProps, type OrganizationLifecycleProps } from '../rotation';
import { addSecretOutputs, checkSecretOutputs, secretOutputsClaims, type SecretKey, type SecretOutputs, type SecretOutputsOptions } from '../secret-output';
import { addUndeclaredKeysCheck, checkUndeclaredKeysOptions, warnDeprecatedOptions, type UndeclaredKeysOptions } from '../undeclared-keys';
import { ProblemCollector, quoteForMessage, stableAddress, terraformName } from '../validation';
import { projectKeySubject, sharedOutputNameClashes } from './output-names';

export interface OpenAiAdminKeyProps extends KeyLifecycleProps {
  /** The key's name at OpenAI. Also names its construct and its secret output; unique within the organization. */
  readonly name: string;
  /** Lifetime in seconds, 1..31536000. @default - the key never expires */
  readonly expiresInSeconds?: number;
}

export interface OpenAiProjectKeyProps extends KeyLifecycleProps {
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
export interface OpenAiOrganizationProps extends UndeclaredKeysOptions, OrganizationConnectionProps, OrganizationLifecycleProps, SecretOutputsOptions {
  /** Environment variable that holds this organization's admin key at deploy time. @default "OPENAI_ADMIN_KEY" */
  readonly adminKeyEnv?: string;
  /** OpenAI API base URL. @default - the provider's openai_base_url, else $OPENAI_BASE_URL, else https://api.openai.com/v1 */
  readonly baseUrl?: string;
  /** The admin keys this organization should have. @default - none */
  readonly adminKeys?: readonly OpenAiAdminKeyProps[];
  /** Project API keys, by project. @default - none */
  readonly projects?: readonly OpenAiProjectProps[];
}

/**
 * The desired keys of one OpenAI organization: a connection named after the
 * construct id on the stack's provider, one resource per key, and the secrets
 * in one sensitive map output `<id>_secrets`, by key name (project keys by
 * `<project id>_<key name>`). Admin keys live at
 * `apikeys_openai_admin_key.<id>_<key name>`, project keys at
 * `apikeys_openai_project_key.<id>_<project id>_<key name>`; with
 * `outputs: "key"`, each key's secret is in its own output, named after its
 * address plus `_secret`. The names depend only on the organization id, the
 * project id and the key name, so moving constructs around never replaces a key.
 */
export class OpenAiOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The name of this organization's connection on the provider (its resources' `connection_name`). */
  readonly connection: string;
  /** The key resources, by key name. */
  readonly adminKeys: Readonly<Record<string, OpenaiAdminKey>> = {};
  /** The admin keys' per-key secret outputs, by key name (with `outputs: "key"`). */
  readonly secretOutputs: Readonly<Record<string, TerraformOutput>> = {};
  /** The project key resources, by project id, then key name. */
  readonly projectKeys: Readonly<Record<string, Readonly<Record<string, OpenaiProjectKey>>>> = {};
  /** The project keys' per-key secret outputs, by project id, then key name (with `outputs: "key"`). */
  readonly projectSecretOutputs: Readonly<Record<string, Readonly<Record<string, TerraformOutput>>>> = {};
  /** The map of every key's secret (with `outputs: "organization"`, the default): admin keys by name, project keys by `<project id>_<key name>`. */
  readonly secretsOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: OpenAiOrganizationProps = {}) {
    super(scope, id);
    const keys = props.adminKeys ?? [];
    const projects = props.projects ?? [];
    const problems = new ProblemCollector();
    problems.credentialEnv('adminKeyEnv', 'openai_admin_key', props.adminKeyEnv);
    problems.url('baseUrl', props.baseUrl);
    checkSecretOutputs(problems, props.outputs);
    problems.uniqueNames('adminKeys', keys.map((key) => key.name), OPENAI.rules.adminKeyName);
    checkUndeclaredKeysOptions(problems, props, OPENAI.rules.adminKeyName);
    keys.forEach((key, index) => problems.number(`adminKeys[${index}].expiresInSeconds`, key.expiresInSeconds, OPENAI.rules.expiresInSeconds));
    checkProjects(problems, id, keys, projects);
    checkRotations(problems, props, [
      ...keys.map((key, index) => ({ field: `adminKeys[${index}]`, props: key })),
      ...projects.flatMap((project, projectIndex) => project.keys.map((key, index) => ({ field: `projects[${projectIndex}].keys[${index}]`, props: key }))),
    ]);
    ({ provider: this.provider, connection: this.connection } = connectOrganization(this, {
      vendor: OPENAI.vendor, subject: `OpenAiOrganization "${id}"`, provider: props.provider, problems, claims: addressClaims(id, props.outputs, keys, projects),
      has: (provider, label) => provider.hasOpenaiConnection(label),
      add: (provider, label) => provider.addOpenaiConnection(label, { adminKeyEnv: props.adminKeyEnv, baseUrl: props.baseUrl }),
    }));
    if (problems.problems.length > 0) return; // reported at synthesis (connectOrganization)
    warnDeprecatedOptions(this, props);

    const secrets: SecretKey[] = [];
    for (const key of keys) {
      const resource = new OpenaiAdminKey(this, `admin_key_${terraformName(key.name)}`, {
        provider: this.provider, connectionName: this.connection, name: key.name, expiresInSeconds: key.expiresInSeconds,
        rotation: rotationArgument(key, props), secretRecipients: secretRecipientsArgument(key, props),
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.adminKeys as Record<string, OpenaiAdminKey>)[key.name] = resource;
      secrets.push({ subject: key.name, resource, sealed: secretRecipientsArgument(key, props) !== undefined, description: `OpenAI admin key "${key.name}" of organization ${id}` });
    }
    addUndeclaredKeysCheck(this, 'undeclared_admin_keys', {
      options: props,
      provider: this.provider,
      connection: this.connection,
      family: 'openai_admin_key',
      declaredKeys: keys.map((key) => ({ resource: this.adminKeys[key.name], name: key.name })),
      label: `OpenAI organization ${id} (admin keys)`,
    });
    for (const project of projects) secrets.push(...this.addProjectKeys(id, project, props));

    const { byKey, organization } = addSecretOutputs(this, { organization: id, label: `OpenAI organization ${id}`, outputs: props.outputs, keys: secrets });
    this.secretsOutput = organization;
    const outputsOf = (names: readonly string[], subject: (name: string) => string) =>
      Object.fromEntries(names.flatMap((name) => (byKey[subject(name)] ? [[name, byKey[subject(name)]]] : [])));
    this.secretOutputs = outputsOf(keys.map((key) => key.name), (name) => name);
    this.projectSecretOutputs = Object.fromEntries(projects.map((project) =>
      [project.projectId, outputsOf(project.keys.map((key) => key.name), (name) => projectKeySubject(project.projectId, name))]));
  }

  /** A project's key resources and its undeclared-keys check; returns the keys whose secrets the outputs carry. */
  private addProjectKeys(organization: string, project: OpenAiProjectProps, props: OpenAiOrganizationProps): SecretKey[] {
    const resources: Record<string, OpenaiProjectKey> = {};
    const secrets: SecretKey[] = [];
    for (const key of project.keys) {
      const subject = projectKeySubject(project.projectId, key.name);
      const resource = new OpenaiProjectKey(this, `project_key_${terraformName(subject)}`, {
        provider: this.provider, connectionName: this.connection, projectId: project.projectId, name: key.name,
        rotation: rotationArgument(key, props), secretRecipients: secretRecipientsArgument(key, props),
      });
      resource.overrideLogicalId(stableAddress(organization, subject));
      resources[key.name] = resource;
      secrets.push({ subject, resource, sealed: secretRecipientsArgument(key, props) !== undefined, description: `OpenAI project key "${key.name}" of project ${project.projectId} in organization ${organization}` });
    }
    (this.projectKeys as Record<string, Record<string, OpenaiProjectKey>>)[project.projectId] = resources;
    addUndeclaredKeysCheck(this, `undeclared_project_keys_${terraformName(project.projectId)}`, {
      options: props,
      provider: this.provider,
      connection: this.connection,
      family: 'openai_project_key',
      projectId: project.projectId,
      declaredKeys: project.keys.map((key) => ({ resource: resources[key.name], name: key.name })),
      label: `OpenAI project ${project.projectId} of organization ${organization}`,
    });
    return secrets;
  }
}

/** The Terraform names this organization's keys will synthesize (see address-registry.ts). */
function addressClaims(organization: string, outputs: SecretOutputs | undefined, adminKeys: readonly OpenAiAdminKeyProps[], projects: readonly OpenAiProjectProps[]): AddressClaim[] {
  return [
    ...secretOutputsClaims(organization, outputs),
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
    problems.uniqueNames(`${field}.keys`, project.keys.map((key) => key.name), OPENAI.rules.serviceAccountName);
    if (Token.isUnresolved(project.projectId)) {
      problems.check(false, `${field}.projectId must be a literal project id, not a token: it names the keys' addresses and outputs.`);
      return;
    }
    problems.text(`${field}.projectId`, project.projectId, OPENAI.rules.projectId);
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
