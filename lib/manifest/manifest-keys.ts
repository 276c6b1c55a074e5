import { Construct } from 'constructs';
import type { Manifest, ManifestOrganization } from './schema';
import { addOpenAiOrganization } from './vendors/openai';
import { addEdgeImpulseOrganization } from './vendors/edgeimpulse';
import { addAtlasOrganization } from './vendors/atlas';

export interface ManifestKeysProps {
  /** A validated manifest, e.g. from loadManifestFile(). */
  readonly manifest: Manifest;
}

function addOrganization(scope: Construct, org: ManifestOrganization): Construct {
  switch (org.vendor) {
    case 'openai':
      return addOpenAiOrganization(scope, org);
    case 'edgeimpulse':
      return addEdgeImpulseOrganization(scope, org);
    case 'atlas':
      return addAtlasOrganization(scope, org);
  }
}

/** Every organization of a manifest, as constructs, in any stack. */
export class ManifestKeys extends Construct {
  /** The organization constructs, by organization name. */
  readonly organizations: Readonly<Record<string, Construct>>;

  constructor(scope: Construct, id: string, props: ManifestKeysProps) {
    super(scope, id);
    this.organizations = Object.fromEntries(props.manifest.organizations.map((org) => [org.name, addOrganization(this, org)]));
  }
}
