import { OPENAI } from '../../../core/facts/openai';
import type { ManifestOrganizationOf } from '../../vendor';
import type { OpenAiEmulator } from './emulator';
import type { EmulatedOpenAiOrganization } from './organization';

/**
 * OpenAI paths name no organization: the admin key does. So each admin-key
 * variable a manifest names is one emulated organization; the first is the
 * emulator's default organization (the one `emulator.openai.adminKeys`
 * shows), each further one a new organization.
 */
const organizationsByEnv = new WeakMap<OpenAiEmulator, Map<string, EmulatedOpenAiOrganization>>();

const envNameOf = (org: ManifestOrganizationOf<'openai'>): string => org.adminKeyEnv ?? OPENAI.credentials.admin_key.defaultEnv;

/** The emulated organization a provisioned manifest organization was given. */
export function organizationFor(emulator: OpenAiEmulator, org: ManifestOrganizationOf<'openai'>): EmulatedOpenAiOrganization | undefined {
  return organizationsByEnv.get(emulator)?.get(envNameOf(org));
}

export function provisionOpenAiOrganization(emulator: OpenAiEmulator, org: ManifestOrganizationOf<'openai'>): Record<string, string> {
  const envName = envNameOf(org);
  let byEnv = organizationsByEnv.get(emulator);
  if (!byEnv) organizationsByEnv.set(emulator, (byEnv = new Map()));
  let organization = byEnv.get(envName);
  if (!organization) {
    organization = byEnv.size === 0 ? emulator.defaultOrganization : emulator.addOrganization({ name: org.name });
    byEnv.set(envName, organization);
  }
  for (const project of org.projects ?? []) {
    if (!organization.projects.projects.get(project.id)) organization.projects.createProject(`Project ${project.id}`, project.id);
  }
  return { [envName]: organization.bootstrapAdminKey };
}
