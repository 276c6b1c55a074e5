import { ApiKeysError } from '../../../core/errors';
import { OPENAI } from '../../../core/facts/openai';
import { redact } from '../../../core/security/redaction';
import { isServiceAccountKey } from '../../../vendors/openai/project-keys';
import type { ProjectApiKey, ProjectServiceAccountCreated } from '../../../vendors/openai/types';
import { keyResource, type KeyScope } from '../../keys/key-resource';
import type { Schema, StateOf } from '../../framework/schema';
import { parseScopedId, toTimestamp, unixDates, type KeyListing } from '../family';
import { openAiConnection, type OpenAiClients } from './connection';

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
const schema = {
  version: 0,
  description:
    'An API key of an OpenAI project. OpenAI makes project keys only through project service accounts: creating this ' +
    'resource creates a service account named `name` and keeps the key its creation returns; destroying it deletes the ' +
    'service account, which revokes the key. The secret is available only when Terraform creates the key; an imported key ' +
    'has a null `secret`. Keys that users made in the dashboard can be imported (and are then revoked directly), never created.',
  attributes: {
    id: { type: 'string', computed: true, description: 'The key id (`key_...`). The import id is `<project_id>/<id>`.' },
    project_id: {
      type: 'string', required: true, requiresReplace: true, validators: OPENAI.rules.projectId,
      description: 'The project the key belongs to (`proj_...`). Changing it replaces the key.',
    },
    name: {
      type: 'string', required: true, validators: OPENAI.rules.serviceAccountName,
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
    expires_at: { type: 'number', computed: true, description: 'Expiry time, Unix seconds, when OpenAI reports one; null when the key never expires.' },
    last_used_at: { type: 'number', computed: true, description: 'Last use, Unix seconds; null if never used.' },
    owner_type: { type: 'string', computed: true, description: 'Who owns the key: `service_account` (keys Terraform creates) or `user` (imported dashboard keys).' },
  },
} as const satisfies Schema;

export type OpenAiProjectKeyState = StateOf<typeof schema>;

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
    expires_at: key.expires_at ?? null,
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

/** The keys of service accounts named `name` in the project: where they are listed and how one is named. */
function serviceAccountKeys(clients: OpenAiClients, projectId: string, name: string): KeyScope<ProjectApiKey> {
  return {
    label: `OpenAI project key "${name}" in ${projectId}`,
    scope: projectId,
    name,
    inventory: clients.projectKeyInventory(projectId),
    itemId: (key) => key.id,
    sameName: (key) => isServiceAccountKey(key) && key.owner?.service_account?.name === name,
    createdAtMs: (key) => (typeof key.created_at === 'number' ? key.created_at * 1000 : undefined),
    describe: (key) => `key ${key.id} of service account ${key.owner?.service_account?.id} ("${key.owner?.service_account?.name}", created ${new Date(key.created_at * 1000).toISOString()})`,
    importId: (key) => `${projectId}/${key.id}`,
  };
}

export const openAiProjectKeyResource = keyResource<OpenAiProjectKeyState, OpenAiClients, ProjectApiKey>(openAiConnection, {
  typeName: 'apikeys_openai_project_key',
  schema,

  describe: describeKey,
  where: (state) => (typeof state.project_id === 'string' ? `project ${state.project_id}` : 'the project'),
  dates: (state) => unixDates(state),
  // A service account's key is revoked by deleting the account: a rotation keeps the previous key's account too.
  keyFields: ['service_account_id'],

  keys: (clients, { project_id: projectId, name }) =>
    (typeof projectId === 'string' && typeof name === 'string' ? serviceAccountKeys(clients, projectId, name) : undefined),

  checkPlan({ prior, planned }) {
    if (prior && prior.owner_type === 'user' && typeof planned.name === 'string' && planned.name !== prior.name) {
      throw userKeyRenameError(prior, planned.name);
    }
  },

  async create({ clients: { serviceAccounts, projectKeys, projectKeyInventory }, planned, diagnostics, createKey }) {
    const projectId = planned.project_id!;
    const name = planned.name!;
    const created = await createKey<ProjectServiceAccountCreated>({
      send: () => serviceAccounts.create(projectId, { name }),
      createdId: (account) => account.api_key!.id,
      // A service account's key goes with its account.
      revoke: (key) => projectKeys.revoke(projectId, key.id, key.owner?.service_account?.id).then(() => undefined),
      revokeCreated: (account) => projectKeys.revoke(projectId, account.api_key!.id, account.id).then(() => undefined),
    });
    const apiKey = created.api_key!; // the adapter guarantees a key when one was asked for
    const state: OpenAiProjectKeyState = {
      id: apiKey.id, project_id: projectId, name: created.name ?? name, service_account_id: created.id, secret: apiKey.value,
      redacted_value: null, created_at: apiKey.created_at ?? created.created_at ?? null, expires_at: null, last_used_at: null, owner_type: 'service_account',
    };
    // The create answer has no redacted_value or last_used_at: one GET of the new key fills them. Its failure must not cost the secret.
    try {
      const listed = await projectKeys.get(projectId, apiKey.id);
      projectKeyInventory(projectId).recordCreated(listed);
      return { ...fromVendor(listed, projectId, state), name: state.name, secret: apiKey.value };
    } catch (error) {
      diagnostics.warning(
        `Created ${describeKey(state)}, but could not read its redacted value`,
        redact(`${error instanceof Error ? error.message : String(error)}. The key and its secret (encrypted, with secret_recipients) are saved in state; the next refresh fills redacted_value and last_used_at.`),
      );
      return state;
    }
  },

  async read({ clients, current }) {
    const projectId = current.project_id!;
    const key = await clients.projectKeyInventory(projectId).find(current.id!);
    return key ? fromVendor(key, projectId, current) : null;
  },

  async update({ clients, prior, planned }) {
    const name = planned.name!;
    if (prior.owner_type === 'user' || !prior.service_account_id) throw userKeyRenameError(prior, name);
    const account = await clients.serviceAccounts.update(prior.project_id!, prior.service_account_id, { name });
    return { ...prior, name: account?.name ?? name };
  },

  async delete({ clients: { projectKeys, projectKeyInventory }, prior }) {
    // A service account's key goes with its account; a user's key is deleted directly. Already gone counts as deleted.
    await projectKeys.revoke(prior.project_id!, prior.id!, prior.service_account_id);
    projectKeyInventory(prior.project_id!).recordDeleted(prior.id!);
  },

  importId: {
    parse: (id) => {
      const parsed = parseScopedId(id, (part) => OPENAI.patterns.projectId.test(part), (part) => OPENAI.patterns.keyId.test(part));
      return parsed && { project_id: parsed.scope, id: parsed.id };
    },
    usage: 'an OpenAI project key import id. Use <project_id>/<key_id>, e.g. terraform import apikeys_openai_project_key.ci proj_abc123/key_abc123 ' +
      '(key ids are listed by GET /v1/organization/projects/<project_id>/api_keys).',
  },
});

/** The data source's `openai_project_key` family: one project's keys. */
export const openAiProjectKeyListing: KeyListing<OpenAiClients> = {
  scope: ['project_id'],
  label: (scope) => `OpenAI project ${scope.project_id}`,
  where: (scope) => `project ${scope.project_id}`,
  importId: (scope, id) => `${scope.project_id}/${id}`,
  async list(clients, scope) {
    const keys = await clients.projectKeyInventory(scope.project_id!).all();
    return [...keys.values()].map((key) => {
      const account = key.owner?.service_account;
      const user = key.owner?.user;
      return {
        id: key.id,
        // A service account's key is named after its account, as apikeys_openai_project_key names it.
        name: account?.name ?? key.name ?? null,
        redacted_value: key.redacted_value ?? null,
        created_at: toTimestamp(key.created_at),
        last_used_at: toTimestamp(key.last_used_at),
        expires_at: toTimestamp(key.expires_at),
        owner: account ? `service_account: ${account.name ?? account.id}` : user ? `user: ${user.email ?? user.name ?? user.id}` : null,
        roles: [account?.role ?? user?.role].filter((role): role is string => typeof role === 'string'),
        public_key: null,
      };
    });
  },
  async revoke({ projectKeys, projectKeyInventory }, scope, id) {
    const inventory = projectKeyInventory(scope.project_id!);
    const key = await inventory.find(id);
    // A service account's key goes with its account; a user's key is deleted directly.
    await projectKeys.revoke(scope.project_id!, id, key?.owner?.service_account?.id);
    inventory.recordDeleted(id);
  },
};
