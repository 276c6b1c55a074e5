import { Construct } from 'constructs';
import { FAMILIES, type Family } from '../families';
import type { Manifest, ManifestOrganization } from './schema';

export interface ManifestKeysProps {
  /** A validated manifest, e.g. from loadManifestFile(). */
  readonly manifest: Manifest;
}

function addOrganization(scope: Construct, org: ManifestOrganization): Construct {
  // The schema's union admitted only the registry's vendors, and each organization matches its family's schema.
  const family = FAMILIES.find((candidate) => candidate.vendor === org.vendor) as Family;
  return (family.addOrganization as (scope: Construct, org: ManifestOrganization) => Construct)(scope, org);
}

/**
 * Every organization of a manifest, as constructs, in any stack. They share
 * the stack's default apikeys provider: one connection per organization.
 */
export class ManifestKeys extends Construct {
  /** The organization constructs, by organization name. */
  readonly organizations: Readonly<Record<string, Construct>>;

  constructor(scope: Construct, id: string, props: ManifestKeysProps) {
    super(scope, id);
    this.organizations = Object.fromEntries(props.manifest.organizations.map((org) => [org.name, addOrganization(this, org)]));
  }
}
