import { randomBytes, randomUUID } from 'node:crypto';
import { ATLAS, type AtlasApiVersion } from '../../../core/facts/atlas';
import { CursorStore } from '../../cursor-store';
import type { EmulatorRequest, EmulatorResponse, Route } from '../../http';
import { randomHex } from '../../ids';
import type { EmulatedVendor } from '../../vendor';
import { accessListEntryOf, entryAllows, entryName, presentEntry, recordUse, type AccessListEntry } from './access-list';
import { AtlasAuthEmulator, atlasError, type AtlasAuthSettings, type Principal } from './auth';

/**
 * MongoDB Atlas organization programmatic API keys, as the seed (v1.0) and
 * the v2 spec document them:
 * - HTTP Digest with the programmatic keys, or Bearer tokens of service
 *   accounts (see ./auth.ts); a key acts with its organization roles:
 *   any role lists, ORG_OWNER creates, changes and revokes;
 * - /api/atlas/v2 (dated Accept media type) and /api/atlas/v1.0 (plain JSON);
 * - pageNum/itemsPerPage (1..500, default 100)/includeCount pagination with
 *   links (self, next, previous);
 * - privateKey whole only in the create answer, else `********-****-****-<last 12>`;
 * - each key's IP access list (…/apiKeys/{id}/accessList), where Atlas keeps
 *   a key's only usage data: a digest request through an entry sets its
 *   lastUsed, lastUsedAddress and count;
 * - ApiError bodies; RateLimit-* headers and a token bucket per organization.
 * Keys never expire, and have no creation time but their ObjectId's.
 *
 * Items marked [U] in the vendor notes are settings (constructor options,
 * and PATCH /_emulator/atlas/settings).
 *
 * Many organizations: `addOrganization()` makes one with its own bootstrap
 * programmatic key and service account; a credential reaches only its own
 * organization, and each organization has its own rate-limit bucket.
 */
export interface AtlasEmulatorSettings extends AtlasAuthSettings {
  /** [U] v2 without a valid dated Accept: 406 INVALID_VERSION_DATE ("required") or served anyway ("lenient"). */
  versionedAccept: 'required' | 'lenient';
  /** [U] Whether PATCH roles replace the key's organization roles or are added to them. */
  patchRoles: 'replace' | 'merge';
  /**
   * [U] A key with access-list entries is refused (403) from an address on none of them ("enforced",
   * as Atlas documents the list), or only its use is recorded ("recorded"). Default "enforced".
   */
  accessList: 'enforced' | 'recorded';
  rateLimit: {
    /** Requests a full bucket allows (RateLimit-Limit). */
    capacity: number;
    /** Tokens added every refillPeriodSeconds. */
    refillAmount: number;
    refillPeriodSeconds: number;
    /** Both codes appear in Atlas's documentation for the same condition. */
    errorCode: 'RATE_LIMITED' | 'RATE_LIMITED_TOKEN_BUCKET';
  };
}

export interface AtlasEmulatorOptions extends Partial<Omit<AtlasEmulatorSettings, 'rateLimit'>> {
  /** How many organizations to start with, each with a bootstrap key and a service account. Default 2. */
  organizations?: number;
  rateLimit?: Partial<AtlasEmulatorSettings['rateLimit']>;
}

export interface StoredAtlasKey {
  /** An ObjectId: its first 8 hex digits are the key's creation time. */
  id: string;
  desc: string;
  publicKey: string;
  privateKey: string;
  /** Organization roles in the key's own organization. */
  orgRoles: string[];
  /** Project roles, shown in the listing next to the organization roles. */
  projectRoles: { groupId: string; roleName: string }[];
  /** The key's IP access list, in the order entries were added. */
  accessList: AccessListEntry[];
}

export interface NewAtlasKey {
  desc: string;
  roles: string[];
  projectRoles?: StoredAtlasKey['projectRoles'];
  /** The creation time its ObjectId carries. Default now. */
  created?: Date;
}

export interface AtlasServiceAccount {
  clientId: string;
  clientSecret: string;
}

export interface EmulatedAtlasOrganization {
  id: string;
  name: string;
  keys: CursorStore<StoredAtlasKey>;
  serviceAccount: AtlasServiceAccount;
  bootstrapKey: StoredAtlasKey;
  bucket: { tokens: number; updatedAt: number };
}

/** What `setAccessListEntryUse` records: a request through the entry, or (lastUsed null) none ever. */
export interface AccessListEntryUse {
  lastUsed: Date | null;
  /** Default: the entry's own address (or, for a range, its first address). */
  lastUsedAddress?: string;
  /** Default 1. */
  count?: number;
}

const V2_DATED_MEDIA_TYPE = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/;
const FIRST_VERSION_DATE = '2023-01-01';
const { defaultPageSize: DEFAULT_ITEMS_PER_PAGE, maxPageSize: MAX_ITEMS_PER_PAGE, keyDescriptionMax: KEY_DESCRIPTION_MAX } = ATLAS.limits;
const ID_PATTERN = ATLAS.patterns.id;
const ORG_ROLES: readonly string[] = ATLAS.orgRoles;
/** The role that may create, change and revoke keys and their access lists; any organization role may read. */
const KEY_ADMIN_ROLE = 'ORG_OWNER';

export const DEFAULT_ATLAS_SETTINGS: AtlasEmulatorSettings = {
  nonceLifetimeMs: 300_000,
  tokenLifetimeSeconds: 3600,
  versionedAccept: 'required',
  patchRoles: 'replace',
  challengeQopName: 'qop',
  accessList: 'enforced',
  rateLimit: { capacity: 100, refillAmount: 10, refillPeriodSeconds: 1, errorCode: 'RATE_LIMITED_TOKEN_BUCKET' },
};

const validationError = (detail: string, field: string): EmulatorResponse =>
  atlasError(400, 'VALIDATION_ERROR', detail, { fields: [{ field, description: detail }] });

/** How listings show a private key (a UUID): the mask, then its last 12 hex digits. */
export const redactAtlasKey = (privateKey: string): string =>
  `${ATLAS.privateKeyMask.prefix}${privateKey.slice(privateKey.length - ATLAS.privateKeyMask.visibleSuffix)}`;

/** An ObjectId: its creation time in whole seconds (8 hex digits), then 16 random hex digits. */
export const newObjectId = (created = new Date()): string => Math.floor(created.getTime() / 1000).toString(16).padStart(8, '0') + randomHex(16);

/** When an ObjectId was made (its first 8 hex digits, seconds). */
export const objectIdTime = (id: string): Date => new Date(Number.parseInt(id.slice(0, 8), 16) * 1000);

const newPublicKey = (): string => Array.from(randomBytes(8), (byte) => String.fromCharCode(97 + (byte % 26))).join('');

export class AtlasEmulator {
  static readonly prefix = '/atlas';
  readonly settings: AtlasEmulatorSettings;
  /** In creation order; `organization(id)` finds one by id without a scan. */
  readonly organizations: EmulatedAtlasOrganization[] = [];
  private readonly organizationsById = new Map<string, EmulatedAtlasOrganization>();
  /** Time for the rate-limit buckets (epoch ms); tests freeze it so refills never depend on how fast they run. */
  rateLimitClock: () => number = Date.now;
  private readonly auth: AtlasAuthEmulator;

  constructor(options: AtlasEmulatorOptions = {}) {
    const { organizations = 2, rateLimit, ...settings } = options;
    this.settings = { ...DEFAULT_ATLAS_SETTINGS, ...settings, rateLimit: { ...DEFAULT_ATLAS_SETTINGS.rateLimit, ...rateLimit } };
    this.auth = new AtlasAuthEmulator({
      programmaticKey: (publicKey) => {
        for (const org of this.organizations) {
          const key = org.keys.find((candidate) => candidate.publicKey === publicKey);
          if (key) return { organizationId: org.id, roles: key.orgRoles, privateKey: key.privateKey, programmaticKeyId: key.id };
        }
        return undefined;
      },
      serviceAccount: (clientId, clientSecret) => {
        const org = this.organizations.find((candidate) => candidate.serviceAccount.clientId === clientId && candidate.serviceAccount.clientSecret === clientSecret);
        return org ? { organizationId: org.id, roles: [KEY_ADMIN_ROLE] } : undefined;
      },
    }, this.settings);
    for (let index = 0; index < organizations; index++) this.addOrganization(`Emulated organization ${index}`);
  }

  asVendor(): EmulatedVendor {
    return {
      name: ATLAS.vendor,
      prefix: AtlasEmulator.prefix,
      routes: () => this.routes(),
      notFound: (request) => atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${request.path.slice(AtlasEmulator.prefix.length)}.`, {
        parameters: [request.path.slice(AtlasEmulator.prefix.length)],
      }),
      credentials: () => this.credentials(),
    };
  }

  /** The first organization's credentials unsuffixed, the others' with `_<index>`. */
  credentials(): Record<string, string> {
    const entries: [string, string][] = [];
    this.organizations.forEach((org, index) => {
      const suffix = index === 0 ? '' : `_${index}`;
      entries.push(
        [`orgId${suffix}`, org.id], [`publicKey${suffix}`, org.bootstrapKey.publicKey], [`privateKey${suffix}`, org.bootstrapKey.privateKey],
        [`clientId${suffix}`, org.serviceAccount.clientId], [`clientSecret${suffix}`, org.serviceAccount.clientSecret],
      );
    });
    return Object.fromEntries(entries);
  }

  // ---- in-process changes, as if made in the Atlas console -------------------------------------------

  addOrganization(name: string, id: string = newObjectId()): EmulatedAtlasOrganization {
    if (!ID_PATTERN.test(id) || this.organization(id)) throw new Error(`emulator: "${id}" is not a free 24-hex organization id`);
    const org: EmulatedAtlasOrganization = {
      id,
      name,
      keys: new CursorStore<StoredAtlasKey>(),
      serviceAccount: { clientId: `${ATLAS.serviceAccountPrefixes.clientId}${randomHex(24)}`, clientSecret: `${ATLAS.serviceAccountPrefixes.clientSecret}${randomHex(40)}` },
      bootstrapKey: undefined as unknown as StoredAtlasKey,
      bucket: { tokens: this.settings.rateLimit.capacity, updatedAt: this.rateLimitClock() },
    };
    this.organizations.push(org);
    this.organizationsById.set(org.id, org);
    org.bootstrapKey = this.addKey(org.id, { desc: 'emulator bootstrap key', roles: [KEY_ADMIN_ROLE] });
    return org;
  }

  organization(id: string): EmulatedAtlasOrganization | undefined {
    return this.organizationsById.get(id);
  }

  /** A key with its private key; `created` dates its ObjectId, the only creation time an Atlas key has. */
  addKey(organizationId: string, input: NewAtlasKey): StoredAtlasKey {
    const org = this.requireOrganization(organizationId);
    return org.keys.add({
      id: newObjectId(input.created), desc: input.desc, publicKey: newPublicKey(), privateKey: randomUUID(),
      orgRoles: [...new Set(input.roles)], projectRoles: input.projectRoles ?? [], accessList: [],
    });
  }

  updateKey(organizationId: string, keyId: string, change: { desc?: string; roles?: string[]; projectRoles?: StoredAtlasKey['projectRoles'] }): StoredAtlasKey | undefined {
    const key = this.organization(organizationId)?.keys.get(keyId);
    if (!key) return undefined;
    if (change.desc !== undefined) key.desc = change.desc;
    if (change.roles !== undefined) key.orgRoles = [...new Set(change.roles)];
    if (change.projectRoles !== undefined) key.projectRoles = change.projectRoles;
    return key;
  }

  revokeKey(organizationId: string, keyId: string): boolean {
    return this.organization(organizationId)?.keys.delete(keyId) !== undefined;
  }

  /** Adds an entry to a key's access list (as the console would); throws on a bad address or a duplicate. */
  addAccessListEntry(organizationId: string, keyId: string, address: { ipAddress: string } | { cidrBlock: string }): AccessListEntry {
    const key = this.requireKey(organizationId, keyId);
    const parsed = accessListEntryOf(address, Date.now());
    if ('problem' in parsed) throw new Error(parsed.problem);
    if (key.accessList.some((entry) => entryName(entry) === entryName(parsed.entry))) throw new Error(`${entryName(parsed.entry)} is already on the access list`);
    key.accessList.push(parsed.entry);
    return parsed.entry;
  }

  /** Sets (or, with lastUsed null, clears) the usage an access-list entry shows: how a test ages a key's last use. */
  setAccessListEntryUse(organizationId: string, keyId: string, name: string, use: AccessListEntryUse): AccessListEntry {
    const entry = this.requireKey(organizationId, keyId).accessList.find((candidate) => entryName(candidate) === name);
    if (!entry) throw new Error(`key ${keyId} has no access-list entry ${name}`);
    entry.lastUsed = use.lastUsed === null ? null : use.lastUsed.getTime();
    entry.lastUsedAddress = use.lastUsed === null ? null : use.lastUsedAddress ?? name.split('/')[0];
    entry.count = use.lastUsed === null ? 0 : use.count ?? 1;
    return entry;
  }

  /** Every nonce handed out so far is now expired (the next digest request draws stale=true). */
  expireNonces(): void {
    this.auth.expireNonces();
  }

  /** Every service-account token is now expired. */
  expireTokens(): void {
    this.auth.expireTokens();
  }

  /** Every token the token endpoint has issued and not revoked (for tests: counts and leak checks). */
  issuedTokens(): string[] {
    return this.auth.issuedTokens();
  }

  // ---- routes ----------------------------------------------------------------------------------------

  routes(): Route[] {
    const base = AtlasEmulator.prefix;
    const routes: Route[] = [
      { method: 'POST', pattern: `${base}/${ATLAS.tokenPath}`, handler: (request) => this.auth.issueToken(request) },
      { method: 'POST', pattern: `${base}/${ATLAS.revokePath}`, handler: (request) => this.auth.revokeToken(request) },
    ];
    for (const version of ATLAS.apiVersions) {
      const keys = `${base}/api/atlas/${version}/orgs/:orgId/apiKeys`;
      const accessList = `${keys}/:keyId/accessList`;
      const withKey = (handler: (call: ApiCall, key: StoredAtlasKey) => EmulatorResponse) => (call: ApiCall) => this.withKey(call, (key) => handler(call, key));
      routes.push(
        { method: 'GET', pattern: keys, handler: this.api(version, 'read', (call) => this.listKeys(call)) },
        { method: 'POST', pattern: keys, handler: this.api(version, 'write', (call) => this.createKey(call)) },
        { method: 'GET', pattern: `${keys}/:keyId`, handler: this.api(version, 'read', withKey((call, key) => this.ok(this.present(call, key)))) },
        { method: 'PATCH', pattern: `${keys}/:keyId`, handler: this.api(version, 'write', withKey((call, key) => this.patchKey(call, key))) },
        { method: 'DELETE', pattern: `${keys}/:keyId`, handler: this.api(version, 'write', withKey((call, key) => this.deleteKey(call, key))) },
        { method: 'GET', pattern: accessList, handler: this.api(version, 'read', withKey((call, key) => this.listAccessList(call, key))) },
        { method: 'POST', pattern: accessList, handler: this.api(version, 'write', withKey((call, key) => this.addToAccessList(call, key))) },
        { method: 'GET', pattern: `${accessList}/:entry`, handler: this.api(version, 'read', withKey((call, key) => this.withEntry(call, key, (entry) => this.ok(presentEntry(entry, accessListHref(call, key)))))) },
        { method: 'DELETE', pattern: `${accessList}/:entry`, handler: this.api(version, 'write', withKey((call, key) => this.withEntry(call, key, (entry) => this.removeFromAccessList(call, key, entry)))) },
      );
    }
    return routes;
  }

  // ---- API plumbing ----------------------------------------------------------------------------------

  /** Auth (recording a key's use on its access list), Accept, organization, access and rate limit, in that order, then the handler. */
  private api(version: AtlasApiVersion, access: 'read' | 'write', handler: (call: ApiCall) => EmulatorResponse) {
    return (request: EmulatorRequest): EmulatorResponse => {
      const principal = this.auth.authenticate(request);
      if ('status' in principal) return principal;
      const refused = this.passAccessList(principal, request.remoteAddress);
      if (refused) return refused;
      let mediaType = 'application/json';
      if (version === 'v2') {
        const dated = datedMediaType(request.headers.accept);
        if (!dated && this.settings.versionedAccept === 'required') {
          return atlasError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.');
        }
        mediaType = dated ?? ATLAS.v2MediaType;
      }
      const organizationId = request.params.orgId;
      if (!ID_PATTERN.test(organizationId)) return atlasError(400, 'INVALID_ORG_ID', `An invalid organization ID ${organizationId} was specified.`, { parameters: [organizationId] });
      const org = this.organization(organizationId);
      if (!org) return atlasError(404, 'ORG_NOT_FOUND', `No organization with ID ${organizationId} exists.`, { parameters: [organizationId] });
      const allowed = principal.organizationId === org.id &&
        (access === 'read' ? principal.roles.length > 0 : principal.roles.includes(KEY_ADMIN_ROLE));
      if (!allowed) return atlasError(401, 'USER_UNAUTHORIZED', 'Current user is not authorized to perform this action.');
      const limited = this.takeToken(org, version);
      if (limited) return limited;
      const host = String(request.headers.host ?? '127.0.0.1');
      const response = handler({ request, version, org, mediaType, apiBase: `http://${host}${AtlasEmulator.prefix}/api/atlas/${version}` });
      if (response.status < 300) {
        response.headers = {
          ...response.headers,
          'ratelimit-limit': String(this.settings.rateLimit.capacity),
          'ratelimit-remaining': String(Math.floor(org.bucket.tokens)),
        };
        if (response.body !== undefined) response.headers['content-type'] = mediaType;
      }
      return response;
    };
  }

  /**
   * A programmatic key with an access list is used through the entry that
   * matches the caller, which records the use; from an address on none of
   * them it is refused (when enforced). Keys without entries pass, unrecorded.
   */
  private passAccessList(principal: Principal, address: string): EmulatorResponse | undefined {
    if (principal.programmaticKeyId === undefined) return undefined;
    const key = this.organization(principal.organizationId)?.keys.get(principal.programmaticKeyId);
    if (!key || key.accessList.length === 0) return undefined;
    const entry = key.accessList.find((candidate) => entryAllows(candidate, address));
    if (entry) {
      recordUse(entry, address, Date.now());
      return undefined;
    }
    if (this.settings.accessList === 'recorded') return undefined;
    return atlasError(403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST', `IP address ${address} is not allowed to access this resource.`, { parameters: [address] });
  }

  /** Token bucket per organization: refills continuously; an empty bucket answers 429 with Retry-After. */
  private takeToken(org: EmulatedAtlasOrganization, version: string): EmulatorResponse | undefined {
    const { capacity, refillAmount, refillPeriodSeconds, errorCode } = this.settings.rateLimit;
    const now = this.rateLimitClock();
    const perMs = refillAmount / (refillPeriodSeconds * 1000);
    org.bucket.tokens = Math.min(capacity, org.bucket.tokens + (now - org.bucket.updatedAt) * perMs);
    org.bucket.updatedAt = now;
    if (org.bucket.tokens >= 1) {
      org.bucket.tokens -= 1;
      return undefined;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - org.bucket.tokens) / perMs / 1000));
    const scope = `api/atlas/${version}/orgs`;
    const headers = { 'retry-after': String(retryAfter) };
    if (errorCode === 'RATE_LIMITED_TOKEN_BUCKET') {
      return atlasError(429, errorCode,
        `Rate limit exceeded for ${scope}. Please retry after ${retryAfter} seconds. Request capacity: ${capacity}. Refill rate: ${refillAmount} per ${refillPeriodSeconds} seconds.`,
        { parameters: [scope, retryAfter, capacity, refillAmount, refillPeriodSeconds], headers });
    }
    return atlasError(429, errorCode, 'You have exceeded the rate limit for this resource. Please retry later.', { headers });
  }

  /** A success; the api() wrapper adds Content-Type and the RateLimit headers. */
  private ok(body: unknown): EmulatorResponse {
    return { status: 200, body };
  }

  private present(call: ApiCall, key: StoredAtlasKey, privateKey = redactAtlasKey(key.privateKey)): Record<string, unknown> {
    return {
      desc: key.desc,
      id: key.id,
      links: [{ href: `${call.apiBase}/orgs/${call.org.id}/apiKeys/${key.id}`, rel: 'self' }],
      privateKey,
      publicKey: key.publicKey,
      // Project roles first, as in the documented example.
      roles: [...key.projectRoles, ...key.orgRoles.map((roleName) => ({ orgId: call.org.id, roleName }))],
    };
  }

  private withKey(call: ApiCall, handler: (key: StoredAtlasKey) => EmulatorResponse): EmulatorResponse {
    const keyId = call.request.params.keyId;
    if (!ID_PATTERN.test(keyId)) return atlasError(400, 'INVALID_API_KEY_ID', `An invalid API key ID ${keyId} was specified.`, { parameters: [keyId] });
    const key = call.org.keys.get(keyId);
    return key ? handler(key) : atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource API key ${keyId}.`, { parameters: [keyId] });
  }

  private withEntry(call: ApiCall, key: StoredAtlasKey, handler: (entry: AccessListEntry) => EmulatorResponse): EmulatorResponse {
    const name = call.request.params.entry;
    const entry = key.accessList.find((candidate) => entryName(candidate) === name);
    return entry ? handler(entry) : atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find access list entry ${name} for API key ${key.id}.`, { parameters: [name, key.id] });
  }

  /** One page of `items` with pageNum/itemsPerPage/includeCount and self/previous/next links, or the 400 for a bad parameter. */
  private page<T>(call: ApiCall, items: readonly T[], present: (item: T) => unknown, selfHref: string): EmulatorResponse {
    const { query } = call.request;
    const pageNum = integerParam(query.get('pageNum'), 1);
    const itemsPerPage = integerParam(query.get('itemsPerPage'), DEFAULT_ITEMS_PER_PAGE);
    const includeCount = query.get('includeCount') ?? 'true';
    if (pageNum === undefined || pageNum < 1) return validationError('pageNum must be a whole number of at least 1.', 'pageNum');
    if (itemsPerPage === undefined || itemsPerPage < 1 || itemsPerPage > MAX_ITEMS_PER_PAGE) {
      return validationError(`itemsPerPage must be a whole number from 1 to ${MAX_ITEMS_PER_PAGE}.`, 'itemsPerPage');
    }
    if (includeCount !== 'true' && includeCount !== 'false') return validationError('includeCount must be true or false.', 'includeCount');
    const start = (pageNum - 1) * itemsPerPage;
    const pageHref = (page: number) => `${selfHref}?pageNum=${page}&itemsPerPage=${itemsPerPage}`;
    const links = [{ href: pageHref(pageNum), rel: 'self' }];
    if (pageNum > 1) links.push({ href: pageHref(pageNum - 1), rel: 'previous' });
    if (start + itemsPerPage < items.length) links.push({ href: pageHref(pageNum + 1), rel: 'next' });
    return this.ok({
      links,
      results: items.slice(start, start + itemsPerPage).map(present),
      ...(includeCount === 'true' ? { totalCount: items.length } : {}),
    });
  }

  private listKeys(call: ApiCall): EmulatorResponse {
    return this.page(call, call.org.keys.all(), (key) => this.present(call, key), `${call.apiBase}/orgs/${call.org.id}/apiKeys`);
  }

  private createKey(call: ApiCall): EmulatorResponse {
    const body = parseBody(call.request);
    if ('rejection' in body) return body.rejection;
    const fields = objectBody(body.value);
    if ('rejection' in fields) return fields.rejection;
    const desc = checkDescription(fields.value.desc, true);
    if ('rejection' in desc) return desc.rejection;
    const roles = checkRoles(fields.value.roles, true);
    if ('rejection' in roles) return roles.rejection;
    const key = this.addKey(call.org.id, { desc: desc.value!, roles: roles.value! });
    return this.ok(this.present(call, key, key.privateKey));
  }

  private patchKey(call: ApiCall, key: StoredAtlasKey): EmulatorResponse {
    const body = parseBody(call.request);
    if ('rejection' in body) return body.rejection;
    const fields = objectBody(body.value);
    if ('rejection' in fields) return fields.rejection;
    if (fields.value.desc === undefined && fields.value.roles === undefined) return validationError('Provide desc, roles or both.', 'desc');
    const desc = checkDescription(fields.value.desc, false);
    if ('rejection' in desc) return desc.rejection;
    const roles = checkRoles(fields.value.roles, false);
    if ('rejection' in roles) return roles.rejection;
    if (desc.value !== undefined) key.desc = desc.value;
    if (roles.value) key.orgRoles = this.settings.patchRoles === 'merge' ? [...new Set([...key.orgRoles, ...roles.value])] : roles.value;
    return this.ok(this.present(call, key));
  }

  private deleteKey(call: ApiCall, key: StoredAtlasKey): EmulatorResponse {
    call.org.keys.delete(key.id);
    // v2 answers 204; the v1.0 documentation shows 200 without a body.
    return call.version === 'v2' ? { status: 204 } : { status: 200 };
  }

  private listAccessList(call: ApiCall, key: StoredAtlasKey): EmulatorResponse {
    const self = accessListHref(call, key);
    return this.page(call, key.accessList, (entry) => presentEntry(entry, self), self);
  }

  /** The body is a list of {ipAddress} or {cidrBlock}; all are checked before any is added. The answer is the whole list, paged. */
  private addToAccessList(call: ApiCall, key: StoredAtlasKey): EmulatorResponse {
    const body = parseBody(call.request);
    if ('rejection' in body) return body.rejection;
    if (!Array.isArray(body.value) || body.value.length === 0) return validationError('The body must be a list of access list entries, each with ipAddress or cidrBlock.', 'ipAddress');
    const now = Date.now();
    const added: AccessListEntry[] = [];
    for (const [index, input] of body.value.entries()) {
      const parsed = accessListEntryOf(input, now);
      if ('problem' in parsed) return validationError(parsed.problem, `[${index}].${parsed.field}`);
      const name = entryName(parsed.entry);
      if ([...key.accessList, ...added].some((entry) => entryName(entry) === name)) {
        return atlasError(409, 'DUPLICATE_ACCESS_LIST_ENTRY', `${name} is already on the access list of API key ${key.id}.`, { parameters: [name] });
      }
      added.push(parsed.entry);
    }
    key.accessList.push(...added);
    return this.listAccessList(call, key);
  }

  private removeFromAccessList(call: ApiCall, key: StoredAtlasKey, entry: AccessListEntry): EmulatorResponse {
    key.accessList.splice(key.accessList.indexOf(entry), 1);
    return call.version === 'v2' ? { status: 204 } : { status: 200 };
  }

  private requireOrganization(id: string): EmulatedAtlasOrganization {
    const org = this.organization(id);
    if (!org) throw new Error(`the emulator has no Atlas organization ${id}`);
    return org;
  }

  private requireKey(organizationId: string, keyId: string): StoredAtlasKey {
    const key = this.requireOrganization(organizationId).keys.get(keyId);
    if (!key) throw new Error(`the Atlas organization ${organizationId} has no key ${keyId}`);
    return key;
  }
}

interface ApiCall {
  request: EmulatorRequest;
  version: AtlasApiVersion;
  org: EmulatedAtlasOrganization;
  /** What successful answers carry as Content-Type. */
  mediaType: string;
  /** Absolute URL of /api/atlas/<version>, for links. */
  apiBase: string;
}

const accessListHref = (call: ApiCall, key: StoredAtlasKey): string => `${call.apiBase}/orgs/${call.org.id}/apiKeys/${key.id}/accessList`;

/** The dated Atlas media type the client accepts, if any is well formed and not before the first version. */
function datedMediaType(accept: string | string[] | undefined): string | undefined {
  const values = (Array.isArray(accept) ? accept.join(',') : accept ?? '').split(',').map((item) => item.split(';')[0].trim());
  return values.find((value) => {
    const date = V2_DATED_MEDIA_TYPE.exec(value)?.[1];
    return date !== undefined && !Number.isNaN(Date.parse(date)) && date >= FIRST_VERSION_DATE && date <= new Date().toISOString().slice(0, 10);
  });
}

function integerParam(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** A checked request value, or the answer that rejects it. */
type Checked<T> = { value: T } | { rejection: EmulatorResponse };

/** The JSON body of a write (an object or a list). */
function parseBody(request: EmulatorRequest): Checked<unknown> {
  if (!String(request.headers['content-type'] ?? '').includes('json')) {
    return { rejection: atlasError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON.') };
  }
  if (request.json === null || typeof request.json !== 'object') return { rejection: atlasError(400, 'MALFORMED_JSON', 'The request body is not JSON.') };
  return { value: request.json };
}

function objectBody(value: unknown): Checked<Record<string, unknown>> {
  return Array.isArray(value) ? { rejection: atlasError(400, 'MALFORMED_JSON', 'The request body is not a JSON object.') } : { value: value as Record<string, unknown> };
}

function checkDescription(value: unknown, required: boolean): Checked<string | undefined> {
  if (value === undefined && !required) return { value: undefined };
  if (typeof value !== 'string' || value.length < 1 || value.length > KEY_DESCRIPTION_MAX) {
    return { rejection: validationError(`desc must be a string of 1 to ${KEY_DESCRIPTION_MAX} characters.`, 'desc') };
  }
  return { value };
}

function checkRoles(value: unknown, required: boolean): Checked<string[] | undefined> {
  if (value === undefined && !required) return { value: undefined };
  if (!Array.isArray(value) || value.length === 0) return { rejection: validationError('roles must hold at least one organization role.', 'roles') };
  const invalid = value.filter((role) => typeof role !== 'string' || !ORG_ROLES.includes(role));
  if (invalid.length) {
    return {
      rejection: atlasError(400, 'INVALID_ENUM_VALUE', `An invalid enumeration value ${String(invalid[0])} was specified.`, {
        parameters: [invalid[0], 'roles'],
        fields: [{ field: 'roles', description: `must be organization roles: ${ORG_ROLES.join(', ')}` }],
      }),
    };
  }
  return { value: [...new Set(value as string[])] };
}
