import { ApiKeysError, ImportIdError } from '../../errors';
import { createExactlyOnce, deleteKey, warnAboutNamesakes, type NamesakeHooks } from '../../reconcile/exactly-once';
import { redact } from '../../vendors/http/redaction';
import { isServiceAccountKey } from '../../vendors/openai/project-keys';
import type { ProjectApiKey, ProjectServiceAccountCreated } from '../../vendors/openai/types';
import { openAi } from '../connections/openai';
import type { ProviderContext } from '../context';
import type { ResourceDefinition } from '../framework/resource';
import type { Validator } from '../framework/schema';
import { maxLength, notBlank, quoted } from '../framework/validators';
import { OPENAI_SERVICE_ACCOUNT_NAME_MAX } from '../../vendors/openai/limits';

/**
 * apikeys_openai_project_key: an API key of one OpenAI project.
 *
 * OpenAI cannot create a project key directly: the key comes from creating a
 * project service account, whose create answer carries the key's one-time
 * value. `name` is that service account's name, which OpenAI can change in
 * place. Revoking deletes the service account (a direct delete of its key is
 * refused); a key a user made in the dashboard can be imported, and is then
 * revoked directly. Reads come from one listing per project per provider
 * process.
 */
export interface OpenAiProjectKeyState {
  [attribute: string]: string | number | null;
  id: string | null;
  project_id: string | null;
  name: string | null;
  service_account_id: string | null;
  secret: string | null;
  redacted_value: string | null;
  created_at: number | null;
  last_used_at: number | null;
  owner_type: string | null;
}

const PROJECT_ID = /^proj_[A-Za-z0-9]+$/;
const IMPORT_ID = /^(proj_[A-Za-z0-9]+)\/(key_[A-Za-z0-9]+)$/;

const openAiProjectId: Validator = (value) =>
  typeof value === 'string' && !PROJECT_ID.test(value)
    ? `must be an OpenAI project id such as proj_abc123 (got ${quoted(value)}); project ids are shown in the dashboard's project settings and by GET /v1/organization/projects.`
    : undefined;

function ownerTypeOf(key: ProjectApiKey, prior: Partial<OpenAiProjectKeyState>): string | null {
  const owner = key.owner;
  if (owner?.type === 'service_account' || owner?.type === 'user') return owner.type;
  if (owner?.service_account) return 'service_account';
  if (owner?.user) return 'user';
  return prior.owner_type ?? null;
}

/** The key as OpenAI lists it. The name of a service account's key is the account's name. */
function fromVendor(key: ProjectApiKey, projectId: string, prior: Partial<OpenAiProjectKeyState>): OpenAiProjectKeyState {
  const ownerType = ownerTypeOf(key, prior);
  const account = key.owner?.service_account;
  return {
    id: key.id,
    project_id: projectId,
    name: (ownerType === 'service_account' ? account?.name : key.name) ?? prior.name ?? null,
    service_account_id: ownerType === 'service_account' ? account?.id ?? prior.service_account_id ?? null : null,
    secret: prior.secret ?? null,
    redacted_value: key.redacted_value ?? prior.redacted_value ?? null,
    created_at: key.created_at ?? prior.created_at ?? null,
    last_used_at: key.last_used_at ?? null,
    owner_type: ownerType,
  };
}

const describeKey = (state: Partial<OpenAiProjectKeyState>): string =>
  `OpenAI project key${typeof state.name === 'string' ? ` "${state.name}"` : ''}` +
  `${typeof state.id === 'string' ? ` (${state.id})` : ''}${typeof state.project_id === 'string' ? ` in ${state.project_id}` : ''}`;

function userKeyRenameError(prior: OpenAiProjectKeyState, name: string): ApiKeysError {
  return new ApiKeysError(
    `the key is owned by a user, and OpenAI has no API to rename a user's key ("${prior.name}" cannot become "${name}")`,
    { hint: `Set name = "${prior.name}" to match OpenAI, or rename the key in the OpenAI dashboard. Only keys of service accounts (the keys this provider creates) can be renamed by Terraform.` },
  );
}

/** Where keys of service accounts named `name` are listed, and how one is named in messages. */
function keyScope(provider: ProviderContext, projectId: string, name: string): NamesakeHooks<ProjectApiKey> {
  return {
    label: `OpenAI project key "${name}" in ${projectId}`,
    resourceType: 'apikeys_openai_project_key',
    inventory: openAi(provider).projectKeyInventory(projectId),
    itemId: (key) => key.id,
    sameName: (key) => isServiceAccountKey(key) && key.owner?.service_account?.name === name,
    describe: (key) => `key ${key.id} of service account ${key.owner?.service_account?.id} ("${key.owner?.service_account?.name}", created ${new Date(key.created_at * 1000).toISOString()})`,
    importId: (key) => `${projectId}/${key.id}`,
  };
}

export const openAiProjectKeyResource: ResourceDefinition<OpenAiProjectKeyState, ProviderContext> = {
  typeName: 'apikeys_openai_project_key',
  schema: {
    version: 0,
    description:
      'An API key of an OpenAI project. OpenAI makes project keys only through project service accounts: creating this ' +
      'resource creates a service account named `name` and keeps the key its creation returns; destroying it deletes the ' +
      'service account, which revokes the key. The secret is available only when Terraform creates the key; an imported key ' +
      'has a null `secret`. Keys that users made in the dashboard can be imported (and are then revoked directly), never created.',
    attributes: {
      id: { type: 'string', computed: true, description: 'The key id (`key_...`). The import id is `<project_id>/<id>`.' },
      project_id: {
        type: 'string', required: true, requiresReplace: true, validators: [openAiProjectId],
        description: 'The project the key belongs to (`proj_...`). Changing it replaces the key.',
      },
      name: {
        type: 'string', required: true, validators: [notBlank, maxLength(OPENAI_SERVICE_ACCOUNT_NAME_MAX)],
        description: 'Name of the service account that owns the key (for an imported user-owned key, the key\'s own name). ' +
          'A change renames the service account in place; user-owned keys cannot be renamed.',
      },
      service_account_id: { type: 'string', computed: true, description: 'The owning service account (`svc_acct_...`); null for a key a user owns.' },
      secret: {
        type: 'string', computed: true, sensitive: true,
        description: 'The key value (`sk-svcacct-...`). Set only when Terraform created the key: OpenAI returns it once. Null for imported keys.',
      },
      redacted_value: { type: 'string', computed: true, description: 'The masked value OpenAI shows, e.g. `sk-svcac...xyz`.' },
      created_at: { type: 'number', computed: true, description: 'Creation time, Unix seconds.' },
      last_used_at: { type: 'number', computed: true, description: 'Last use, Unix seconds; null if never used.' },
      owner_type: { type: 'string', computed: true, description: 'Who owns the key: `service_account` (keys Terraform creates) or `user` (imported dashboard keys).' },
    },
  },

  describe: describeKey,

  async checkPlan({ provider, planned, prior, diagnostics }) {
    openAi(provider); // fails the plan, before any vendor call, when no admin key is configured
    if (prior && prior.owner_type === 'user' && typeof planned.name === 'string' && planned.name !== prior.name) {
      throw userKeyRenameError(prior, planned.name);
    }
    if (!prior && typeof planned.project_id === 'string' && typeof planned.name === 'string') {
      await warnAboutNamesakes(keyScope(provider, planned.project_id, planned.name), provider.trackedIds, diagnostics);
    }
  },

  async create({ provider, planned, diagnostics, receipt }) {
    const { serviceAccounts, projectKeys, projectKeyInventory } = openAi(provider);
    const projectId = planned.project_id!;
    const name = planned.name!;
    const created = await createExactlyOnce<ProjectApiKey, ProjectServiceAccountCreated>({
      ...keyScope(provider, projectId, name),
      send: () => serviceAccounts.create(projectId, { name }),
      createdId: (account) => account.api_key!.id,
      createdAtMs: (key) => (typeof key.created_at === 'number' ? key.created_at * 1000 : undefined),
      // A service account's key goes with its account.
      revoke: (key) => projectKeys.revoke(projectId, key.id, key.owner?.service_account?.id).then(() => undefined),
      revokeCreated: (account) => projectKeys.revoke(projectId, account.api_key!.id, account.id).then(() => undefined),
    }, { settings: provider.exactlyOnce, receipt, warnings: diagnostics, journal: provider.journal });
    const apiKey = created.api_key!; // the adapter guarantees a key when one was asked for
    const state: OpenAiProjectKeyState = {
      id: apiKey.id, project_id: projectId, name: created.name ?? name, service_account_id: created.id, secret: apiKey.value,
      redacted_value: null, created_at: apiKey.created_at ?? created.created_at ?? null, last_used_at: null, owner_type: 'service_account',
    };
    // The create answer has no redacted_value or last_used_at: one GET of the new key fills them. Its failure must not cost the secret.
    try {
      const listed = await projectKeys.get(projectId, apiKey.id);
      projectKeyInventory(projectId).recordCreated(listed);
      return { ...fromVendor(listed, projectId, state), name: state.name, secret: apiKey.value };
    } catch (error) {
      diagnostics.warning(
        `Created ${describeKey(state)}, but could not read its redacted value`,
        redact(`${error instanceof Error ? error.message : String(error)}. The key and its secret are saved in state; the next refresh fills redacted_value and last_used_at.`),
      );
      return state;
    }
  },

  async read({ provider, current }) {
    provider.trackedIds.add(current.id!);
    provider.journal?.forget(current.id!);
    const projectId = current.project_id!;
    const key = await openAi(provider).projectKeyInventory(projectId).find(current.id!);
    return key ? fromVendor(key, projectId, current) : null;
  },

  async update({ provider, prior, planned }) {
    const name = planned.name!;
    if (prior.owner_type === 'user' || !prior.service_account_id) throw userKeyRenameError(prior, name);
    const account = await openAi(provider).serviceAccounts.update(prior.project_id!, prior.service_account_id, { name });
    return { ...prior, name: account?.name ?? name };
  },

  async delete({ provider, prior }) {
    const { projectKeys, projectKeyInventory } = openAi(provider);
    // A service account's key goes with its account; a user's key is deleted directly. Already gone counts as deleted.
    await deleteKey(projectKeyInventory(prior.project_id!), prior.id!, () => projectKeys.revoke(prior.project_id!, prior.id!, prior.service_account_id), provider.journal);
  },

  importState({ id }) {
    const match = IMPORT_ID.exec(id.trim());
    if (!match) {
      throw new ImportIdError(
        `${quoted(id)} is not an OpenAI project key import id. Use <project_id>/<key_id>, e.g. terraform import apikeys_openai_project_key.ci proj_abc123/key_abc123 ` +
        '(key ids are listed by GET /v1/organization/projects/<project_id>/api_keys).',
      );
    }
    return { project_id: match[1], id: match[2] };
  },
};
