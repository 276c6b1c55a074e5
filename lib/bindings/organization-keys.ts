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
  /** Ids of the keys resources track (`resource.keyId`); unknown ids defer the read to apply. @default - none */
  readonly managedIds?: string[];
  /** Address of each declared key resource → its name at the vendor, to report possible orphans. Needs managedIds. @default - none */
  readonly declaredKeys?: Record<string, string>;
  /** Ids or names of keys expected to exist unmanaged. @default - none */
  readonly ignore?: string[];
  /** @deprecated use `ignore`, which takes ids or names. @default - none */
  readonly managedNames?: string[];
  /** How `messages` name this listing, e.g. "Atlas organization acme". @default - the family and its scope */
  readonly label?: string;
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
      { name: 'managed_ids', value: c.managedIds, storage: 'stringList' },
      { name: 'declared_keys', value: c.declaredKeys, storage: 'stringMap' },
      { name: 'ignore', value: c.ignore, storage: 'stringList' },
      { name: 'managed_names', value: c.managedNames, storage: 'stringList' },
      { name: 'label', value: c.label, storage: 'string' },
    ];
  }

  /** Ids of keys no managed id tracks and `ignore` does not list (a Terraform list reference). */
  get unmanagedIds(): string[] {
    return this.getListAttribute('unmanaged_ids');
  }

  /** One sentence per finding, naming each key by id and name; empty when all is well (a Terraform list reference). */
  get messages(): string[] {
    return this.getListAttribute('messages');
  }

  /** The `unmanaged_keys` list (id, name, import_id, declared_as), as a reference for interpolation. */
  get unmanagedKeys(): unknown {
    return this.interpolationForAttribute('unmanaged_keys');
  }

  /** The `keys` list, as a reference for interpolation (e.g. in outputs). */
  get keys(): unknown {
    return this.interpolationForAttribute('keys');
  }
}
