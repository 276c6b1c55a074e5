import { VendorError, VendorValidationError } from '../../core/errors';
import type { VendorHttpClient } from '../http/client';
import { listAllPages } from './pagination';
import { OpenAiServiceAccountsApi, projectPath } from './service-accounts';
import type { DeletedObject, ProjectApiKey } from './types';

const keysPath = (projectId: string): string => `${projectPath(projectId)}/api_keys`;
const keyPath = (projectId: string, id: string): string => `${keysPath(projectId)}/${encodeURIComponent(id)}`;

/**
 * What the list asks for. Without `owner_project_access`, OpenAI applies
 * "membership-based visibility rules" that may hide enabled keys (a key whose
 * owner lost access to the project is still a key), so the adapter asks for
 * `any`. Servers from before the 2026 parameter may reject it: the adapter
 * then lists without it, and remembers.
 */
export const OWNER_PROJECT_ACCESS = 'any';

/** How a key was revoked. */
export type RevokeOutcome = 'key-deleted' | 'service-account-deleted' | 'already-gone';

export const isServiceAccountKey = (key: ProjectApiKey): boolean => key.owner?.type === 'service_account';

/**
 * OpenAI project API keys: list, get, delete. The API cannot create one:
 * keys come from creating a service account (OpenAiServiceAccountsApi), and
 * a service account's key is revoked by deleting the account.
 */
export class OpenAiProjectKeysApi {
  private ownerAccessFilterSupported = true;

  constructor(private readonly http: VendorHttpClient, private readonly serviceAccounts: OpenAiServiceAccountsApi) {}

  async list(projectId: string): Promise<ProjectApiKey[]> {
    const list = (query: Record<string, string>) => listAllPages<ProjectApiKey>(this.http, 'list project keys', keysPath(projectId), query);
    if (!this.ownerAccessFilterSupported) return list({});
    try {
      return await list({ owner_project_access: OWNER_PROJECT_ACCESS });
    } catch (error) {
      if (!rejectsOwnerAccessFilter(error)) throw error;
      this.ownerAccessFilterSupported = false;
      return list({});
    }
  }

  get(projectId: string, id: string): Promise<ProjectApiKey> {
    return this.http.send<ProjectApiKey>({ operation: 'get project key', method: 'GET', path: keyPath(projectId, id) });
  }

  /** The key, or undefined when the project has no such key. */
  async find(projectId: string, id: string): Promise<ProjectApiKey | undefined> {
    const response = await this.http.exchange({ operation: 'get project key', method: 'GET', path: keyPath(projectId, id), acceptStatuses: [404] });
    return response.status === 404 ? undefined : (response.body as ProjectApiKey);
  }

  /**
   * Deletes the key itself, which OpenAI allows only for keys users own
   * (a service account's key answers 400). Resolves to false when the key was
   * already gone.
   */
  async delete(projectId: string, id: string): Promise<boolean> {
    const response = await this.http.exchange({
      operation: 'delete project key', method: 'DELETE', path: keyPath(projectId, id), acceptStatuses: [404],
    });
    return response.status !== 404 && (response.body as DeletedObject | undefined)?.deleted !== false;
  }

  /**
   * Revokes a key whichever way OpenAI allows: a service account's key by
   * deleting the account, a user's key directly. When the owner is not known
   * (an imported key), a 400 on the direct delete means a service account
   * owns it, and the key says which.
   *
   * That deleting an account removes its keys is implied by OpenAI's docs but
   * not stated, so the key is checked afterwards and, if still there, deleted
   * directly (its owner is gone, so the 400 rule no longer applies).
   */
  async revoke(projectId: string, keyId: string, serviceAccountId?: string | null): Promise<RevokeOutcome> {
    let accountId = serviceAccountId ?? undefined;
    if (!accountId) {
      try {
        return (await this.delete(projectId, keyId)) ? 'key-deleted' : 'already-gone';
      } catch (error) {
        if (!(error instanceof VendorValidationError && error.status === 400)) throw error;
        const key = await this.find(projectId, keyId);
        if (!key) return 'already-gone';
        if (!isServiceAccountKey(key) || !key.owner?.service_account?.id) throw error;
        accountId = key.owner.service_account.id;
      }
    }
    const accountDeleted = await this.serviceAccounts.delete(projectId, accountId);
    const leftover = await this.find(projectId, keyId);
    if (!leftover) return accountDeleted ? 'service-account-deleted' : 'already-gone';
    try {
      await this.delete(projectId, keyId);
    } catch (error) {
      throw new VendorError(this.http.vendor, 'revoke project key',
        `service account ${accountId} was deleted, but its key ${keyId} is still listed in project ${projectId} and OpenAI refused to delete it directly`,
        { cause: error, hint: 'Revoke the key in the OpenAI dashboard (project settings, API keys), then run Terraform again.' });
    }
    return 'service-account-deleted';
  }
}

/** A server from before the 2026 spec refusing the `owner_project_access` parameter. */
function rejectsOwnerAccessFilter(error: unknown): boolean {
  if (!(error instanceof VendorValidationError) || error.status !== 400) return false;
  return error.details.param === 'owner_project_access' || Boolean(error.details.message?.includes('owner_project_access'));
}
