import type { VendorName } from '../../core/facts';
import type { ControlRoute } from '../http';
import { EmulatorSpecError, type OrganizationFields } from '../spec';
import type { ConsoleEdit, EmulatedVendor, EmulatorFamily } from '../vendor';
import { ATLAS_EMULATOR } from './atlas';
import { EDGE_IMPULSE_EMULATOR } from './edgeimpulse';
import { OPENAI_EMULATOR } from './openai';

/**
 * The emulator's registry: every vendor family, one line each. The server
 * mounts each family under `emulator.<vendor>`, and provisioning hands each
 * organization spec to its family. A family lives in its own folder.
 *
 * Every family holds any number of organizations, each reached only with
 * its own credentials and listing only its own keys. To make one without a
 * spec (tests, benchmarks), in process or through the control API:
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
/** What the emulator is told to hold: one organization of one vendor, in that family's terms (./<vendor>/provision.ts). */
export type EmulatedOrganizationSpec = { [V in EmulatedVendorName]: ReturnType<Families[V]['spec']> }[EmulatedVendorName];

/** A family seen without its own types, for the code that walks all of them. */
type AnyFamily = EmulatorFamily<string, { asVendor(): EmulatedVendor }, unknown, { readonly vendor: string }>;
const families = Object.values(EMULATOR_FAMILIES) as readonly AnyFamily[];

export function createFamilyEmulators(options: FamilyOptions): FamilyEmulators {
  return Object.fromEntries(families.map((family) => [family.facts.vendor, family.create(options[family.facts.vendor as EmulatedVendorName])])) as FamilyEmulators;
}

export function familyList(): readonly AnyFamily[] {
  return families;
}

const familyOf = (vendor: string): AnyFamily | undefined => (Object.hasOwn(EMULATOR_FAMILIES, vendor) ? EMULATOR_FAMILIES[vendor as EmulatedVendorName] as unknown as AnyFamily : undefined);
const emulatorOf = (emulators: FamilyEmulators, vendor: string) => emulators[vendor as EmulatedVendorName];

/** Each family's API, and its control routes (under /_emulator/<vendor>/). */
export function emulatedVendors(emulators: FamilyEmulators): { vendor: EmulatedVendor; controlRoutes: ControlRoute[] }[] {
  return families.map((family) => {
    const emulator = emulatorOf(emulators, family.facts.vendor);
    return { vendor: emulator.asVendor(), controlRoutes: family.controlRoutes(emulator) };
  });
}

/** The family's spec for these fields, checked; an EmulatorSpecError names what is wrong. */
export function organizationSpec(fields: OrganizationFields): EmulatedOrganizationSpec {
  const family = familyOf(fields.vendor);
  if (!family) throw new EmulatorSpecError(`${fields.name}: the emulator has no vendor "${fields.vendor}" (it has ${Object.keys(EMULATOR_FAMILIES).join(', ')})`);
  return family.spec(fields) as EmulatedOrganizationSpec;
}

/** Hands a spec to its family's provisioning; returns the credentials its deploy needs. */
export function provisionOrganization(emulators: FamilyEmulators, spec: EmulatedOrganizationSpec): Record<string, string> {
  return familyOf(spec.vendor)!.provision(emulatorOf(emulators, spec.vendor), spec);
}

/** The demo's console changes to a deployed organization, by its family (none when the family has none). */
export function consoleEdits(emulators: FamilyEmulators, spec: EmulatedOrganizationSpec): ConsoleEdit[] {
  return familyOf(spec.vendor)!.consoleEdits?.(emulatorOf(emulators, spec.vendor), spec) ?? [];
}
