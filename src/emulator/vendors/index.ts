import type { VendorName } from '../../core/facts';
import type { ConsoleEdit, EmulatedVendor, EmulatorFamily, ManifestOrganizationOf } from '../vendor';
import { ATLAS_EMULATOR } from './atlas';
import { EDGE_IMPULSE_EMULATOR } from './edgeimpulse';
import { OPENAI_EMULATOR } from './openai';

/**
 * The emulator's registry: every vendor family, one line each. The server
 * mounts each family under `emulator.<vendor>`, and manifest provisioning
 * hands each organization to its family. A family lives in its own folder.
 *
 * Every family holds any number of organizations, each reached only with
 * its own credentials and listing only its own keys. To make one without a
 * manifest (tests, benchmarks), in process or through the control API:
 * - OpenAI, keyed by admin key: `emulator.openai.addOrganization({ name?, adminKey?, defaultProjectId? })`
 *   gives `{ id, bootstrapAdminKey, adminKeys, projects }`; `organizationOf(adminKey)` finds it again;
 *   POST /_emulator/openai/organizations `{ name?, adminKey? }` answers `{ id, name, adminKey, defaultProjectId }`.
 * - Edge Impulse, by whole-number id: `emulator.edgeimpulse.addOrganization({ id?, name?, bootstrapApiKey? })`
 *   gives `{ id, bootstrapApiKey, keys }`; POST /_emulator/edgeimpulse/organizations `{ id?, name?, apiKey? }`.
 * - Atlas, by 24-hex id: `emulator.atlas.addOrganization(name, id?)` gives `{ id, bootstrapKey: { publicKey, privateKey },
 *   serviceAccount: { clientId, clientSecret } }` (digest or OAuth); POST /_emulator/atlas/orgs `{ name?, id? }`.
 * Listings page as the vendors do, with the page sizes of src/core/facts (Edge Impulse does not page).
 */
export const EMULATOR_FAMILIES = {
  openai: OPENAI_EMULATOR,
  edgeimpulse: EDGE_IMPULSE_EMULATOR,
  atlas: ATLAS_EMULATOR,
} as const satisfies { readonly [V in VendorName]: { readonly facts: { readonly vendor: V } } };

type Families = typeof EMULATOR_FAMILIES;
export type EmulatedVendorName = keyof Families;
/** Each family's emulator, by vendor name: `emulator.openai`, `emulator.atlas`, ... */
export type FamilyEmulators = { readonly [V in EmulatedVendorName]: ReturnType<Families[V]['create']> };
/** Each family's start-up options, by vendor name. */
export type FamilyOptions = { readonly [V in EmulatedVendorName]?: Parameters<Families[V]['create']>[0] };

/** A family seen without its own types, for the code that walks all of them. */
type AnyFamily = EmulatorFamily<string, { asVendor(): EmulatedVendor }, unknown>;
const families = Object.values(EMULATOR_FAMILIES) as readonly AnyFamily[];

export function createFamilyEmulators(options: FamilyOptions): FamilyEmulators {
  return Object.fromEntries(families.map((family) => [family.facts.vendor, family.create(options[family.facts.vendor as EmulatedVendorName])])) as FamilyEmulators;
}

export function familyList(): readonly AnyFamily[] {
  return families;
}

const familyOf = (organization: ManifestOrganizationOf<EmulatedVendorName>): AnyFamily => EMULATOR_FAMILIES[organization.vendor] as unknown as AnyFamily;

/** Hands a manifest organization to its family's provisioning; returns the credentials its deploy needs. */
export function provisionOrganization(emulators: FamilyEmulators, organization: ManifestOrganizationOf<EmulatedVendorName>): Record<string, string> {
  return familyOf(organization).provision(emulators[organization.vendor], organization as never);
}

/** The demo's console changes to a deployed organization, by its family (none when the family has none). */
export function consoleEdits(emulators: FamilyEmulators, organization: ManifestOrganizationOf<EmulatedVendorName>): ConsoleEdit[] {
  return familyOf(organization).consoleEdits?.(emulators[organization.vendor], organization as never) ?? [];
}
