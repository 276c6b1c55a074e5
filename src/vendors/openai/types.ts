/** OpenAI wire types, as the seeds and the OpenAPI spec document them. */

export interface OpenAiList<T> {
  object: 'list';
  data: T[];
  first_id?: string | null;
  last_id?: string | null;
  has_more: boolean;
}

/** The owner of an admin key: a user per the schema, a service account in some examples. Both are accepted. */
export interface AdminKeyOwner {
  type?: 'user' | 'service_account' | string;
  object?: string;
  id?: string;
  name?: string;
  created_at?: number;
  role?: string;
}

export interface AdminApiKey {
  object: 'organization.admin_api_key';
  id: string;
  name: string | null;
  redacted_value: string;
  created_at: number;
  expires_at?: number | null;
  last_used_at?: number | null;
  owner?: AdminKeyOwner;
}

/** Only the create answer carries `value`, the one-time secret. */
export interface AdminApiKeyCreated extends AdminApiKey {
  value: string;
}

export interface DeletedObject {
  id: string;
  object: string;
  deleted: boolean;
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The service account behind a project key, as embedded in the key's `owner`. */
export interface ProjectServiceAccountRef {
  id: string;
  name: string;
  created_at?: number;
  role?: string;
}

export interface ProjectUserRef {
  id: string;
  name?: string;
  email?: string;
  role?: string;
  created_at?: number;
}

export type OwnerProjectAccess = 'active' | 'inactive';

/** A project API key as lists and gets show it: never the secret, only `redacted_value`. */
export interface ProjectApiKey {
  object: 'organization.project.api_key';
  id: string;
  name: string | null;
  redacted_value?: string;
  created_at: number;
  last_used_at?: number | null;
  /** Set when the key was made with an expiry (service accounts' expires_in_seconds, 2026; optional). */
  expires_at?: number | null;
  /** *new-2026*: required in the spec, absent from the seed, so optional here. */
  owner_project_access?: OwnerProjectAccess | string;
  owner?: {
    type?: 'user' | 'service_account' | string;
    user?: ProjectUserRef;
    service_account?: ProjectServiceAccountRef;
  };
}

export type ServiceAccountRole = 'owner' | 'member' | 'none';

export interface ProjectServiceAccount {
  object: 'organization.project.service_account';
  id: string;
  name: string;
  role: ServiceAccountRole | string;
  created_at: number;
}

/** The key a service-account create makes: `value` is the one-time secret. */
export interface ServiceAccountApiKeyCreated {
  object: 'organization.project.service_account.api_key';
  id: string;
  name: string | null;
  value: string;
  created_at: number;
}

/** Only the create answer carries `api_key`; it is null for `create_service_account_only`. */
export interface ProjectServiceAccountCreated extends ProjectServiceAccount {
  api_key: ServiceAccountApiKeyCreated | null;
}
