/**
 * The manifest path: the bench's keys written as a key manifest (YAML), loaded
 * and synthesized by the library the way a user's CDKTF app does it, so the
 * stack Terraform plans has everything a pipeline's has: the stack's one
 * provider with a connection per organization, the undeclared-key listings
 * and their check blocks, and the secret outputs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';
import { parseManifest } from '../lib/manifest/loader';
import { ManifestKeys } from '../lib/manifest/manifest-keys';
import { ATLAS } from '../src/core/facts/atlas';
import { EDGE_IMPULSE } from '../src/core/facts/edgeimpulse';
import { OPENAI } from '../src/core/facts/openai';
import type { OrganizationConnection, PlacedKey } from './layout';

/** The keys each emulated organization starts with, which the pipeline authenticates with: expected, so ignored. */
const BOOTSTRAP_KEYS: Record<OrganizationConnection['vendor'], string> = {
  openai: 'emulator bootstrap admin key',
  edgeimpulse: 'emulator bootstrap admin key',
  atlas: 'emulator bootstrap key',
};

const STACK = 'bench';

/** What the manifest may choose that the bench compares; anything else is the manifest's default. */
export interface ManifestChoices {
  /** Every organization's `outputs`. @default - the manifest's default */
  readonly outputs?: string;
}

const namesIn = (keys: PlacedKey[], organization: OrganizationConnection, family: PlacedKey['family']) =>
  keys.filter((key) => key.organization === organization && key.family === family).map((key) => key.name);

/** One organization of the manifest, holding the keys placed in it. */
function manifestOrganization(organization: OrganizationConnection, keys: PlacedKey[], choices: ManifestChoices): Record<string, unknown> {
  const common = { name: organization.label, vendor: organization.vendor, ignoreUndeclared: [BOOTSTRAP_KEYS[organization.vendor]], ...choices };
  const { settings } = organization;
  switch (organization.vendor) {
    case 'openai':
      return {
        ...common, adminKeyEnv: settings.admin_key_env,
        adminKeys: namesIn(keys, organization, 'apikeys_openai_admin_key').map((name) => ({ name })),
        projects: [{ id: organization.organizationId, keys: namesIn(keys, organization, 'apikeys_openai_project_key').map((name) => ({ name })) }],
      };
    case 'edgeimpulse':
      return {
        ...common, organizationId: Number(organization.organizationId), apiKeyEnv: settings.api_key_env,
        keys: namesIn(keys, organization, 'apikeys_edgeimpulse_organization_key').map((name) => ({ name, role: 'member' })),
      };
    case 'atlas':
      return {
        ...common, organizationId: organization.organizationId, auth: { publicKeyEnv: settings.public_key_env, privateKeyEnv: settings.private_key_env },
        keys: namesIn(keys, organization, 'apikeys_atlas_organization_key').map((name) => ({ name, roles: ['ORG_READ_ONLY'] })),
      };
  }
}

/** The manifest (YAML) that declares `keys` in `organizations`. */
export function manifestYaml(keys: PlacedKey[], organizations: OrganizationConnection[], choices: ManifestChoices = {}): string {
  return stringify({ version: 1, organizations: organizations.map((organization) => manifestOrganization(organization, keys, choices)) });
}

/**
 * The stack's Terraform JSON (cdk.tf.json) as `cdktf synth` writes it for an
 * app that loads this manifest, with its state in `terraform.tfstate` of the
 * directory Terraform runs in.
 */
export function synthesizeManifest(yaml: string): string {
  const outdir = mkdtempSync(join(tmpdir(), 'apikeys-bench-synth-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, STACK);
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    new ManifestKeys(stack, 'keys', { manifest: parseManifest(yaml, 'bench.yaml') });
    app.synth();
    return readFileSync(join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Base URLs come from the operator's environment, never from a manifest: every organization of a vendor is on one emulator. */
export function baseUrlEnv(organizations: OrganizationConnection[]): Record<string, string> {
  const variable = { openai: OPENAI.baseUrlEnv, edgeimpulse: EDGE_IMPULSE.baseUrlEnv, atlas: ATLAS.baseUrlEnv };
  return Object.fromEntries(organizations.map((organization) => [variable[organization.vendor], organization.baseUrl]));
}
