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
