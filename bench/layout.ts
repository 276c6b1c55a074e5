/**
 * The benchmark's key layout and the Terraform JSON (*.tf.json) that declares it.
 * Written by hand rather than synthesized by cdktf: the bench measures
 * Terraform and the provider, and skipping synthesis keeps it fast.
 *
 * `keys` are split evenly over the 4 families; each org-scoped family spreads
 * its share round-robin over `organizations` organizations of its vendor, and
 * OpenAI project keys over one project in each OpenAI organization.
 */

/** One organization the bench provisions and connects to, as its vendor's emulator serves it. */
export interface OrganizationConnection {
  vendor: 'openai' | 'edgeimpulse' | 'atlas';
  /** Connection label, or provider alias: `<vendor>_<index>`. */
  label: string;
  baseUrl: string;
  /** Organization id at the vendor (OpenAI: the project the project keys go to). */
  organizationId: string;
  /** Provider-block settings of this organization's credentials and base URL, by block attribute name (`admin_key_env`, `base_url`...). */
  settings: Record<string, string>;
}

export type ConfigurationStyle = 'connections' | 'aliases';

export const FAMILIES = ['apikeys_openai_admin_key', 'apikeys_openai_project_key', 'apikeys_edgeimpulse_organization_key', 'apikeys_atlas_organization_key'] as const;
export type Family = typeof FAMILIES[number];

/** Which vendor's organizations each family spreads over. */
const FAMILY_VENDOR: Record<Family, OrganizationConnection['vendor']> = {
  apikeys_openai_admin_key: 'openai',
  apikeys_openai_project_key: 'openai',
  apikeys_edgeimpulse_organization_key: 'edgeimpulse',
  apikeys_atlas_organization_key: 'atlas',
};

export interface PlacedKey {
  family: Family;
  name: string;
  organization: OrganizationConnection;
}

/** Spreads `keys` over the families, then each family's share over its vendor's organizations. */
export function placeKeys(keys: number, organizations: OrganizationConnection[]): PlacedKey[] {
  const placed: PlacedKey[] = [];
  FAMILIES.forEach((family, familyIndex) => {
    const share = Math.floor(keys / FAMILIES.length) + (familyIndex < keys % FAMILIES.length ? 1 : 0);
    const orgs = organizations.filter((org) => org.vendor === FAMILY_VENDOR[family]);
    if (orgs.length === 0) throw new Error(`no ${FAMILY_VENDOR[family]} organization to place ${family} keys in`);
    for (let index = 0; index < share; index++) {
      placed.push({ family, name: `bench-${family.replace('apikeys_', '').replace(/_/g, '-')}-${index}`, organization: orgs[index % orgs.length] });
    }
  });
  return placed;
}

/** The resource arguments of one key (everything but how it reaches its organization). */
function keyArguments(key: PlacedKey): Record<string, unknown> {
  switch (key.family) {
    case 'apikeys_openai_admin_key': return { name: key.name };
    case 'apikeys_openai_project_key': return { project_id: key.organization.organizationId, name: key.name };
    case 'apikeys_edgeimpulse_organization_key': return { organization_id: Number(key.organization.organizationId), name: key.name, role: 'member' };
    case 'apikeys_atlas_organization_key': return { organization_id: key.organization.organizationId, description: key.name, roles: ['ORG_READ_ONLY'] };
  }
}

const REQUIRED_PROVIDERS = { apikeys: { source: 'cdktf-apikeys/apikeys', version: '0.1.0' } };

/**
 * "connections": ONE provider block with a `<vendor>_connection "<label>"` block per organization,
 * and `connection_name = "<label>"` on each resource. "aliases": one aliased provider block per
 * organization (flat `<vendor>_<setting>` attributes), and `provider = apikeys.<label>`.
 */
export function terraformJson(style: ConfigurationStyle, keys: PlacedKey[], organizations: OrganizationConnection[]): Record<string, unknown> {
  const provider = style === 'connections' ? [connectionsProviderBlock(organizations)] : organizations.map(aliasedProviderBlock);
  const resource: Record<string, Record<string, unknown>> = {};
  keys.forEach((key, index) => {
    const reach = style === 'connections' ? { connection_name: key.organization.label } : { provider: `apikeys.${key.organization.label}` };
    (resource[key.family] ??= {})[`k${index}`] = { ...keyArguments(key), ...reach };
  });
  return { terraform: { required_providers: REQUIRED_PROVIDERS }, provider: { apikeys: provider }, resource };
}

function connectionsProviderBlock(organizations: OrganizationConnection[]): Record<string, unknown> {
  const block: Record<string, Record<string, Record<string, string>>> = {};
  for (const org of organizations) (block[`${org.vendor}_connection`] ??= {})[org.label] = org.settings;
  return block;
}

/** The flat default-connection attributes keep the block's names behind a vendor prefix (atlas_api_version is already prefixed). */
function aliasedProviderBlock(org: OrganizationConnection): Record<string, unknown> {
  return {
    alias: org.label,
    ...Object.fromEntries(Object.entries(org.settings).map(([name, value]) => [name.startsWith(`${org.vendor}_`) ? name : `${org.vendor}_${name}`, value])),
  };
}

/** The baseline: as many terraform_data resources, no provider process at all. */
export function terraformDataJson(count: number): Record<string, unknown> {
  const resources = Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, { input: `bench-${index}` }]));
  return { resource: { terraform_data: resources } };
}
