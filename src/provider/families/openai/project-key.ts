import { ApiKeysError, ImportIdError } from '../../../core/errors';
import { OPENAI } from '../../../core/facts/openai';
import { createExactlyOnce, deleteKey, warnAboutNamesakes, type NamesakeHooks } from '../../../reconcile/exactly-once';
import { redact } from '../../../core/security/redaction';
import { isServiceAccountKey } from '../../../vendors/openai/project-keys';
import type { ProjectApiKey, ProjectServiceAccountCreated } from '../../../vendors/openai/types';
import { connectionAttribute, connectionLabels, IMPORT_ID_CONNECTION_HINT, importIdOf, parseScopedImportId } from '../../connections/connection';
import type { ProviderContext } from '../../context';
import { isUnknown } from '../../cty/value';
import type { ResourceDefinition } from '../../framework/resource';
import type { Schema, StateOf } from '../../framework/schema';
import { quoted } from '../../framework/validators';
import { toTimestamp, type KeyListing } from '../family';
import { openAi } from './connection';

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
    connection_name: connectionAttribute(OPENAI),
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
    connection_name: prior.connection_name ?? null,
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
function keyScope(provider: ProviderContext, connection: string | null, projectId: string, name: string): NamesakeHooks<ProjectApiKey> {
  return {
    label: `OpenAI project key "${name}" in ${projectId}${connection === null ? '' : ` (connection "${connection}")`}`,
    resourceType: 'apikeys_openai_project_key',
    inventory: openAi(provider, connection).projectKeyInventory(projectId),
    itemId: (key) => key.id,
    sameName: (key) => isServiceAccountKey(key) && key.owner?.service_account?.name === name,
    describe: (key) => `key ${key.id} of service account ${key.owner?.service_account?.id} ("${key.owner?.service_account?.name}", created ${new Date(key.created_at * 1000).toISOString()})`,
    importId: (key) => importIdOf(connection, `${projectId}/${key.id}`),
  };
}

export const openAiProjectKeyResource: ResourceDefinition<OpenAiProjectKeyState, ProviderContext> = {
  typeName: 'apikeys_openai_project_key',
  schema,

  describe: describeKey,

  async checkPlan({ provider, planned, prior, diagnostics }) {
    if (isUnknown(planned.connection_name)) return; // known at apply
    openAi(provider, planned.connection_name); // fails the plan, before any vendor call, when the connection is unknown or has no admin key
    if (prior && prior.owner_type === 'user' && typeof planned.name === 'string' && planned.name !== prior.name) {
      throw userKeyRenameError(prior, planned.name);
    }
    if (!prior && typeof planned.project_id === 'string' && typeof planned.name === 'string') {
      await warnAboutNamesakes(keyScope(provider, planned.connection_name, planned.project_id, planned.name), provider.trackedIds, diagnostics);
    }
  },

  async create({ provider, planned, diagnostics, receipt }) {
    const { serviceAccounts, projectKeys, projectKeyInventory } = openAi(provider, planned.connection_name);
    const projectId = planned.project_id!;
    const name = planned.name!;
    const created = await createExactlyOnce<ProjectApiKey, ProjectServiceAccountCreated>({
      ...keyScope(provider, planned.connection_name, projectId, name),
      send: () => serviceAccounts.create(projectId, { name }),
      createdId: (account) => account.api_key!.id,
      createdAtMs: (key) => (typeof key.created_at === 'number' ? key.created_at * 1000 : undefined),
      // A service account's key goes with its account.
      revoke: (key) => projectKeys.revoke(projectId, key.id, key.owner?.service_account?.id).then(() => undefined),
      revokeCreated: (account) => projectKeys.revoke(projectId, account.api_key!.id, account.id).then(() => undefined),
    }, { settings: provider.exactlyOnce, receipt, warnings: diagnostics, journal: provider.journal });
    const apiKey = created.api_key!; // the adapter guarantees a key when one was asked for
    const state: OpenAiProjectKeyState = {
      id: apiKey.id, connection_name: planned.connection_name, project_id: projectId, name: created.name ?? name, service_account_id: created.id, secret: apiKey.value,
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
    const key = await openAi(provider, current.connection_name).projectKeyInventory(projectId).find(current.id!);
    return key ? fromVendor(key, projectId, current) : null;
  },

  async update({ provider, prior, planned }) {
    const name = planned.name!;
    if (prior.owner_type === 'user' || !prior.service_account_id) throw userKeyRenameError(prior, name);
    // The planned connection: it differs from the prior one only when the plan found the key through it (a relocation).
    const account = await openAi(provider, planned.connection_name).serviceAccounts.update(prior.project_id!, prior.service_account_id, { name });
    return { ...prior, name: account?.name ?? name };
  },

  async delete({ provider, prior }) {
    const { projectKeys, projectKeyInventory } = openAi(provider, prior.connection_name);
    // A service account's key goes with its account; a user's key is deleted directly. Already gone counts as deleted.
    await deleteKey(projectKeyInventory(prior.project_id!), prior.id!, () => projectKeys.revoke(prior.project_id!, prior.id!, prior.service_account_id), provider.journal);
  },

  otherLocations: (provider) => connectionLabels(OPENAI, provider.config),

  importState({ id }) {
    const parsed = parseScopedImportId(id, (part) => OPENAI.patterns.projectId.test(part), (part) => OPENAI.patterns.keyId.test(part));
    if (!parsed) {
      throw new ImportIdError(
        `${quoted(id)} is not an OpenAI project key import id. Use <project_id>/<key_id>, e.g. terraform import apikeys_openai_project_key.ci proj_abc123/key_abc123 ` +
        '(key ids are listed by GET /v1/organization/projects/<project_id>/api_keys).',
        { hint: IMPORT_ID_CONNECTION_HINT },
      );
    }
    return { connection_name: parsed.connection, project_id: parsed.scope, id: parsed.id };
  },
};

/** The data source's `openai_project_key` family: one project's keys. */
export const openAiProjectKeyListing: KeyListing = {
  scope: ['project_id'],
  label: (scope) => `OpenAI project ${scope.project_id}`,
  importId: (scope, id) => `${scope.project_id}/${id}`,
  async list(context, scope, connection) {
    const keys = await openAi(context, connection).projectKeyInventory(scope.project_id!).all();
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
        expires_at: null,
        owner: account ? `service_account: ${account.name ?? account.id}` : user ? `user: ${user.email ?? user.name ?? user.id}` : null,
        roles: [account?.role ?? user?.role].filter((role): role is string => typeof role === 'string'),
      };
    });
  },
};
