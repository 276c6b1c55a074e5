import { VendorAuthenticationError, VendorResponseError } from '../../core/errors';
import { invalidResponse, type VendorHttpClient } from '../http/client';
import { registerSecret } from '../../core/security/redaction';
import type {
  AddApiKeyResponse, AddOrganizationApiKeyRequest, GenericApiResponse, ListOrganizationApiKeysResponse, OrganizationApiKey,
  OrganizationApiKeyRole,
} from './types';

export interface CreateOrganizationKeyInput {
  name: string;
  role: OrganizationApiKeyRole;
  /** Time to live in seconds; omitted for a key without expiry. */
  ttlSeconds?: number;
  /** A caller-chosen key value instead of a generated one. */
  apiKey?: string;
}

/** What the create answer says: the key id and the full key, shown only this once. */
export interface CreatedOrganizationKey {
  id: number;
  /** The full key from the answer; undefined only when a caller-supplied key was not echoed back. */
  apiKey?: string;
}

const keysPath = (organizationId: number) => `api/organizations/${encodeURIComponent(String(organizationId))}/apikeys`;

/**
 * Edge Impulse organization API keys: list (one unpaginated array), add and
 * revoke. There is no get-one and no update.
 */
export class EdgeImpulseOrganizationKeysApi {
  constructor(private readonly http: VendorHttpClient) {}

  async list(organizationId: number): Promise<OrganizationApiKey[]> {
    const operation = 'list organization API keys';
    const answer = await this.http.send<ListOrganizationApiKeysResponse>({ operation, method: 'GET', path: keysPath(organizationId) });
    if (!answer || !Array.isArray(answer.apiKeys)) throw invalidResponse(this.http.vendor, operation, 'no "apiKeys" array in the list');
    return answer.apiKeys;
  }

  async create(organizationId: number, input: CreateOrganizationKeyInput): Promise<CreatedOrganizationKey> {
    const operation = 'add organization API key';
    registerSecret(input.apiKey);
    const body: AddOrganizationApiKeyRequest = {
      name: input.name,
      role: input.role,
      ...(input.apiKey === undefined ? {} : { apiKey: input.apiKey }),
      ...(input.ttlSeconds === undefined ? {} : { ttl: input.ttlSeconds }),
    };
    const answer = await this.http.send<AddApiKeyResponse>({ operation, method: 'POST', path: keysPath(organizationId), json: body });
    registerSecret(answer?.apiKey);
    if (!answer || typeof answer.id !== 'number') throw invalidResponse(this.http.vendor, operation, 'no key id');
    if (typeof answer.apiKey !== 'string' && input.apiKey === undefined) {
      throw invalidResponse(this.http.vendor, operation, `key ${answer.id} came without its value`);
    }
    return { id: answer.id, apiKey: typeof answer.apiKey === 'string' ? answer.apiKey : undefined };
  }

  /**
   * Revokes the key. Resolves to false when it was already gone. Edge Impulse
   * does not document how it answers for an unknown key (HTTP 200 with
   * success:false, or a 4xx), and its messages are not a contract, so a
   * rejected revoke is checked against a fresh listing instead: a key that
   * is not listed is revoked, whatever the error said.
   */
  async delete(organizationId: number, keyId: number): Promise<boolean> {
    try {
      await this.http.send<GenericApiResponse>({
        operation: 'revoke organization API key', method: 'DELETE', path: `${keysPath(organizationId)}/${encodeURIComponent(String(keyId))}`,
      });
      return true;
    } catch (error) {
      if (!(error instanceof VendorResponseError) || error instanceof VendorAuthenticationError) throw error;
      let listed: OrganizationApiKey[];
      try {
        listed = await this.list(organizationId);
      } catch {
        throw error; // the revoke's own error says more than the listing's
      }
      if (listed.some((key) => key.id === keyId)) throw error;
      return false;
    }
  }
}
