import { TerraformDataSource, TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { literalValue } from './literal-strings';
import { guardUniqueAddresses } from './unique-addresses';

/**
 * Hand-written bindings, so users never run `cdktf get`. One table of
 * attributes per resource feeds both synthesis formats cdktf supports (JSON
 * and HCL), so they cannot drift apart.
 */
export type StorageClass = 'string' | 'number' | 'bool' | 'stringList' | 'stringMap';

export interface SynthAttribute {
  readonly name: string;
  readonly value: unknown;
  readonly storage: StorageClass;
}

const HCL_TYPES: Record<StorageClass, { type: string; storageClassType: string }> = {
  string: { type: 'simple', storageClassType: 'string' },
  number: { type: 'simple', storageClassType: 'number' },
  bool: { type: 'simple', storageClassType: 'boolean' },
  stringList: { type: 'set', storageClassType: 'stringList' },
  stringMap: { type: 'map', storageClassType: 'stringMap' },
};

export const PROVIDER_NAME = 'apikeys';
export const PROVIDER_SOURCE = 'cdktf-apikeys/apikeys';
// Kept equal to package.json's version by test/lib/bindings.test.ts: the bindings pin the provider they ship with.
export const PROVIDER_VERSION = '0.1.0';

export const GENERATOR_METADATA = { providerName: PROVIDER_NAME, providerVersion: PROVIDER_VERSION, providerVersionConstraint: PROVIDER_VERSION };

/**
 * Both synthesis formats write every string as a literal (see literal-strings.ts):
 * a name such as `x-${file("/etc/passwd")}` reaches the vendor as written, never evaluated.
 */
export function toJsonAttributes(attributes: readonly SynthAttribute[]): Record<string, unknown> {
  return Object.fromEntries(attributes.filter((attribute) => attribute.value !== undefined).map((attribute) => [attribute.name, literalValue(attribute.value)]));
}

export function toHclAttributes(attributes: readonly SynthAttribute[]): Record<string, unknown> {
  return Object.fromEntries(attributes.filter((attribute) => attribute.value !== undefined).map((attribute) => [
    attribute.name, { value: literalValue(attribute.value), isBlock: false, ...HCL_TYPES[attribute.storage] },
  ]));
}

/** Base of every apikeys resource binding. */
export abstract class ApiKeysResource extends TerraformResource {
  protected constructor(scope: Construct, id: string, terraformResourceType: string, meta: TerraformMetaArguments) {
    super(scope, id, { terraformResourceType, terraformGeneratorMetadata: GENERATOR_METADATA, ...meta });
    guardUniqueAddresses(this);
  }

  /** The resource's arguments, in one table for both synthesis formats. */
  protected abstract arguments(): SynthAttribute[];

  protected override synthesizeAttributes(): Record<string, unknown> {
    return toJsonAttributes(this.arguments());
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return toHclAttributes(this.arguments());
  }

  /** The key's id at the vendor (every apikeys resource's `id`). */
  get keyId(): string {
    return this.getStringAttribute('id');
  }

  /**
   * The one-time secret: sensitive, and set only for keys Terraform created
   * (null for imported keys, and for Edge Impulse keys made from a caller-supplied value).
   */
  get secret(): string {
    return this.getStringAttribute('secret');
  }
}

/** Base of every apikeys data source binding. */
export abstract class ApiKeysDataSource extends TerraformDataSource {
  protected constructor(scope: Construct, id: string, terraformResourceType: string, meta: TerraformMetaArguments) {
    super(scope, id, { terraformResourceType, terraformGeneratorMetadata: GENERATOR_METADATA, ...meta });
    guardUniqueAddresses(this);
  }

  protected abstract arguments(): SynthAttribute[];

  protected override synthesizeAttributes(): Record<string, unknown> {
    return toJsonAttributes(this.arguments());
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return toHclAttributes(this.arguments());
  }
}
