import { ATLAS } from '../../../core/facts/atlas';
import { EmulatorSpecError, type OrganizationFields } from '../../spec';
import type { AtlasEmulator } from './emulator';

type AtlasCredential = keyof typeof ATLAS.credentials;

/** A MongoDB Atlas organization the emulator is told to hold. */
export interface EmulatedAtlasOrganizationSpec {
  readonly vendor: typeof ATLAS.vendor;
  readonly name: string;
  /** 24 hex digits; a new id when omitted. */
  readonly organizationId?: string;
  /**
   * The variables its credentials go in: a programmatic key (public_key,
   * private_key) for digest auth, a service account (client_id,
   * client_secret) for OAuth, or both. Half a pair is completed with the
   * other half's default variable; with none, the programmatic key goes in
   * the default variables (src/core/facts/atlas.ts).
   */
  readonly credentialEnv?: { readonly [Credential in AtlasCredential]?: string };
}

export function atlasOrganizationSpec(fields: OrganizationFields): EmulatedAtlasOrganizationSpec {
  const id = fields.organizationId;
  if (id !== undefined && (typeof id !== 'string' || !ATLAS.patterns.id.test(id))) {
    throw new EmulatorSpecError(`${fields.name}: organization_id ${JSON.stringify(id)} is not an Atlas organization id (24 hexadecimal digits)`);
  }
  const credentialEnv = Object.fromEntries((Object.keys(ATLAS.credentials) as AtlasCredential[]).map((name) => [name, fields.credentialEnv?.[name]]));
  return { vendor: ATLAS.vendor, name: fields.name, organizationId: id, credentialEnv };
}

const PAIRS: readonly (readonly [AtlasCredential, AtlasCredential])[] = [['public_key', 'private_key'], ['client_id', 'client_secret']];

/** Each spec is the emulated organization of its id, made on first sight. */
export function provisionAtlasOrganization(emulator: AtlasEmulator, spec: EmulatedAtlasOrganizationSpec): Record<string, string> {
  const organization = (spec.organizationId !== undefined && emulator.organization(spec.organizationId)) || emulator.addOrganization(spec.name, spec.organizationId);
  const values: Record<AtlasCredential, string> = {
    public_key: organization.bootstrapKey.publicKey, private_key: organization.bootstrapKey.privateKey,
    client_id: organization.serviceAccount.clientId, client_secret: organization.serviceAccount.clientSecret,
  };
  const named = (credential: AtlasCredential) => spec.credentialEnv?.[credential] !== undefined;
  const pairs = PAIRS.filter((pair) => pair.some(named));
  const env: Record<string, string> = {};
  for (const credential of (pairs.length > 0 ? pairs : PAIRS.slice(0, 1)).flat()) {
    env[spec.credentialEnv?.[credential] ?? ATLAS.credentials[credential].defaultEnv] = values[credential];
  }
  return env;
}
