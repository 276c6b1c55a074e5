import { mapOf, objectOf, type CtyType } from '../cty/types';
import type { CtyValue } from '../cty/value';
import type { Rule } from '../../core/rules';

/** A rule (src/core/rules): the rest of a sentence that says what is wrong, or undefined when the value is fine. */
export type Validator = Rule;

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
  /**
   * The attribute says where the provider finds the instance (a named
   * connection), not what it is. A change replaces the instance unless the
   * instance is found where the new value points (the same organization under
   * another label, or state written before the attribute existed); then the
   * change is recorded in place, with no vendor call.
   */
  readonly relocates?: boolean;
  /** Checks on known, non-null values, run at validate time before any vendor call. */
  readonly validators?: readonly Validator[];
}

/**
 * Labelled nested blocks (protocol NestingMode MAP), e.g.
 * `openai_connection "acme" { admin_key_env = "ACME_OPENAI_ADMIN_KEY" }`.
 * The value is a map from label to an object of the block's attributes
 * (absent ones null); no blocks is an empty map.
 */
export interface NestedBlockSchema {
  readonly nesting: 'map';
  readonly description: string;
  readonly attributes: { readonly [name: string]: AttributeSchema };
}

export interface Schema {
  /** State schema version, for UpgradeResourceState. */
  readonly version: number;
  readonly description: string;
  readonly attributes: { readonly [name: string]: AttributeSchema };
  readonly blocks?: { readonly [typeName: string]: NestedBlockSchema };
}

const attributesType = (attributes: { readonly [name: string]: AttributeSchema }): CtyType =>
  objectOf(Object.fromEntries(Object.entries(attributes).map(([name, attribute]) => [name, attribute.type])));

export const blockType = (block: NestedBlockSchema): CtyType => mapOf(attributesType(block.attributes));

export const schemaType = (schema: Schema): CtyType => objectOf({
  ...Object.fromEntries(Object.entries(schema.attributes).map(([name, attribute]) => [name, attribute.type])),
  ...Object.fromEntries(Object.entries(schema.blocks ?? {}).map(([name, block]) => [name, blockType(block)])),
});

/** Attributes the configuration can set (as opposed to computed-only ones). */
export const isConfigurable = (attribute: AttributeSchema): boolean => Boolean(attribute.required || attribute.optional);

export const isComputedOnly = (attribute: AttributeSchema): boolean => Boolean(attribute.computed) && !isConfigurable(attribute);

/**
 * The JavaScript value of a cty type, as the codec produces it (cty/value.ts);
 * null is added per attribute by StateOf.
 */
export type ValueOfType<T> =
  T extends 'string' ? string
    : T extends 'number' ? number
      : T extends 'bool' ? boolean
        : T extends readonly ['list' | 'set', infer E] ? ValueOfType<E>[]
          : T extends readonly ['map', infer E] ? Record<string, ValueOfType<E>>
            : T extends readonly ['object', infer A] ? { -readonly [K in keyof A]: ValueOfType<A[K]> | null }
              : CtyValue;

/**
 * A resource's (or data source's) state as its definition sees it, derived
 * from its schema (declared `as const satisfies Schema`), so the two cannot
 * drift: each attribute is its type's value or null.
 */
export type StateOf<S extends { readonly attributes: { readonly [name: string]: { readonly type: CtyType } } }> = {
  -readonly [K in keyof S['attributes']]: ValueOfType<S['attributes'][K]['type']> | null;
};
