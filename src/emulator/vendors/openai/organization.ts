import { OPENAI } from '../../../core/facts/openai';
import { CursorStore } from '../../cursor-store';
import { nowSeconds, randomAlphanumeric } from '../../ids';
import { unixSeconds, unixSecondsOrNull, type KeyTimes } from '../../key-times';
import { OpenAiProjectsEmulator, type OpenAiProjectsSettings } from './projects';
import { redactOpenAiKey } from './wire';

/**
 * One emulated OpenAI organization: its admin keys and its projects. The
 * admin keys say which organization a request is for (OpenAI has no
 * organization id in these paths), so each organization is reached with
 * its own admin keys and sees only its own keys and projects.
 */
export interface StoredAdminKey {
  id: string;
  name: string | null;
  value: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

export interface NewEmulatedOpenAiOrganization {
  /** `org-...`; generated when omitted. */
  id?: string;
  name?: string;
  /** The admin key the organization starts with (listed like any other); generated when omitted. */
  adminKey?: string;
  /** Id of the project made with the organization; generated when omitted. */
  defaultProjectId?: string;
}

const OWNER = {
  type: 'user', object: 'organization.user', id: `${OPENAI.idPrefixes.user}emulator0owner`, name: 'Emulator Owner', created_at: 1_700_000_000, role: 'owner',
};

export const newAdminKeyValue = (): string => `${OPENAI.keyPrefixes.admin}${randomAlphanumeric(48)}`;

export class EmulatedOpenAiOrganization {
  readonly id: string;
  readonly name: string;
  readonly adminKeys = new CursorStore<StoredAdminKey>();
  readonly projects: OpenAiProjectsEmulator;
  /** The admin key the organization was made with: what a pipeline authenticates with. */
  readonly bootstrapAdminKey: string;

  /** `projectSettings` is shared by every organization of an emulator, so one switch changes them all. */
  constructor(options: NewEmulatedOpenAiOrganization, projectSettings: OpenAiProjectsSettings) {
    this.id = options.id ?? `${OPENAI.idPrefixes.organization}${randomAlphanumeric(24)}`;
    this.name = options.name ?? `Emulated organization ${this.id}`;
    this.projects = new OpenAiProjectsEmulator(projectSettings, options.defaultProjectId);
    this.bootstrapAdminKey = options.adminKey ?? newAdminKeyValue();
    // The key the pipeline authenticates with is itself an admin key of the organization, and is listed.
    this.adminKeys.add({
      id: `${OPENAI.idPrefixes.key}${randomAlphanumeric(16)}`, name: 'emulator bootstrap admin key', value: this.bootstrapAdminKey,
      created_at: nowSeconds(), expires_at: null, last_used_at: null,
    });
  }

  addAdminKey(name: string | null, expiresInSeconds?: number): StoredAdminKey {
    const created = nowSeconds();
    return this.adminKeys.add({
      id: `${OPENAI.idPrefixes.key}${randomAlphanumeric(16)}`, name, value: newAdminKeyValue(), created_at: created,
      expires_at: expiresInSeconds === undefined ? null : created + expiresInSeconds, last_used_at: null,
    });
  }

  /** Ages an admin key: its creation time, its last use (null: never used), its expiry (null: never). */
  setAdminKeyTimes(keyId: string, times: KeyTimes): StoredAdminKey {
    const key = this.adminKeys.get(keyId);
    if (!key) throw new Error(`organization ${this.id} has no admin key ${keyId}`);
    if (times.created !== undefined) key.created_at = unixSeconds(times.created);
    if (times.lastUsed !== undefined) key.last_used_at = unixSecondsOrNull(times.lastUsed);
    if (times.expires !== undefined) key.expires_at = unixSecondsOrNull(times.expires);
    return key;
  }

  /** The admin key with this value, if the organization holds it (expired or not). */
  adminKeyByValue(value: string): StoredAdminKey | undefined {
    return this.adminKeys.find((key) => key.value === value);
  }

  /** The key as the API shows it anywhere but the create answer: never its value. */
  present(key: StoredAdminKey): Record<string, unknown> {
    return {
      object: 'organization.admin_api_key', id: key.id, name: key.name, redacted_value: redactOpenAiKey(key.value),
      created_at: key.created_at, expires_at: key.expires_at, last_used_at: key.last_used_at, owner: OWNER,
    };
  }

  /** What the control API and the description show of the organization, with its admin key (a test credential). */
  describe(): { id: string; name: string; adminKey: string; defaultProjectId: string } {
    return { id: this.id, name: this.name, adminKey: this.bootstrapAdminKey, defaultProjectId: this.projects.defaultProjectId };
  }
}
