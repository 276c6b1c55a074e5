import { invalidResponse, type VendorHttpClient } from '../http/client';
import { registerSecret } from '../../core/security/redaction';
import { listAllPages } from './pagination';
import type { DeletedObject, ProjectServiceAccount, ProjectServiceAccountCreated } from './types';

export const projectPath = (projectId: string): string => `organization/projects/${encodeURIComponent(projectId)}`;
const accountsPath = (projectId: string): string => `${projectPath(projectId)}/service_accounts`;
const accountPath = (projectId: string, id: string): string => `${accountsPath(projectId)}/${encodeURIComponent(id)}`;

export interface CreateServiceAccountInput {
  name: string;
  /** *new-2026*: make the account without a key (its role is then `none`). */
  createServiceAccountOnly?: boolean;
}

export interface UpdateServiceAccountInput {
  name?: string;
  role?: 'owner' | 'member';
}

/**
 * OpenAI project service accounts: list, create, get, update (a POST),
 * delete. Creating one is the only API way to get a project key: its create
 * answer carries the key's one-time secret.
 */
export class OpenAiServiceAccountsApi {
  constructor(private readonly http: VendorHttpClient) {}

  list(projectId: string): Promise<ProjectServiceAccount[]> {
    return listAllPages<ProjectServiceAccount>(this.http, 'list service accounts', accountsPath(projectId));
  }

  /**
   * Never retried after a lost answer (the shared client only resends a POST
   * after a 429). When a key was asked for and the answer has none, the
   * account is deleted again, so no keyless account is left behind.
   */
  async create(projectId: string, input: CreateServiceAccountInput): Promise<ProjectServiceAccountCreated> {
    const operation = 'create service account';
    const created = await this.http.send<ProjectServiceAccountCreated>({
      operation, method: 'POST', path: accountsPath(projectId),
      json: { name: input.name, ...(input.createServiceAccountOnly ? { create_service_account_only: true } : {}) },
    });
    registerSecret(created?.api_key?.value);
    if (!created || typeof created.id !== 'string') throw invalidResponse(this.http.vendor, operation, 'no service account id');
    if (input.createServiceAccountOnly) return created;
    const key = created.api_key;
    if (!key || typeof key.id !== 'string' || typeof key.value !== 'string') {
      const cleanedUp = await this.delete(projectId, created.id).then(() => true, () => false);
      throw invalidResponse(this.http.vendor, operation,
        `service account ${created.id} came without an API key and its value; ${cleanedUp ? 'the account was deleted again' : `deleting the account failed, delete ${created.id} in project ${projectId} by hand`}`);
    }
    return created;
  }

  get(projectId: string, id: string): Promise<ProjectServiceAccount> {
    return this.http.send<ProjectServiceAccount>({ operation: 'get service account', method: 'GET', path: accountPath(projectId, id) });
  }

  /** Renames (or re-roles) the account. Setting the same values twice has the same effect, so it may be resent. */
  update(projectId: string, id: string, input: UpdateServiceAccountInput): Promise<ProjectServiceAccount> {
    return this.http.send<ProjectServiceAccount>({
      operation: 'update service account', method: 'POST', path: accountPath(projectId, id), json: input, idempotent: true,
    });
  }

  /** Deletes the account (and, per OpenAI's lifecycle rule, its keys). Resolves to false when it was already gone. */
  async delete(projectId: string, id: string): Promise<boolean> {
    const response = await this.http.exchange({
      operation: 'delete service account', method: 'DELETE', path: accountPath(projectId, id), acceptStatuses: [404],
    });
    return response.status !== 404 && (response.body as DeletedObject | undefined)?.deleted !== false;
  }
}
