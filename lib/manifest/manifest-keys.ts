import { Construct } from 'constructs';
import { OpenAiOrganization } from '../constructs/openai-organization';
import type { Manifest } from './schema';

export interface ManifestKeysProps {
  /** A validated manifest, e.g. from loadManifestFile(). */
  readonly manifest: Manifest;
}

/** Every organization of a manifest, as constructs, in any stack. */
export class ManifestKeys extends Construct {
  /** The organization constructs, by organization name. */
  readonly organizations: Readonly<Record<string, Construct>>;

  constructor(scope: Construct, id: string, props: ManifestKeysProps) {
    super(scope, id);
    const organizations: Record<string, Construct> = {};
    for (const org of props.manifest.organizations) {
      switch (org.vendor) {
        case 'openai':
          organizations[org.name] = new OpenAiOrganization(this, org.name, {
            adminKeyEnv: org.adminKeyEnv, baseUrl: org.baseUrl, adminKeys: org.adminKeys,
          });
          break;
      }
    }
    this.organizations = organizations;
  }
}
