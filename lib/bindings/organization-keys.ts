import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiKeysDataSource, type SynthAttribute } from './attributes';

export type KeyFamily = 'openai_admin_key' | 'openai_project_key' | 'edgeimpulse_organization_key' | 'atlas_organization_key';

export interface DataApikeysOrganizationKeysConfig extends TerraformMetaArguments {
  /** Which key family to list. */
  readonly family: KeyFamily;
  /** The organization, for Edge Impulse and Atlas. @default - none (OpenAI organizations are implied by the admin key) */
  readonly organizationId?: string;
  /** The project, for openai_project_key. @default - none */
  readonly projectId?: string;
  /** Names of declared keys, plus names expected unmanaged; enables `unmanagedIds`. @default - none */
  readonly managedNames?: string[];
  /** Ids of managed keys (defers the read to apply while a declared key awaits creation). @default - none */
  readonly managedIds?: string[];
}

/** Every key of one organization, redacted (data source `apikeys_organization_keys`). */
export class DataApikeysOrganizationKeys extends ApiKeysDataSource {
  static readonly tfResourceType = 'apikeys_organization_keys';
  private readonly config: DataApikeysOrganizationKeysConfig;

  constructor(scope: Construct, id: string, config: DataApikeysOrganizationKeysConfig) {
    super(scope, id, DataApikeysOrganizationKeys.tfResourceType, config);
    this.config = config;
  }

  protected arguments(): SynthAttribute[] {
    const c = this.config;
    return [
      { name: 'family', value: c.family, storage: 'string' },
      { name: 'organization_id', value: c.organizationId, storage: 'string' },
      { name: 'project_id', value: c.projectId, storage: 'string' },
      { name: 'managed_names', value: c.managedNames, storage: 'stringList' },
      { name: 'managed_ids', value: c.managedIds, storage: 'stringList' },
    ];
  }

  /** Ids of keys matched by neither managed names nor managed ids (a Terraform list reference). */
  get unmanagedIds(): string[] {
    return this.getListAttribute('unmanaged_ids');
  }

  /** The `keys` list, as a reference for interpolation (e.g. in outputs). */
  get keys(): unknown {
    return this.interpolationForAttribute('keys');
  }
}
