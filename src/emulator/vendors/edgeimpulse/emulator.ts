import { EDGE_IMPULSE, type EdgeImpulseRole } from '../../../core/facts/edgeimpulse';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../../http';
import { randomHex } from '../../ids';
import type { KeyTimes } from '../../key-times';
import type { EmulatedVendor } from '../../vendor';

/**
 * Edge Impulse organization API keys, as the seeds document them:
 * - `x-api-key` auth with an organization key; the org's admin keys may add
 *   and revoke keys, member keys may only list ([U]: the documentation
 *   names the roles but not their rights; configurable); every request a
 *   key authenticates sets its `lastUsed` ({date, ipAddress}); a key past
 *   its `expires` (from `ttl`) is refused like an unknown one;
 * - one unpaginated `apiKeys` array, each key shown only in part;
 * - the full key only in the add answer `{success, id, apiKey}`;
 * - every answer extends `{success, error?}`.
 *
 * What the seeds leave open is a setting (constructor options, or
 * PUT /_emulator/edgeimpulse/settings): which failures use HTTP 200 with
 * `success: false` and which an error status, how the partial key looks,
 * and whether member keys may manage keys. Out-of-band changes are in ./control.ts.
 *
 * Many organizations: `addOrganization()` (or POST
 * /_emulator/edgeimpulse/organizations) makes one with its own bootstrap
 * admin key; a key reaches only its own organization.
 */
export type EdgeImpulseErrorStyle = 'http-status' | 'success-false';
export type { EdgeImpulseRole };

export interface EdgeImpulseKeyMask {
  /** Characters of the key shown before the marker. */
  visiblePrefix: number;
  /** Characters of the key shown after the marker. */
  visibleSuffix: number;
  marker: string;
}

export interface EdgeImpulseEmulatorSettings {
  /** A bad, missing or insufficient key: 'http-status' answers 401/403, 'success-false' answers 200. Default 'http-status'. */
  authErrors: EdgeImpulseErrorStyle;
  /** Invalid input and unknown ids: 'success-false' answers 200, 'http-status' answers 400/404. Default 'success-false'. */
  validationErrors: EdgeImpulseErrorStyle;
  /** Whether member-role keys may add and revoke keys. Default false. */
  memberCanManageKeys: boolean;
  /** How the listing shows a key. Default: the first 7 characters and "…" (`ei_1a2b…`). */
  keyMask: EdgeImpulseKeyMask;
}

export interface EdgeImpulseEmulatorOptions extends Partial<EdgeImpulseEmulatorSettings> {
  /** Id of the default organization. Default 1. */
  organizationId?: number;
  /** The default organization's bootstrap admin key; generated when omitted. */
  bootstrapApiKey?: string;
}

export interface StoredOrganizationKey {
  id: number;
  organizationId: number;
  name: string;
  apiKey: string;
  role: EdgeImpulseRole;
  /** Epoch milliseconds. */
  created: number;
  expires: number | null;
  lastUsed: { date: number; country?: string; ipAddress?: string } | null;
  isTransformationJobKey: boolean;
}

export interface EmulatedOrganization {
  id: number;
  name: string;
  bootstrapApiKey: string;
  keys: Map<number, StoredOrganizationKey>;
}

export interface NewKeyOptions {
  name: string;
  role?: EdgeImpulseRole;
  ttlSeconds?: number;
  apiKey?: string;
  isTransformationJobKey?: boolean;
}

export const DEFAULT_EDGE_IMPULSE_SETTINGS: EdgeImpulseEmulatorSettings = {
  authErrors: 'http-status',
  validationErrors: 'success-false',
  memberCanManageKeys: false,
  keyMask: { visiblePrefix: 7, visibleSuffix: 0, marker: '…' },
};

const { customKeyPrefix: CUSTOM_KEY_PREFIX, customKeyMinLength: CUSTOM_KEY_MIN_LENGTH } = EDGE_IMPULSE.limits;
const ROLES: readonly EdgeImpulseRole[] = EDGE_IMPULSE.roles;
const OWNER = { id: 1, name: 'Emulator Owner', username: 'emulator-owner' };


/** A key as Edge Impulse makes one when the caller chooses none: `ei_` and 64 hex digits [U: only the prefix is documented]. */
export const newEdgeImpulseKey = (): string => `${CUSTOM_KEY_PREFIX}${randomHex(64)}`;

export function maskEdgeImpulseKey(value: string, mask: EdgeImpulseKeyMask): string {
  const suffix = mask.visibleSuffix > 0 ? value.slice(-mask.visibleSuffix) : '';
  return `${value.slice(0, mask.visiblePrefix)}${mask.marker}${suffix}`;
}

const success = (body: Record<string, unknown> = {}): EmulatorResponse => json(200, { success: true, ...body });

type Failure = 'unauthenticated' | 'forbidden' | 'invalid' | 'not-found';
const FAILURE_STATUS: Record<Failure, number> = { unauthenticated: 401, forbidden: 403, invalid: 400, 'not-found': 404 };

export class EdgeImpulseEmulator {
  static readonly prefix = '/edgeimpulse/v1';
  readonly settings: EdgeImpulseEmulatorSettings;
  readonly organizations = new Map<number, EmulatedOrganization>();
  readonly defaultOrganization: EmulatedOrganization;
  private nextKeyId = 1001;

  constructor(options: EdgeImpulseEmulatorOptions = {}) {
    const { organizationId, bootstrapApiKey, ...settings } = options;
    this.settings = { ...DEFAULT_EDGE_IMPULSE_SETTINGS };
    this.configure(settings);
    this.defaultOrganization = this.addOrganization({ id: organizationId ?? 1, bootstrapApiKey });
  }

  asVendor(): EmulatedVendor {
    return {
      name: EDGE_IMPULSE.vendor,
      prefix: EdgeImpulseEmulator.prefix,
      routes: () => this.routes(),
      notFound: (request) => json(404, { success: false, error: `Cannot ${request.method} ${request.path.slice('/edgeimpulse'.length)}` }),
      credentials: () => ({ apiKey: this.defaultOrganization.bootstrapApiKey, organizationId: this.defaultOrganization.id }),
    };
  }

  /** Changes settings; unknown or ill-typed values throw, so a control request cannot set nonsense. */
  configure(changes: Partial<EdgeImpulseEmulatorSettings>): EdgeImpulseEmulatorSettings {
    const styles: readonly EdgeImpulseErrorStyle[] = ['http-status', 'success-false'];
    for (const name of ['authErrors', 'validationErrors'] as const) {
      const value = changes[name];
      if (value !== undefined && !styles.includes(value)) throw new Error(`${name} must be one of ${styles.join(', ')}`);
    }
    if (changes.memberCanManageKeys !== undefined && typeof changes.memberCanManageKeys !== 'boolean') throw new Error('memberCanManageKeys must be a boolean');
    const mask = changes.keyMask === undefined ? undefined : { ...this.settings.keyMask, ...changes.keyMask };
    if (mask && !(Number.isInteger(mask.visiblePrefix) && mask.visiblePrefix >= 0 && Number.isInteger(mask.visibleSuffix) && mask.visibleSuffix >= 0 && typeof mask.marker === 'string')) {
      throw new Error('keyMask needs whole visiblePrefix and visibleSuffix of at least 0 and a string marker');
    }
    Object.assign(this.settings, pick(changes, ['authErrors', 'validationErrors', 'memberCanManageKeys']), mask ? { keyMask: mask } : {});
    return this.settings;
  }

  /** A new organization with its own bootstrap admin key, which it lists like any other key. */
  addOrganization(options: { id?: number; name?: string; bootstrapApiKey?: string } = {}): EmulatedOrganization {
    const id = options.id ?? Math.max(0, ...this.organizations.keys()) + 1;
    if (!Number.isInteger(id) || id < 1) throw new Error('an organization id is a positive integer');
    if (this.organizations.has(id)) throw new Error(`organization ${id} already exists`);
    const organization: EmulatedOrganization = {
      id, name: options.name ?? `Emulated organization ${id}`, bootstrapApiKey: options.bootstrapApiKey ?? newEdgeImpulseKey(), keys: new Map(),
    };
    this.organizations.set(id, organization);
    this.addKey(id, { name: 'emulator bootstrap admin key', role: 'admin', apiKey: organization.bootstrapApiKey });
    return organization;
  }

  /** Adds a key as the Studio console would; returns it with its full value. */
  addKey(organizationId: number, options: NewKeyOptions): StoredOrganizationKey {
    const organization = this.requireOrganization(organizationId);
    const created = Date.now();
    const key: StoredOrganizationKey = {
      id: this.nextKeyId++, organizationId, name: options.name, apiKey: options.apiKey ?? newEdgeImpulseKey(), role: options.role ?? 'admin',
      created, expires: options.ttlSeconds === undefined ? null : created + options.ttlSeconds * 1000, lastUsed: null,
      isTransformationJobKey: options.isTransformationJobKey ?? false,
    };
    organization.keys.set(key.id, key);
    return key;
  }

  /** The organization's keys in id order. */
  keys(organizationId: number): StoredOrganizationKey[] {
    return [...this.requireOrganization(organizationId).keys.values()].sort((a, b) => a.id - b.id);
  }

  findKey(organizationId: number, keyId: number): StoredOrganizationKey | undefined {
    return this.organizations.get(organizationId)?.keys.get(keyId);
  }

  /**
   * Ages a key: its creation time, its last use (null: never used; else
   * from 127.0.0.1 unless it already had an address), its expiry (null: never).
   */
  setKeyTimes(organizationId: number, keyId: number, times: KeyTimes): StoredOrganizationKey {
    const key = this.findKey(organizationId, keyId);
    if (!key) throw new Error(`Edge Impulse organization ${organizationId} has no key ${keyId}`);
    if (times.created !== undefined) key.created = times.created.getTime();
    if (times.lastUsed !== undefined) key.lastUsed = times.lastUsed === null ? null : { ipAddress: '127.0.0.1', ...key.lastUsed, date: times.lastUsed.getTime() };
    if (times.expires !== undefined) key.expires = times.expires === null ? null : times.expires.getTime();
    return key;
  }

  /** Revokes a key out of band; false when there was none. */
  revokeKey(organizationId: number, keyId: number): boolean {
    return this.organizations.get(organizationId)?.keys.delete(keyId) ?? false;
  }

  /** The key as the listing shows it: never the full value. */
  present(key: StoredOrganizationKey): Record<string, unknown> {
    return {
      id: key.id,
      apiKey: maskEdgeImpulseKey(key.apiKey, this.settings.keyMask),
      name: key.name,
      created: new Date(key.created).toISOString(),
      role: key.role,
      isTransformationJobKey: key.isTransformationJobKey,
      createdByUser: OWNER,
      ...(key.lastUsed ? { lastUsed: { ...key.lastUsed, date: new Date(key.lastUsed.date).toISOString() } } : {}),
      ...(key.expires === null ? {} : { expires: new Date(key.expires).toISOString() }),
    };
  }

  routes(): Route[] {
    const keysPattern = `${EdgeImpulseEmulator.prefix}/api/organizations/:organizationId/apikeys`;
    return [
      { method: 'GET', pattern: keysPattern, handler: (request) => this.handle(request, 'read', (organization) => this.listKeys(organization)) },
      { method: 'POST', pattern: keysPattern, handler: (request) => this.handle(request, 'write', (organization) => this.createKey(organization, request)) },
      {
        method: 'DELETE', pattern: `${keysPattern}/:apiKeyId`,
        handler: (request) => this.handle(request, 'write', (organization) => this.deleteKey(organization, request.params.apiKeyId)),
      },
    ];
  }

  /** Authenticates, checks the key's organization and role, then runs the handler. */
  private handle(request: EmulatorRequest, access: 'read' | 'write', handler: (organization: EmulatedOrganization) => EmulatorResponse): EmulatorResponse {
    const header = request.headers['x-api-key'];
    const presented = Array.isArray(header) ? header[0] : header;
    if (!presented) return this.fail('unauthenticated', 'Missing API key or JWT token: pass your API key in the x-api-key header');
    const caller = this.findByValue(presented);
    if (!caller || (caller.expires !== null && caller.expires <= Date.now())) return this.fail('unauthenticated', 'Invalid API key');
    caller.lastUsed = { date: Date.now(), ipAddress: request.remoteAddress };

    const rawId = request.params.organizationId;
    const organizationId = Number(rawId);
    if (!/^\d+$/.test(rawId) || !Number.isSafeInteger(organizationId)) return this.fail('invalid', `organizationId must be a number (got "${rawId}")`);
    if (caller.organizationId !== organizationId) return this.fail('forbidden', `This API key does not have access to organization ${organizationId}`);
    if (access === 'write' && caller.role !== 'admin' && !this.settings.memberCanManageKeys) {
      return this.fail('forbidden', 'This API key has the member role; adding or revoking API keys requires the admin role');
    }
    return handler(this.requireOrganization(organizationId));
  }

  private listKeys(organization: EmulatedOrganization): EmulatorResponse {
    return success({ apiKeys: this.keys(organization.id).map((key) => this.present(key)) });
  }

  private createKey(organization: EmulatedOrganization, request: EmulatorRequest): EmulatorResponse {
    const body = request.json as { name?: unknown; role?: unknown; apiKey?: unknown; ttl?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return this.fail('invalid', 'Request body must be a JSON object');
    if (typeof body.name !== 'string' || body.name.trim() === '') return this.fail('invalid', 'Missing parameter "name"');
    if (typeof body.role !== 'string' || !ROLES.includes(body.role as EdgeImpulseRole)) return this.fail('invalid', `Invalid role, should be one of: ${ROLES.join(', ')}`);
    if (body.apiKey !== undefined) {
      if (typeof body.apiKey !== 'string' || !body.apiKey.startsWith(CUSTOM_KEY_PREFIX) || body.apiKey.length < CUSTOM_KEY_MIN_LENGTH) {
        return this.fail('invalid', `API key needs to start with "${CUSTOM_KEY_PREFIX}" and be at least ${CUSTOM_KEY_MIN_LENGTH} characters long`);
      }
      if (this.findByValue(body.apiKey)) return this.fail('invalid', 'This API key already exists');
    }
    if (body.ttl !== undefined && body.ttl !== null && (!Number.isSafeInteger(body.ttl) || (body.ttl as number) < 1)) {
      return this.fail('invalid', 'ttl must be a positive whole number of seconds');
    }
    const key = this.addKey(organization.id, {
      name: body.name, role: body.role as EdgeImpulseRole, apiKey: body.apiKey as string | undefined, ttlSeconds: (body.ttl as number | null | undefined) ?? undefined,
    });
    return success({ id: key.id, apiKey: key.apiKey });
  }

  private deleteKey(organization: EmulatedOrganization, rawKeyId: string): EmulatorResponse {
    const keyId = Number(rawKeyId);
    if (!/^\d+$/.test(rawKeyId) || !organization.keys.delete(keyId)) return this.fail('not-found', `API key ${rawKeyId} not found`);
    return success();
  }

  /** `{success: false, error}` with the status the configured style gives this kind of failure. */
  private fail(failure: Failure, error: string): EmulatorResponse {
    const style = failure === 'unauthenticated' || failure === 'forbidden' ? this.settings.authErrors : this.settings.validationErrors;
    return json(style === 'http-status' ? FAILURE_STATUS[failure] : 200, { success: false, error });
  }

  private findByValue(value: string): StoredOrganizationKey | undefined {
    for (const organization of this.organizations.values()) {
      for (const key of organization.keys.values()) if (key.apiKey === value) return key;
    }
    return undefined;
  }

  private requireOrganization(id: number): EmulatedOrganization {
    const organization = this.organizations.get(id);
    if (!organization) throw new Error(`the emulator has no Edge Impulse organization ${id}`);
    return organization;
  }
}

function pick<T extends object>(source: T, names: (keyof T)[]): Partial<T> {
  return Object.fromEntries(names.filter((name) => source[name] !== undefined).map((name) => [name, source[name]])) as Partial<T>;
}
