import { ConfigurationError, UnknownConnectionError } from '../../core/errors';
import { quoteForMessage } from '../../core/security/secret-patterns';
import { CtyCodecError, decodeJson, decodeMsgpack, encodeMsgpack } from '../cty/codec';
import { isUnknown, UNKNOWN, valuesEqual, type CtyObject, type CtyValue } from '../cty/value';
import { typeToJsonBytes } from '../cty/types';
import { Diagnostics, type AttributePath } from './diagnostics';
import { reportError } from './error-diagnostics';
import {
  IncompleteApplyError, type DataSourceDefinition, type ProviderDefinition, type ResourceDefinition,
} from './resource';
import { isComputedOnly, isConfigurable, schemaType, type Schema } from './schema';
import { CreateLedger, type ApplyReceipt } from '../../reconcile/create-ledger';
import {
  DiagnosticSeverity, SchemaNestedBlockNestingMode, StringKind,
  type ApplyResourceChangeRequest, type ApplyResourceChangeResponse, type AttributePath as ProtoAttributePath,
  type ConfigureProviderRequest, type ConfigureProviderResponse, type Diagnostic as ProtoDiagnostic, type DynamicValue,
  type GetMetadataResponse, type GetProviderSchemaResponse, type ImportResourceStateRequest, type ImportResourceStateResponse,
  type PlanResourceChangeRequest, type PlanResourceChangeResponse, type ReadDataSourceRequest, type ReadDataSourceResponse,
  type ReadResourceRequest, type ReadResourceResponse, type Schema as ProtoSchema, type SchemaAttribute as ProtoAttribute,
  type StopProviderResponse, type UpgradeResourceStateRequest, type UpgradeResourceStateResponse,
  type ValidateDataResourceConfigRequest, type ValidateDataResourceConfigResponse, type ValidateProviderConfigRequest,
  type ValidateProviderConfigResponse, type ValidateResourceConfigRequest, type ValidateResourceConfigResponse,
} from '../protocol/tfplugin6.generated';

const SEVERITY = { error: DiagnosticSeverity.ERROR, warning: DiagnosticSeverity.WARNING } as const;

export function toProtoPath(path: AttributePath): ProtoAttributePath {
  return {
    steps: path.map((step) => {
      if (typeof step === 'number') return { element_key_int: step };
      return typeof step === 'string' ? { attribute_name: step } : { element_key_string: step.key };
    }),
  };
}

function toProtoDiagnostics(diagnostics: Diagnostics): ProtoDiagnostic[] {
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

function schemaToProto(schema: Schema): ProtoSchema {
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

/**
 * Terraform's resource lifecycle, independent of gRPC: decodes values with
 * the schema, applies the planning rules, runs the definitions and turns
 * every failure into diagnostics. The gRPC layer only moves bytes.
 */
export class ProviderServer<Provider> {
  private configured?: Provider;
  private readonly resources: Map<string, ResourceDefinition<CtyObject, Provider>>;
  private readonly dataSources: Map<string, DataSourceDefinition<CtyObject, Provider>>;
  private schemaResponse?: GetProviderSchemaResponse;

  /**
   * @param ledger the keys this process created and whether Terraform received
   * them (the gRPC layer reports delivery; see src/reconcile/create-ledger.ts).
   */
  constructor(private readonly definition: ProviderDefinition<Provider>, readonly ledger = new CreateLedger()) {
    this.resources = new Map(definition.resources.map((resource) => [resource.typeName, resource]));
    this.dataSources = new Map(definition.dataSources.map((source) => [source.typeName, source]));
  }

  getMetadata(): GetMetadataResponse {
    return {
      server_capabilities: { get_provider_schema_optional: true },
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
    };
  }

  getProviderSchema(): GetProviderSchemaResponse {
    this.schemaResponse ??= {
      provider: schemaToProto(this.definition.schema),
      resource_schemas: Object.fromEntries([...this.resources].map(([name, resource]) => [name, schemaToProto(resource.schema)])),
      data_source_schemas: Object.fromEntries([...this.dataSources].map(([name, source]) => [name, schemaToProto(source.schema)])),
      server_capabilities: { get_provider_schema_optional: true },
      diagnostics: [],
    };
    return this.schemaResponse;
  }

  validateProviderConfig(request: ValidateProviderConfigRequest): ValidateProviderConfigResponse {
    const diagnostics = new Diagnostics();
    const config = this.decodeChecked(request.config, this.definition.schema, diagnostics);
    if (config) validateWith(this.definition.schema, config, diagnostics, this.definition.validateConfig);
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  configureProvider(request: ConfigureProviderRequest): ConfigureProviderResponse {
    const diagnostics = new Diagnostics();
    try {
      const config = this.decodeObject(request.config, this.definition.schema) ?? {};
      this.configured = this.definition.configure(config, { terraformVersion: request.terraform_version ?? '', diagnostics, ledger: this.ledger });
    } catch (error) {
      reportError(diagnostics, error, 'Invalid apikeys provider configuration', { path: attributeOf(error) });
    }
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  validateResourceConfig(request: ValidateResourceConfigRequest): ValidateResourceConfigResponse {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const config = resource && this.decodeChecked(request.config, resource.schema, diagnostics);
    if (resource && config) validateWith(resource.schema, config, diagnostics, resource.validateConfig);
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  validateDataResourceConfig(request: ValidateDataResourceConfigRequest): ValidateDataResourceConfigResponse {
    const diagnostics = new Diagnostics();
    const source = this.dataSource(request.type_name, diagnostics);
    const config = source && this.decodeChecked(request.config, source.schema, diagnostics);
    if (source && config) validateWith(source.schema, config, diagnostics, source.validateConfig);
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  upgradeResourceState(request: UpgradeResourceStateRequest): UpgradeResourceStateResponse {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    if (!resource) return { diagnostics: toProtoDiagnostics(diagnostics) };
    const raw: Uint8Array | undefined = request.raw_state?.json;
    if (!raw || raw.length === 0) {
      diagnostics.error('Cannot upgrade state', `The state of this ${request.type_name} is in the legacy flatmap format, which this provider never wrote. Remove it with "terraform state rm" and import it again.`);
      return { diagnostics: toProtoDiagnostics(diagnostics) };
    }
    // Attributes that a newer schema added come back null; ones it removed are dropped.
    const state = decodeJson(raw, schemaType(resource.schema));
    return { upgraded_state: { msgpack: encodeMsgpack(state, schemaType(resource.schema)) }, diagnostics: toProtoDiagnostics(diagnostics) };
  }

  async readResource(request: ReadResourceRequest): Promise<ReadResourceResponse> {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const provider = this.provider(diagnostics);
    const current = resource ? this.decodeObject(request.current_state, resource.schema) : null;
    if (!resource || !provider || !current) return { new_state: request.current_state, diagnostics: toProtoDiagnostics(diagnostics) };
    try {
      const refreshed = await resource.read({ provider, diagnostics, current }) ?? await this.readElsewhere(resource, provider, current);
      return { new_state: this.encodeObject(refreshed, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
    } catch (error) {
      // The state's location is not usable here (a connection block renamed or removed, a credential not configured).
      const unusable = error instanceof ConfigurationError || error instanceof UnknownConnectionError;
      const relocated = unusable ? await this.readElsewhere(resource, provider, current, { fromUnusable: true }) : null;
      if (relocated) return { new_state: this.encodeObject(relocated, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
      reportError(diagnostics, error, `Could not read ${resource.describe(current)}`);
      return { new_state: request.current_state, diagnostics: toProtoDiagnostics(diagnostics) };
    }
  }

  async planResourceChange(request: PlanResourceChangeRequest): Promise<PlanResourceChangeResponse> {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    if (!resource) return { diagnostics: toProtoDiagnostics(diagnostics) };
    const prior = this.decodeObject(request.prior_state, resource.schema);
    const proposed = this.decodeObject(request.proposed_new_state, resource.schema);
    const config = this.decodeObject(request.config, resource.schema);
    if (!proposed) return { planned_state: { msgpack: encodeMsgpack(null, schemaType(resource.schema)) }, diagnostics: [] };

    const { planned, requiresReplace: replacing } = planChange(resource, prior, proposed, config ?? proposed);
    const provider = this.provider(diagnostics);
    const requiresReplace = provider && prior ? await this.relocatedInPlace(resource, provider, prior, planned, replacing) : replacing;
    if (provider && resource.checkPlan && !(prior && valuesEqual(prior, planned))) {
      try {
        await resource.checkPlan({ provider, diagnostics, planned, prior });
      } catch (error) {
        reportError(diagnostics, error, `Cannot plan ${resource.describe(planned)}`);
      }
    }
    return {
      planned_state: this.encodeObject(planned, resource.schema),
      requires_replace: requiresReplace.map((name) => toProtoPath([name])),
      diagnostics: toProtoDiagnostics(diagnostics),
    };
  }

  /**
   * The instance as the first of the definition's other locations finds it,
   * with that location in its state; null when none does. Asked when the
   * state's location is unusable (a renamed or removed connection, a missing
   * credential), or when the state names no location (state from before named
   * connections, written through an aliased provider) and the default one
   * does not hold the key. Only when no location finds it is it gone. The next
   * plan compares the configuration's connection with where the key really is.
   */
  private async readElsewhere(
    resource: ResourceDefinition<CtyObject, Provider>, provider: Provider, current: CtyObject, { fromUnusable = false } = {},
  ): Promise<CtyObject | null> {
    const relocating = Object.entries(resource.schema.attributes).find(([name, attribute]) => attribute.relocates && (fromUnusable || current[name] === null))?.[0];
    if (!relocating || !resource.otherLocations) return null;
    for (const location of resource.otherLocations(provider).filter((other) => other !== current[relocating])) {
      try {
        const found = await resource.read({ provider, diagnostics: new Diagnostics(), current: { ...current, [relocating]: location } });
        if (found) return found;
      } catch {
        // not reachable there: try the next one
      }
    }
    return null;
  }

  /**
   * `replacing` without the relocating attributes (schema `relocates`) whose
   * new value still reaches the instance: reading it there finds it, so the
   * change is only where the provider looks, and no key is replaced.
   */
  private async relocatedInPlace(
    resource: ResourceDefinition<CtyObject, Provider>, provider: Provider, prior: CtyObject, planned: CtyObject, replacing: string[],
  ): Promise<string[]> {
    const relocating = replacing.filter((name) => resource.schema.attributes[name]?.relocates && !isUnknown(planned[name]));
    if (relocating.length === 0) return replacing;
    const moved = { ...prior, ...Object.fromEntries(relocating.map((name) => [name, planned[name]])) };
    try {
      if (await resource.read({ provider, diagnostics: new Diagnostics(), current: moved }) === null) return replacing;
    } catch {
      return replacing; // not reachable there (an unknown connection, a refused credential): a replacement, which reports why
    }
    return replacing.filter((name) => !relocating.includes(name));
  }

  /** `receipt`: the gRPC layer marks it delivered, or undeliverable when Terraform cancelled the call. */
  async applyResourceChange(request: ApplyResourceChangeRequest, receipt: ApplyReceipt = this.ledger.receipt()): Promise<ApplyResourceChangeResponse> {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const provider = this.provider(diagnostics);
    if (!resource || !provider) return { new_state: request.prior_state, diagnostics: toProtoDiagnostics(diagnostics) };
    const prior = this.decodeObject(request.prior_state, resource.schema);
    const planned = this.decodeObject(request.planned_state, resource.schema);
    const config = this.decodeObject(request.config, resource.schema) ?? planned;
    const context = { provider, diagnostics };

    if (!planned) {
      if (!prior) return { diagnostics: [] };
      try {
        await resource.delete({ ...context, prior });
        return { new_state: this.encodeObject(null, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
      } catch (error) {
        reportError(diagnostics, error, `Could not delete ${resource.describe(prior)}`, {
          extraDetail: 'The resource stays in state; nothing was removed from it.',
        });
        return { new_state: this.encodeObject(prior, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
      }
    }

    if (!prior) {
      try {
        const created = await resource.create({ ...context, planned, config: config!, receipt });
        return { new_state: this.encodeObject(settle(resource.schema, planned, created), resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
      } catch (error) {
        if (error instanceof IncompleteApplyError) {
          // The key exists and its secret is in hand: save it with the error (Terraform taints it).
          reportError(diagnostics, error.cause ?? error, `Created ${resource.describe(error.state as CtyObject)}, but could not finish`, {
            extraDetail: 'The key and its secret are saved in state. Terraform marks it tainted, so the next apply replaces it; run "terraform untaint" to keep it instead.',
          });
          return { new_state: this.encodeObject(settle(resource.schema, planned, error.state as CtyObject), resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
        }
        reportError(diagnostics, error, `Could not create ${resource.describe(planned)}`);
        return { new_state: this.encodeObject(null, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
      }
    }

    if (onlyRelocated(resource.schema, prior, planned)) {
      return { new_state: this.encodeObject(settle(resource.schema, planned, { ...prior, ...planned }), resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
    }
    if (!resource.update) {
      diagnostics.error(`Cannot update ${resource.describe(prior)} in place`, 'This key type has no update API; the provider should have planned a replacement. This is a bug in the apikeys provider.');
      return { new_state: request.prior_state, diagnostics: toProtoDiagnostics(diagnostics) };
    }
    try {
      const updated = await resource.update({ ...context, prior, planned, config: config! });
      return { new_state: this.encodeObject(settle(resource.schema, planned, updated), resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
    } catch (error) {
      reportError(diagnostics, error, `Could not update ${resource.describe(prior)}`, {
        extraDetail: 'The state keeps the values from before this apply; run plan to see what the vendor has now.',
      });
      return { new_state: this.encodeObject(prior, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
    }
  }

  importResourceState(request: ImportResourceStateRequest): ImportResourceStateResponse {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const provider = this.provider(diagnostics);
    if (!resource || !provider) return { diagnostics: toProtoDiagnostics(diagnostics) };
    try {
      const partial = resource.importState({ provider, diagnostics, id: String(request.id ?? '') });
      const state = Object.fromEntries(Object.keys(resource.schema.attributes).map((name) => [name, (partial as CtyObject)[name] ?? null]));
      return {
        imported_resources: [{ type_name: resource.typeName, state: this.encodeObject(state, resource.schema) }],
        diagnostics: toProtoDiagnostics(diagnostics),
      };
    } catch (error) {
      reportError(diagnostics, error, `Cannot import ${request.type_name} ${quoteForMessage(String(request.id ?? ''))}`);
      return { diagnostics: toProtoDiagnostics(diagnostics) };
    }
  }

  async readDataSource(request: ReadDataSourceRequest): Promise<ReadDataSourceResponse> {
    const diagnostics = new Diagnostics();
    const source = this.dataSource(request.type_name, diagnostics);
    const provider = this.provider(diagnostics);
    const config = source ? this.decodeObject(request.config, source.schema) : null;
    if (!source || !provider || !config) return { diagnostics: toProtoDiagnostics(diagnostics) };
    try {
      const state = await source.read({ provider, diagnostics, config });
      return { state: this.encodeObject(state, source.schema), diagnostics: toProtoDiagnostics(diagnostics) };
    } catch (error) {
      reportError(diagnostics, error, `Could not read data source ${source.typeName}`);
      return { diagnostics: toProtoDiagnostics(diagnostics) };
    }
  }

  stopProvider(): StopProviderResponse {
    if (this.configured) this.definition.stop?.(this.configured);
    return {};
  }

  private resource(typeName: string | undefined, diagnostics: Diagnostics): ResourceDefinition<CtyObject, Provider> | undefined {
    const resource = this.resources.get(typeName ?? '');
    if (!resource) diagnostics.error('Unknown resource type', `The apikeys provider has no resource type "${typeName}".`);
    return resource;
  }

  private dataSource(typeName: string | undefined, diagnostics: Diagnostics): DataSourceDefinition<CtyObject, Provider> | undefined {
    const source = this.dataSources.get(typeName ?? '');
    if (!source) diagnostics.error('Unknown data source', `The apikeys provider has no data source "${typeName}".`);
    return source;
  }

  private provider(diagnostics: Diagnostics): Provider | undefined {
    if (!this.configured) diagnostics.error('Provider not configured', 'Terraform called the apikeys provider before configuring it, or its configuration failed (see the errors above).');
    return this.configured;
  }

  /** decodeObject for the validate calls: a value the schema cannot hold (a number beyond float64...) is a diagnostic, not a crash. */
  private decodeChecked(value: DynamicValue | undefined, schema: Schema, diagnostics: Diagnostics): CtyObject | null {
    try {
      return this.decodeObject(value, schema);
    } catch (error) {
      const path = error instanceof CtyCodecError && error.path.length ? error.path : undefined;
      const cause = error instanceof CtyCodecError ? error.message : 'it does not match the schema';
      diagnostics.error(path ? `Invalid ${path.join('.')}` : 'Invalid configuration',
        `The provider cannot read this value (${cause}). A number must be within the range of a 64-bit float (about ±1.8e308).`, path);
      return null;
    }
  }

  private decodeObject(value: DynamicValue | undefined, schema: Schema): CtyObject | null {
    if (!value) return null;
    const type = schemaType(schema);
    const decoded = value.msgpack && value.msgpack.length > 0 ? decodeMsgpack(value.msgpack, type) : value.json && value.json.length > 0 ? decodeJson(value.json, type) : null;
    return decoded as CtyObject | null;
  }

  private encodeObject(value: CtyObject | null, schema: Schema): DynamicValue {
    return { msgpack: encodeMsgpack(value, schemaType(schema)) };
  }
}

/** Whether the only configurable attributes that change are relocating ones (the plan kept the instance): nothing to send. */
function onlyRelocated(schema: Schema, prior: CtyObject, planned: CtyObject): boolean {
  const changed = Object.entries(schema.attributes)
    .filter(([name, attribute]) => isConfigurable(attribute) && !attribute.writeOnly && !valuesEqual(prior[name], planned[name] as CtyValue, typeof attribute.type !== 'string' && attribute.type[0] === 'set'));
  return changed.length > 0 && changed.every(([, attribute]) => attribute.relocates);
}

/** Attribute validators, then the definition's own check; a check that throws is reported, never turned into a gRPC error. */
function validateWith(schema: Schema, config: CtyObject, diagnostics: Diagnostics, validateConfig?: (config: CtyObject, diagnostics: Diagnostics) => void): void {
  validateAttributes(schema.attributes, config, diagnostics, []);
  for (const [typeName, block] of Object.entries(schema.blocks ?? {})) {
    const blocks = config[typeName];
    if (blocks === null || blocks === undefined || isUnknown(blocks) || typeof blocks !== 'object' || Array.isArray(blocks)) continue;
    for (const [label, body] of Object.entries(blocks as CtyObject)) {
      if (body && typeof body === 'object' && !Array.isArray(body) && !isUnknown(body)) {
        validateAttributes(block.attributes, body as CtyObject, diagnostics, [typeName, { key: label }], `${typeName} "${label}": `);
      }
    }
  }
  try {
    validateConfig?.(config, diagnostics);
  } catch (error) {
    reportError(diagnostics, error, 'Invalid configuration', { path: attributeOf(error) });
  }
}

/** Each attribute's validators, on known non-null values; a validator that throws is reported, never a crash. */
function validateAttributes(attributes: Schema['attributes'], values: CtyObject, diagnostics: Diagnostics, at: AttributePath, where = ''): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = values[name];
    if (value === null || value === undefined || isUnknown(value)) continue;
    const path = [...at, name];
    // The first problem only, as the rules' firstProblem: an attribute's rules (e.g. a name's) often overlap.
    for (const validator of attribute.validators ?? []) {
      try {
        const problem = validator(value);
        if (problem) {
          diagnostics.error(`Invalid ${name}`, `${where}${problem}`, path);
          break;
        }
      } catch (error) {
        reportError(diagnostics, error, `Invalid ${name}`, { path });
        break;
      }
    }
  }
}

/** The provider attribute a ConfigurationError names, as a diagnostic path. */
function attributeOf(error: unknown): AttributePath | undefined {
  return error instanceof ConfigurationError ? [error.attribute] : undefined;
}

/**
 * The planning rules every resource shares:
 * - write-only attributes never appear in a plan;
 * - on create, computed attributes the configuration leaves unset become unknown;
 * - on update, computed-only attributes keep their prior values (ids,
 *   secrets and timestamps do not change in place), and a change to an
 *   attribute that cannot be updated in place requires replacement.
 */
export function planChange<Provider>(
  resource: ResourceDefinition<CtyObject, Provider>, prior: CtyObject | null, proposed: CtyObject, config: CtyObject,
): { planned: CtyObject; requiresReplace: string[] } {
  const planned: CtyObject = { ...proposed };
  const requiresReplace: string[] = [];
  for (const [name, attribute] of Object.entries(resource.schema.attributes)) {
    if (attribute.writeOnly) {
      planned[name] = null;
      continue;
    }
    if (!prior) {
      if (attribute.computed && (config[name] === null || config[name] === undefined)) planned[name] = UNKNOWN;
      continue;
    }
    if (isComputedOnly(attribute)) {
      planned[name] = prior[name];
      continue;
    }
    const unordered = typeof attribute.type !== 'string' && attribute.type[0] === 'set';
    if (isConfigurable(attribute) && !valuesEqual(prior[name], planned[name] as CtyValue, unordered)) {
      if (attribute.requiresReplace || !resource.update) requiresReplace.push(name);
    }
  }
  return { planned, requiresReplace };
}

/**
 * The state Terraform receives after an apply. Values the plan already knew
 * for configurable attributes are kept exactly (Terraform rejects an apply
 * result that contradicts the plan); the vendor's own normalisation shows up
 * at the next refresh instead. Write-only values are never stored.
 */
function settle(schema: Schema, planned: CtyObject, result: CtyObject): CtyObject {
  const state: CtyObject = {};
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (attribute.writeOnly) state[name] = null;
    else if (isConfigurable(attribute) && !isUnknown(planned[name]) && !(attribute.computed && planned[name] === null)) state[name] = planned[name];
    else state[name] = result[name] ?? null;
  }
  return state;
}
