import { invalidResponse, type VendorHttpClient } from '../http/client';
import { registerSecret } from '../../core/security/redaction';
import { atlasMediaType, type AtlasApiVersion } from './client';
import { ATLAS } from '../../core/facts/atlas';
import { listAllPages } from './pagination';
import type { AtlasAccessListEntry, AtlasApiKey, AtlasApiKeyCreated } from './types';

export interface CreateOrganizationKeyInput {
  /** 1..250 characters. */
  description: string;
  /** Organization roles, at least one. */
  roles: readonly string[];
}

export interface UpdateOrganizationKeyInput {
  description?: string;
  roles?: readonly string[];
}

export interface AtlasOrganizationKeysOptions {
  readonly apiVersion: AtlasApiVersion;
  /** itemsPerPage of listings. Default: the most each version documents (the facts' maxPageSize, v1MaxPageSize for v1.0). */
  readonly pageSize?: number;
}

const keysPath = (organizationId: string, keyId?: string): string =>
  `orgs/${encodeURIComponent(organizationId)}/apiKeys${keyId === undefined ? '' : `/${encodeURIComponent(keyId)}`}`;

/** Atlas organization programmatic API keys: list, create, get, update (desc, roles), delete. */
export class AtlasOrganizationKeysApi {
  private readonly bodyHeaders: Record<string, string>;
  private readonly pageSize: number;

  constructor(private readonly http: VendorHttpClient, options: AtlasOrganizationKeysOptions) {
    this.bodyHeaders = { 'content-type': atlasMediaType(options.apiVersion) };
    this.pageSize = options.pageSize ?? (options.apiVersion === 'v1.0' ? ATLAS.limits.v1MaxPageSize : ATLAS.limits.maxPageSize);
  }

  list(organizationId: string): Promise<AtlasApiKey[]> {
    return listAllPages<AtlasApiKey>(this.http, 'list organization API keys', keysPath(organizationId), this.pageSize);
  }

  async create(organizationId: string, input: CreateOrganizationKeyInput): Promise<AtlasApiKeyCreated> {
    const operation = 'create organization API key';
    const created = await this.http.send<AtlasApiKeyCreated>({
      operation, method: 'POST', path: keysPath(organizationId), headers: this.bodyHeaders,
      json: { desc: input.description, roles: [...input.roles] },
    });
    registerSecret(created?.privateKey);
    if (!created || typeof created.id !== 'string') throw invalidResponse(this.http.vendor, operation, 'no key id');
    if (typeof created.privateKey !== 'string' || created.privateKey.includes('*')) {
      throw invalidResponse(this.http.vendor, operation, `key ${created.id} came without its private key`);
    }
    return created;
  }

  get(organizationId: string, keyId: string): Promise<AtlasApiKey> {
    return this.http.send<AtlasApiKey>({ operation: 'get organization API key', method: 'GET', path: keysPath(organizationId, keyId) });
  }

  update(organizationId: string, keyId: string, input: UpdateOrganizationKeyInput): Promise<AtlasApiKey> {
    return this.http.send<AtlasApiKey>({
      operation: 'update organization API key', method: 'PATCH', path: keysPath(organizationId, keyId), headers: this.bodyHeaders,
      json: {
        ...(input.description === undefined ? {} : { desc: input.description }),
        ...(input.roles === undefined ? {} : { roles: [...input.roles] }),
      },
      // Setting the same description and roles twice has the effect of once: safe to resend after a lost answer.
      idempotent: true,
    });
  }

  /** The key's IP access list; each entry says when the key was last used from its address. */
  accessList(organizationId: string, keyId: string): Promise<AtlasAccessListEntry[]> {
    return listAllPages<AtlasAccessListEntry>(
      this.http, 'list an API key\'s access list', `${keysPath(organizationId, keyId)}/accessList`, this.pageSize, (entry) => entry.cidrBlock ?? entry.ipAddress ?? '',
    );
  }

  /** When the key was last used, by its access list (the latest entry's lastUsed); undefined when no entry records a use. */
  async lastUsed(organizationId: string, keyId: string): Promise<string | undefined> {
    const used = (await this.accessList(organizationId, keyId)).map((entry) => entry.lastUsed).filter((at): at is string => typeof at === 'string' && Number.isFinite(Date.parse(at)));
    return used.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  }

  /** Revokes the key (v2 answers 204, v1.0 200 without a body). Resolves to false when it was already gone. */
  async delete(organizationId: string, keyId: string): Promise<boolean> {
    const response = await this.http.exchange({
      operation: 'delete organization API key', method: 'DELETE', path: keysPath(organizationId, keyId), acceptStatuses: [404],
    });
    return response.status !== 404;
  }
}
