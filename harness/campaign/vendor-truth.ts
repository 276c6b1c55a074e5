/**
 * The vendor's truth for the campaign, read through the emulator's control
 * API (what the vendor's dashboard would show), and secret checks against
 * the emulator's vendor API (a secret must authenticate) or the vendor's
 * redacted form where a key cannot authenticate to the key API.
 */
import { request } from 'undici';
import type { Family, VendorKey } from './audit';

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const answer = await request(url, { headers });
  const text = await answer.body.text();
  return { status: answer.statusCode, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

interface ControlAdminKey { id: string; name: string | null; redacted_value: string }
interface ControlProject {
  id: string;
  api_keys: { id: string; name: string; redacted_value: string; owner: { type: string; service_account?: { id: string; name: string } } }[];
}
interface ControlEdgeImpulseKey { id: number; name: string; apiKey: string }
interface ControlAtlasOrg { id: string; apiKeys: { id: string; desc: string; privateKey: string }[] }

/** Every live key of the four families, in every organization and project the emulator has. */
export async function readVendorKeys(emulatorUrl: string, edgeImpulseOrganizations: readonly number[]): Promise<VendorKey[]> {
  const control = `${emulatorUrl}/_emulator`;
  const keys: VendorKey[] = [];
  const admin = await getJson<ControlAdminKey[]>(`${control}/openai/admin_api_keys`);
  for (const key of admin.body) keys.push({ family: 'openai_admin', scope: 'org', name: key.name ?? '', id: key.id, redacted: key.redacted_value });
  const projects = await getJson<ControlProject[]>(`${control}/openai/projects`);
  for (const project of projects.body) {
    for (const key of project.api_keys) {
      const name = key.owner.type === 'service_account' ? key.owner.service_account!.name : key.name;
      keys.push({ family: 'openai_project', scope: project.id, name, id: key.id, redacted: key.redacted_value });
    }
  }
  for (const organization of edgeImpulseOrganizations) {
    const listed = await getJson<ControlEdgeImpulseKey[]>(`${control}/edgeimpulse/organizations/${organization}/apikeys`);
    for (const key of listed.body) keys.push({ family: 'edgeimpulse', scope: String(organization), name: key.name, id: String(key.id), redacted: key.apiKey });
  }
  const atlas = await getJson<ControlAtlasOrg[]>(`${control}/atlas/orgs`);
  for (const org of atlas.body) {
    for (const key of org.apiKeys) keys.push({ family: 'atlas', scope: org.id, name: key.desc, id: key.id, redacted: key.privateKey });
  }
  return keys;
}

/**
 * Dates a live key's creation back to `createdAtMs` through the emulator's control routes (docs/emulator.md,
 * "Aging keys"), so that its rotation is due without waiting. OpenAI (admin and project keys) and Edge Impulse only:
 * an Atlas key's creation time is its ObjectId, so it cannot be re-dated.
 */
export async function ageKey(emulatorUrl: string, key: VendorKey, createdAtMs: number): Promise<void> {
  const control = `${emulatorUrl}/_emulator`;
  const seconds = Math.floor(createdAtMs / 1000);
  const [path, body] = {
    openai_admin: () => [`${control}/openai/admin_api_keys/${key.id}`, { created_at: seconds }],
    openai_project: () => [`${control}/openai/projects/${key.scope}/api_keys/${key.id}`, { created_at: seconds }],
    edgeimpulse: () => [`${control}/edgeimpulse/organizations/${key.scope}/apikeys/${key.id}`, { created: new Date(seconds * 1000).toISOString() }],
    atlas: () => {
      throw new Error(`an Atlas key's creation time is its ObjectId: ${key.id} cannot be aged`);
    },
  }[key.family]() as [string, object];
  const answer = await request(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await answer.body.text();
  if (answer.statusCode !== 200) throw new Error(`aging ${key.family} key ${key.id} answered ${answer.statusCode}: ${text.slice(0, 200)}`);
}

/** When an Atlas key was created: the first 8 hex digits of its ObjectId are the time in seconds. */
export const atlasCreatedAtMs = (id: string): number => parseInt(id.slice(0, 8), 16) * 1000;

/** OpenAI's mask: the first 8 characters, "...", the last 3 (as the vendor shows redacted_value). */
const openAiMask = (value: string) => `${value.slice(0, 8)}...${value.slice(-3)}`;
/** Atlas's mask: ********-****-****- and the private key's last 12 digits. */
const atlasMask = (value: string) => `********-****-****-${value.slice(-12)}`;

/**
 * Whether `secret` is the live key's secret:
 * - OpenAI admin keys and Edge Impulse keys must authenticate against the
 *   emulator's vendor API and match the live key's redacted form (so a secret
 *   of another key of the same organization does not pass);
 * - OpenAI project keys and Atlas private keys cannot call the key APIs, so they
 *   must match the vendor's redacted form.
 */
export async function secretAuthenticates(emulatorUrl: string, key: VendorKey, secret: string): Promise<boolean> {
  switch (key.family) {
    case 'openai_admin': {
      const answer = await getJson<unknown>(`${emulatorUrl}/openai/v1/organization/admin_api_keys/${key.id}`, { authorization: `Bearer ${secret}` });
      return answer.status === 200 && key.redacted === openAiMask(secret);
    }
    case 'edgeimpulse': {
      const answer = await getJson<{ success?: boolean }>(`${emulatorUrl}/edgeimpulse/v1/api/organizations/${key.scope}/apikeys`, { 'x-api-key': secret });
      // Authenticated, and the listing's mask of this key is a prefix of the secret.
      const prefix = (key.redacted ?? '').replace(/….*$/, '');
      return answer.status === 200 && answer.body?.success === true && prefix.length > 0 && secret.startsWith(prefix);
    }
    case 'openai_project':
      return key.redacted === openAiMask(secret);
    case 'atlas':
      return key.redacted === atlasMask(secret);
  }
}

export const FAMILY_RESOURCE: Record<Family, string> = {
  openai_admin: 'apikeys_openai_admin_key',
  openai_project: 'apikeys_openai_project_key',
  edgeimpulse: 'apikeys_edgeimpulse_organization_key',
  atlas: 'apikeys_atlas_organization_key',
};
