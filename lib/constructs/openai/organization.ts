import { Construct } from 'constructs';
import { Token, type TerraformOutput } from 'cdktf';
import { OPENAI } from '../../../src/core';
import { OpenaiAdminKey } from '../../bindings/openai-admin-key';
import { OpenaiProjectKey } from '../../bindings/openai-project-key';
import type { ApikeysProvider } from '../../bindings/provider';
import { keyClaims, type AddressClaim } from '../address-registry';
import { connectOrganization, type OrganizationConnectionProps } from '../connection';
import { checkRotations, rotationArgument, secretOutputValue, secretRecipientsArgument, type KeyLifecycleProps, type OrganizationLifecycleProps } from '../rotation';
import { addSecretOutput } from '../secret-output';
import { addUndeclaredKeysCheck, type UndeclaredKeysOptions } from '../undeclared-keys';
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
export interface OpenAiOrganizationProps extends UndeclaredKeysOptions, OrganizationConnectionProps, OrganizationLifecycleProps {
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
 * construct id on the stack's provider, one resource per key, one sensitive
 * output per secret. Admin keys live at
 * `apikeys_openai_admin_key.<id>_<key name>` (output `<id>_<key name>_secret`),
 * project keys at `apikeys_openai_project_key.<id>_<project id>_<key name>`
 * (output `<id>_<project id>_<key name>_secret`). The names depend only on
 * the organization id, the project id and the key name, so moving constructs
 * around never replaces a key.
 */
export class OpenAiOrganization extends Construct {
  readonly provider: ApikeysProvider;
  /** The name of this organization's connection on the provider (its resources' `connection_name`). */
  readonly connection: string;
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
    const projects = props.projects ?? [];
    const problems = new ProblemCollector();
    problems.credentialEnv('adminKeyEnv', 'openai_admin_key', props.adminKeyEnv);
    problems.url('baseUrl', props.baseUrl);
    problems.uniqueNames('adminKeys', keys.map((key) => key.name), OPENAI.rules.adminKeyName);
    problems.namesOrIds('ignoreUndeclaredNames', props.ignoreUndeclaredNames ?? [], OPENAI.rules.adminKeyName);
    problems.namesOrIds('ignoreUndeclared', props.ignoreUndeclared ?? [], OPENAI.rules.adminKeyName);
    keys.forEach((key, index) => problems.number(`adminKeys[${index}].expiresInSeconds`, key.expiresInSeconds, OPENAI.rules.expiresInSeconds));
    checkProjects(problems, id, keys, projects);
    checkRotations(problems, props, [
      ...keys.map((key, index) => ({ field: `adminKeys[${index}]`, props: key })),
      ...projects.flatMap((project, projectIndex) => project.keys.map((key, index) => ({ field: `projects[${projectIndex}].keys[${index}]`, props: key }))),
    ]);
    ({ provider: this.provider, connection: this.connection } = connectOrganization(this, {
      vendor: OPENAI.vendor, subject: `OpenAiOrganization "${id}"`, provider: props.provider, problems, claims: addressClaims(id, keys, projects),
      has: (provider, label) => provider.hasOpenaiConnection(label),
      add: (provider, label) => provider.addOpenaiConnection(label, { adminKeyEnv: props.adminKeyEnv, baseUrl: props.baseUrl }),
    }));

    for (const key of keys) {
      const resource = new OpenaiAdminKey(this, `admin_key_${terraformName(key.name)}`, {
        provider: this.provider, connectionName: this.connection, name: key.name, expiresInSeconds: key.expiresInSeconds,
        rotation: rotationArgument(key, props), secretRecipients: secretRecipientsArgument(key, props),
      });
      resource.overrideLogicalId(stableAddress(id, key.name));
      (this.adminKeys as Record<string, OpenaiAdminKey>)[key.name] = resource;
      (this.secretOutputs as Record<string, TerraformOutput>)[key.name] = addSecretOutput(
        this, id, key.name, secretOutputValue(resource, key, props), `OpenAI admin key "${key.name}" of organization ${id}`,
      );
    }
    addUndeclaredKeysCheck(this, 'undeclared_admin_keys', {
      options: props,
      provider: this.provider,
      connection: this.connection,
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
        provider: this.provider, connectionName: this.connection, projectId: project.projectId, name: key.name,
        rotation: rotationArgument(key, props), secretRecipients: secretRecipientsArgument(key, props),
      });
      resource.overrideLogicalId(stableAddress(organization, subject));
      resources[key.name] = resource;
      outputs[key.name] = addSecretOutput(
        this, organization, subject, secretOutputValue(resource, key, props), `OpenAI project key "${key.name}" of project ${project.projectId} in organization ${organization}`,
      );
    }
    (this.projectKeys as Record<string, Record<string, OpenaiProjectKey>>)[project.projectId] = resources;
    (this.projectSecretOutputs as Record<string, Record<string, TerraformOutput>>)[project.projectId] = outputs;
    addUndeclaredKeysCheck(this, `undeclared_project_keys_${terraformName(project.projectId)}`, {
      options: props,
      provider: this.provider,
      connection: this.connection,
      family: 'openai_project_key',
      projectId: project.projectId,
      declaredKeys: project.keys.map((key) => ({ resource: resources[key.name], name: key.name })),
      label: `OpenAI project ${project.projectId} of organization ${organization}`,
    });
  }
}

/** The Terraform names this organization's keys will synthesize (see address-registry.ts). */
function addressClaims(organization: string, adminKeys: readonly OpenAiAdminKeyProps[], projects: readonly OpenAiProjectProps[]): AddressClaim[] {
  return [
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
