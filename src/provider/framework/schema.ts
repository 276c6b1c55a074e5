import { objectOf, type CtyType } from '../cty/types';
import type { CtyValue } from '../cty/value';

/** Returns a sentence that says what is wrong and how to fix it, or undefined when the value is fine. */
export type Validator = (value: CtyValue) => string | undefined;

export interface AttributeSchema {
  readonly type: CtyType;
  /** Markdown shown in docs and by language servers. */
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** Terraform 1.11 write-only: sent in config, never stored in plan or state. */
  readonly writeOnly?: boolean;
  /** A change cannot be made in place, so Terraform replaces the resource. */
  readonly requiresReplace?: boolean;
  /** Checks on known, non-null values, run at validate time before any vendor call. */
  readonly validators?: readonly Validator[];
}

export interface Schema {
  /** State schema version, for UpgradeResourceState. */
  readonly version: number;
  readonly description: string;
  readonly attributes: { readonly [name: string]: AttributeSchema };
}

export const schemaType = (schema: Schema): CtyType =>
  objectOf(Object.fromEntries(Object.entries(schema.attributes).map(([name, attribute]) => [name, attribute.type])));

/** Attributes the configuration can set (as opposed to computed-only ones). */
export const isConfigurable = (attribute: AttributeSchema): boolean => Boolean(attribute.required || attribute.optional);

export const isComputedOnly = (attribute: AttributeSchema): boolean => Boolean(attribute.computed) && !isConfigurable(attribute);
