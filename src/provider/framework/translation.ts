import { CtyCodecError, decodeJson, decodeMsgpack, encodeMsgpack } from '../cty/codec';
import type { CtyObject } from '../cty/value';
import { typeToJsonBytes } from '../cty/types';
import type { AttributePath, Diagnostics } from './diagnostics';
import { schemaType, type Schema } from './schema';
import {
  DiagnosticSeverity, SchemaNestedBlockNestingMode, StringKind,
  type AttributePath as ProtoAttributePath, type Diagnostic as ProtoDiagnostic, type DynamicValue,
  type Schema as ProtoSchema, type SchemaAttribute as ProtoAttribute,
} from '../protocol/tfplugin6.generated';

/**
 * Between the framework's values and the protocol's messages, both ways (as
 * terraform-plugin-framework's fromproto6/toproto6): schemas, diagnostics,
 * attribute paths and cty values. No lifecycle rule lives here.
 */

const SEVERITY = { error: DiagnosticSeverity.ERROR, warning: DiagnosticSeverity.WARNING } as const;

export function toProtoPath(path: AttributePath): ProtoAttributePath {
  return {
    steps: path.map((step) => {
      if (typeof step === 'number') return { element_key_int: step };
      return typeof step === 'string' ? { attribute_name: step } : { element_key_string: step.key };
    }),
  };
}

export function toProtoDiagnostics(diagnostics: Diagnostics): ProtoDiagnostic[] {
  return diagnostics.items.map((item) => ({
    severity: SEVERITY[item.severity],
    summary: item.summary,
    detail: item.detail,
    ...(item.path ? { attribute: toProtoPath(item.path) } : {}),
  }));
}

function attributesToProto(attributes: Schema['attributes']): ProtoAttribute[] {
  return Object.entries(attributes).map(([name, attribute]) => ({
    name,
    type: typeToJsonBytes(attribute.type),
    description: attribute.description,
    description_kind: StringKind.MARKDOWN,
    required: Boolean(attribute.required),
    optional: Boolean(attribute.optional),
    computed: Boolean(attribute.computed),
    sensitive: Boolean(attribute.sensitive),
    write_only: Boolean(attribute.writeOnly),
  }));
}

export function schemaToProto(schema: Schema): ProtoSchema {
  return {
    version: schema.version,
    block: {
      description: schema.description,
      description_kind: StringKind.MARKDOWN,
      attributes: attributesToProto(schema.attributes),
      block_types: Object.entries(schema.blocks ?? {}).map(([typeName, block]) => ({
        type_name: typeName,
        nesting: SchemaNestedBlockNestingMode.MAP,
        block: { description: block.description, description_kind: StringKind.MARKDOWN, attributes: attributesToProto(block.attributes) },
      })),
    },
  };
}

/** A DynamicValue as an object of the schema (msgpack, or JSON as upgrades send it); null when absent or null. */
export function decodeObject(value: DynamicValue | undefined, schema: Schema): CtyObject | null {
  if (!value) return null;
  const type = schemaType(schema);
  const decoded = value.msgpack && value.msgpack.length > 0 ? decodeMsgpack(value.msgpack, type) : value.json && value.json.length > 0 ? decodeJson(value.json, type) : null;
  return decoded as CtyObject | null;
}

/** decodeObject for the validate calls: a value the schema cannot hold (a number beyond float64...) is a diagnostic, not a crash. */
export function decodeChecked(value: DynamicValue | undefined, schema: Schema, diagnostics: Diagnostics): CtyObject | null {
  try {
    return decodeObject(value, schema);
  } catch (error) {
    const path = error instanceof CtyCodecError && error.path.length ? error.path : undefined;
    const cause = error instanceof CtyCodecError ? error.message : 'it does not match the schema';
    diagnostics.error(path ? `Invalid ${path.join('.')}` : 'Invalid configuration',
      `The provider cannot read this value (${cause}). A number must be within the range of a 64-bit float (about ±1.8e308).`, path);
    return null;
  }
}

export function encodeObject(value: CtyObject | null, schema: Schema): DynamicValue {
  return { msgpack: encodeMsgpack(value, schemaType(schema)) };
}

/** State stored as JSON (UpgradeResourceState), as an object of the current schema: attributes it added come back null, ones it removed are dropped. */
export function upgradeJsonState(json: Uint8Array, schema: Schema): DynamicValue {
  return encodeObject(decodeJson(json, schemaType(schema)) as CtyObject | null, schema);
}
