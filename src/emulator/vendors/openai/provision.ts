import { OPENAI } from '../../../core/facts/openai';
import { EmulatorSpecError, type OrganizationFields } from '../../spec';
import type { OpenAiEmulator } from './emulator';
import type { EmulatedOpenAiOrganization } from './organization';

/** An OpenAI organization the emulator is told to hold. */
export interface EmulatedOpenAiOrganizationSpec {
  readonly vendor: typeof OPENAI.vendor;
  readonly name: string;
  /** The variable its admin key goes in; default OPENAI_ADMIN_KEY (src/core/facts/openai.ts). */
  readonly credentialEnv?: { readonly admin_key?: string };
  /** Projects it holds, made on first sight. */
  readonly projectIds?: readonly string[];
}

/** OpenAI paths name no organization (the admin key does), so a spec has no organization id. */
export function openAiOrganizationSpec(fields: OrganizationFields): EmulatedOpenAiOrganizationSpec {
  return { vendor: OPENAI.vendor, name: fields.name, credentialEnv: { admin_key: fields.credentialEnv?.admin_key }, projectIds: fields.projectIds };
}

/**
 * Each admin-key variable is one emulated organization; the first is the
 * emulator's default organization (the one `emulator.openai.adminKeys`
 * shows), each further one a new organization.
 */
const organizationsByEnv = new WeakMap<OpenAiEmulator, Map<string, EmulatedOpenAiOrganization>>();

const envNameOf = (spec: EmulatedOpenAiOrganizationSpec): string => spec.credentialEnv?.admin_key ?? OPENAI.credentials.admin_key.defaultEnv;

/** The emulated organization a provisioned spec was given. */
export function organizationFor(emulator: OpenAiEmulator, spec: EmulatedOpenAiOrganizationSpec): EmulatedOpenAiOrganization | undefined {
  return organizationsByEnv.get(emulator)?.get(envNameOf(spec));
}

export function provisionOpenAiOrganization(emulator: OpenAiEmulator, spec: EmulatedOpenAiOrganizationSpec): Record<string, string> {
  const envName = envNameOf(spec);
  let byEnv = organizationsByEnv.get(emulator);
  if (!byEnv) organizationsByEnv.set(emulator, (byEnv = new Map()));
  let organization = byEnv.get(envName);
  if (!organization) {
    organization = byEnv.size === 0 ? emulator.defaultOrganization : emulator.addOrganization({ name: spec.name });
    byEnv.set(envName, organization);
  }
  for (const projectId of spec.projectIds ?? []) {
    if (!OPENAI.patterns.projectId.test(projectId)) throw new EmulatorSpecError(`${spec.name}: project id "${projectId}" is not an OpenAI project id such as proj_abc123`);
    if (!organization.projects.projects.get(projectId)) organization.projects.createProject(`Project ${projectId}`, projectId);
  }
  return { [envName]: organization.bootstrapAdminKey };
}
