import { Construct } from 'constructs';
import { Annotations, TerraformElement } from '../cdk';
import { FAMILIES, type Family } from '../families';
import { formatIssue, manifestSource } from './loader';
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
 * Where the synthesized stack notes which manifest file it was built from
 * (`"//": { "metadata": { "apikeys": { "manifests": { <construct path>: <file> } } } }`,
 * a comment to Terraform), so `apikeys drift --manifest FILE` can tell an app
 * that never read FILE.
 */
export const MANIFESTS_METADATA_KEY = 'apikeys';

class ManifestFileRecord extends TerraformElement {
  constructor(scope: Construct, id: string, private readonly file: string) {
    super(scope, id);
  }

  override toMetadata(): Record<string, unknown> {
    return { [MANIFESTS_METADATA_KEY]: { manifests: { [this.node.path]: this.file } } };
  }
}

/**
 * Every organization of a manifest, as constructs, in any stack. They share
 * the stack's default apikeys provider: one connection per organization.
 * The loader's warnings (deprecated fields, with file:line) become warnings
 * of this construct, which `cdktf synth` and `apikeys drift` print.
 */
export class ManifestKeys extends Construct {
  /** The organization constructs, by organization name. */
  readonly organizations: Readonly<Record<string, Construct>>;

  constructor(scope: Construct, id: string, props: ManifestKeysProps) {
    super(scope, id);
    const source = manifestSource(props.manifest);
    for (const warning of source?.warnings ?? []) Annotations.of(this).addWarning(formatIssue(warning).trim());
    if (source?.file !== undefined) new ManifestFileRecord(this, 'manifest file', source.file) // a space: no organization can be named so;
    this.organizations = Object.fromEntries(props.manifest.organizations.map((org) => [org.name, addOrganization(this, org)]));
  }
}
