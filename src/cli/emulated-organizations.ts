import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from '../../lib/cdk';
import { ManifestKeys } from '../../lib/manifest/manifest-keys';
import type { Manifest } from '../../lib/manifest/schema';
import { ProjectError } from '../core/errors';
import { VENDOR_FACTS, type VendorFacts } from '../core/facts';
import { provisionOrganizations } from '../emulator/provision';
import type { VendorEmulator } from '../emulator/server';
import { EmulatorSpecError, type OrganizationFields } from '../emulator/spec';
import { organizationSpec, type EmulatedOrganizationSpec } from '../emulator/vendors';

/**
 * Which organizations a deploy reaches, read from a synthesized stack
 * (cdk.tf.json) the way the provider reads it: each `apikeys` provider
 * block's connections (the flat `<vendor>_*_env` attributes are the
 * default connection, `<vendor>_connection "<label>"` blocks the named
 * ones) name the variables that hold each organization's credentials, and
 * the resources and data sources that use a connection give its
 * organization_id and project_ids. A manifest is read the same way, from
 * the stack the library makes of it (ManifestKeys), so the emulator holds
 * exactly what a deploy of it reaches.
 */

type Attributes = Record<string, unknown>;

/** The parts of a synthesized stack that name organizations. */
export interface SynthesizedStackJson {
  provider?: { apikeys?: Attributes[] | Attributes };
  resource?: Record<string, Record<string, Attributes>>;
  data?: Record<string, Record<string, Attributes>>;
}

/** One connection of one provider block, and what the stack's resources say of it. */
interface Connection {
  readonly facts: VendorFacts;
  /** undefined: the vendor's default connection (the flat attributes). */
  readonly label: string | undefined;
  readonly alias: string | undefined;
  readonly credentialEnv: Record<string, string>;
  readonly organizationIds: Set<unknown>;
  readonly projectIds: Set<string>;
  used: boolean;
}

const connectionKey = (vendor: string, alias: string | undefined, label: string | undefined) => JSON.stringify([vendor, alias ?? null, label ?? null]);

/** A literal value of the configuration; undefined for an expression Terraform resolves later (`${...}`). */
const literal = (value: unknown): unknown => (typeof value === 'string' && value.includes('${') ? undefined : value);

/** The organizations one synthesized stack reaches; `where` names the stack in errors. */
export function organizationsOfStack(stack: SynthesizedStackJson, where: string): EmulatedOrganizationSpec[] {
  const connections = new Map<string, Connection>();
  const blocks = stack.provider?.apikeys;
  for (const block of Array.isArray(blocks) ? blocks : blocks ? [blocks] : []) {
    const alias = typeof block.alias === 'string' ? block.alias : undefined;
    for (const facts of VENDOR_FACTS) {
      connections.set(connectionKey(facts.vendor, alias, undefined), newConnection(facts, undefined, alias, (name) => block[`${facts.vendor}_${name}`]));
      for (const [label, settings] of labelledBlocks(block[`${facts.vendor}_connection`])) {
        connections.set(connectionKey(facts.vendor, alias, label), newConnection(facts, label, alias, (name) => settings[name]));
      }
    }
  }
  for (const [type, attributes] of users(stack)) {
    const facts = vendorOf(type, attributes);
    if (!facts) continue;
    const provider = typeof attributes.provider === 'string' ? attributes.provider : 'apikeys';
    const alias = provider.includes('.') ? provider.slice(provider.indexOf('.') + 1) : undefined;
    const label = typeof attributes.connection_name === 'string' ? attributes.connection_name : undefined;
    const connection = connections.get(connectionKey(facts.vendor, alias, label));
    if (!connection) continue; // a connection no provider block has: the plan reports it, not the emulator
    connection.used = true;
    const organizationId = literal(attributes.organization_id);
    if (organizationId !== undefined && organizationId !== null) connection.organizationIds.add(organizationId);
    const projectId = literal(attributes.project_id);
    if (typeof projectId === 'string') connection.projectIds.add(projectId);
  }
  return [...connections.values()]
    .filter((connection) => connection.label !== undefined || connection.used || Object.keys(connection.credentialEnv).length > 0)
    .map((connection) => toSpec(connection, where));
}

function newConnection(facts: VendorFacts, label: string | undefined, alias: string | undefined, setting: (name: string) => unknown): Connection {
  const credentialEnv: Record<string, string> = {};
  for (const credential of Object.keys(facts.credentials)) {
    const variable = literal(setting(`${credential}_env`));
    if (typeof variable === 'string' && variable !== '') credentialEnv[credential] = variable;
  }
  return { facts, label, alias, credentialEnv, organizationIds: new Set(), projectIds: new Set(), used: false };
}

/** `<vendor>_connection` as cdktf writes it: `{ "<label>": { ... } }` (or a list of such objects). */
function labelledBlocks(value: unknown): [string, Attributes][] {
  const objects = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  return objects.flatMap((object) => Object.entries(object as Record<string, Attributes>));
}

/** Every resource and data source of the stack, with its type. */
function users(stack: SynthesizedStackJson): [string, Attributes][] {
  return [stack.resource, stack.data].flatMap((section) => Object.entries(section ?? {}).flatMap(([type, instances]) => Object.values(instances).map((attributes): [string, Attributes] => [type, attributes])));
}

/** A resource's vendor by its type (apikeys_<vendor>_...), a data source's by its `family` (<vendor>_...). */
function vendorOf(type: string, attributes: Attributes): VendorFacts | undefined {
  const names = [type.replace(/^apikeys_/, ''), typeof attributes.family === 'string' ? attributes.family : ''];
  return VENDOR_FACTS.find((facts) => type.startsWith('apikeys_') && names.some((name) => name.startsWith(`${facts.vendor}_`)));
}

function toSpec(connection: Connection, where: string): EmulatedOrganizationSpec {
  const name = `${connection.label ?? `default ${connection.facts.vendor} connection`}${connection.alias === undefined ? '' : ` (provider apikeys.${connection.alias})`}`;
  const ids = [...connection.organizationIds];
  if (ids.length > 1) {
    throw new ProjectError(`${where}: the ${connection.facts.label} connection ${name} is used with organizations ${ids.join(' and ')}, but one credential reaches one organization`, {
      hint: 'Give each organization a connection of its own.',
    });
  }
  const fields: OrganizationFields = {
    vendor: connection.facts.vendor, name, organizationId: ids[0], projectIds: [...connection.projectIds], credentialEnv: connection.credentialEnv,
  };
  return asProjectError(() => organizationSpec(fields), where);
}

/** An EmulatorSpecError, as one clear message about the project. */
function asProjectError<T>(action: () => T, where: string): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof EmulatorSpecError) throw new ProjectError(`${where}: ${error.message}`);
    throw error;
  }
}

/** The organizations a deploy of this manifest reaches: the stack ManifestKeys makes of it, read as above. */
export function organizationsOfManifest(manifest: Manifest): EmulatedOrganizationSpec[] {
  // cdktf's App insists on an output directory even when nothing is written to it.
  const outdir = mkdtempSync(join(tmpdir(), 'apikeys-manifest-'));
  try {
    const stack = new TerraformStack(new App({ outdir }), 'manifest');
    new ManifestKeys(stack, 'keys', { manifest });
    return organizationsOfStack(stack.toTerraform() as SynthesizedStackJson, 'the manifest');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Makes the emulator hold these organizations; returns the environment a deploy needs (see provisionOrganizations). */
export function provisionEmulator(emulator: VendorEmulator, specs: readonly EmulatedOrganizationSpec[], where: string): Record<string, string> {
  return asProjectError(() => provisionOrganizations(emulator, specs), where);
}

/** Makes the emulator hold every organization and project a manifest names; returns the environment a deploy of it needs. */
export function provisionForManifest(emulator: VendorEmulator, manifest: Manifest): Record<string, string> {
  return provisionEmulator(emulator, organizationsOfManifest(manifest), 'the manifest');
}
