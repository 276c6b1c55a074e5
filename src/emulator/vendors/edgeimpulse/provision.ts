import { EDGE_IMPULSE } from '../../../core/facts/edgeimpulse';
import { EmulatorSpecError, type OrganizationFields } from '../../spec';
import type { EdgeImpulseEmulator } from './emulator';

/** An Edge Impulse organization the emulator is told to hold. */
export interface EmulatedEdgeImpulseOrganizationSpec {
  readonly vendor: typeof EDGE_IMPULSE.vendor;
  readonly name: string;
  /** A whole number; the next free id when omitted. */
  readonly organizationId?: number;
  /** The variable its admin API key goes in; default EI_API_KEY (src/core/facts/edgeimpulse.ts). */
  readonly credentialEnv?: { readonly api_key?: string };
}

export function edgeImpulseOrganizationSpec(fields: OrganizationFields): EmulatedEdgeImpulseOrganizationSpec {
  const id = fields.organizationId;
  if (id !== undefined && (!Number.isSafeInteger(id) || (id as number) < 1)) {
    throw new EmulatorSpecError(`${fields.name}: organization_id ${JSON.stringify(id)} is not an Edge Impulse organization id (a whole number)`);
  }
  return { vendor: EDGE_IMPULSE.vendor, name: fields.name, organizationId: id as number | undefined, credentialEnv: { api_key: fields.credentialEnv?.api_key } };
}

/** Each spec is the emulated organization of its id, made on first sight. */
export function provisionEdgeImpulseOrganization(emulator: EdgeImpulseEmulator, spec: EmulatedEdgeImpulseOrganizationSpec): Record<string, string> {
  const organization = (spec.organizationId !== undefined && emulator.organizations.get(spec.organizationId)) || emulator.addOrganization({ id: spec.organizationId, name: spec.name });
  return { [spec.credentialEnv?.api_key ?? EDGE_IMPULSE.credentials.api_key.defaultEnv]: organization.bootstrapApiKey };
}
