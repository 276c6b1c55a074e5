import { invalidResponse, type VendorHttpClient } from '../http/client';
import { registerSecret } from '../../core/security/redaction';
import { listAllPages } from './pagination';
import type { AdminApiKey, AdminApiKeyCreated, DeletedObject } from './types';

const PATH = 'organization/admin_api_keys';

export interface CreateAdminKeyInput {
  name: string;
  /** 1..31536000; omitted for a key that never expires. */
  expiresInSeconds?: number;
}

/** OpenAI organization admin API keys: list, create, get, delete. There is no update. */
export class OpenAiAdminKeysApi {
  constructor(private readonly http: VendorHttpClient) {}

  list(): Promise<AdminApiKey[]> {
    return listAllPages<AdminApiKey>(this.http, 'list admin keys', PATH, { order: 'asc' });
  }

  async create(input: CreateAdminKeyInput): Promise<AdminApiKeyCreated> {
    const operation = 'create admin key';
    const created = await this.http.send<AdminApiKeyCreated>({
      operation, method: 'POST', path: PATH,
      json: { name: input.name, ...(input.expiresInSeconds === undefined ? {} : { expires_in_seconds: input.expiresInSeconds }) },
    });
    registerSecret(created?.value);
    if (!created || typeof created.id !== 'string') throw invalidResponse(this.http.vendor, operation, 'no key id');
    if (typeof created.value !== 'string') throw invalidResponse(this.http.vendor, operation, `key ${created.id} came without its value`);
    return created;
  }

  get(id: string): Promise<AdminApiKey> {
    return this.http.send<AdminApiKey>({ operation: 'get admin key', method: 'GET', path: `${PATH}/${encodeURIComponent(id)}` });
  }

  /** Revokes the key. Resolves to false when the key was already gone. */
  async delete(id: string): Promise<boolean> {
    const response = await this.http.exchange({
      operation: 'delete admin key', method: 'DELETE', path: `${PATH}/${encodeURIComponent(id)}`, acceptStatuses: [404],
    });
    return response.status !== 404 && (response.body as DeletedObject | undefined)?.deleted !== false;
  }
}
