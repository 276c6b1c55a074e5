import { quoteForMessage } from '../../core/security/secret-patterns';
import { CreateLedger, type ApplyReceipt } from '../../reconcile/create-ledger';
import { valuesEqual, type CtyObject } from '../cty/value';
import { Diagnostics } from './diagnostics';
import { reportError } from './error-diagnostics';
import { appliedState, planChange } from './planning';
import {
  IncompleteApplyError, type DataSourceDefinition, type PlannedChange, type PrivateState, type ProviderDefinition, type ResourceDefinition,
} from './resource';
import { decodeChecked, decodeObject, encodeObject, schemaToProto, toProtoDiagnostics, toProtoPath, upgradeJsonState } from './translation';
import { validateConfig } from './validation';
import type {
  ApplyResourceChangeRequest, ApplyResourceChangeResponse, ConfigureProviderRequest, ConfigureProviderResponse, GetMetadataResponse,
  GetProviderSchemaResponse, ImportResourceStateRequest, ImportResourceStateResponse, PlanResourceChangeRequest, PlanResourceChangeResponse,
  ReadDataSourceRequest, ReadDataSourceResponse, ReadResourceRequest, ReadResourceResponse, StopProviderResponse,
  UpgradeResourceStateRequest, UpgradeResourceStateResponse, ValidateDataResourceConfigRequest, ValidateDataResourceConfigResponse,
  ValidateProviderConfigRequest, ValidateProviderConfigResponse, ValidateResourceConfigRequest, ValidateResourceConfigResponse,
} from '../protocol/tfplugin6.generated';

type Resource<Provider> = ResourceDefinition<CtyObject, Provider>;

/** Private state travels as JSON bytes; anything unreadable (or nothing) is an empty object. */
function decodePrivate(bytes: Uint8Array | undefined): PrivateState {
  if (!bytes || bytes.length === 0) return {};
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

const encodePrivate = (value: PrivateState): Uint8Array | undefined =>
  (Object.keys(value).length === 0 ? undefined : Buffer.from(JSON.stringify(value), 'utf8'));

/**
 * Terraform's resource lifecycle, independent of gRPC (as terraform-plugin-framework's
 * fwserver): the planning rules, which definition call each RPC makes, and
 * every failure turned into diagnostics. Values cross ./translation.ts; the
 * gRPC layer only moves bytes. Nothing here knows what a key or a connection is.
 */
export class ProviderServer<Provider> {
  private configured?: Provider;
  private readonly resources: Map<string, Resource<Provider>>;
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
    const config = decodeChecked(request.config, this.definition.schema, diagnostics);
    if (config) validateConfig(this.definition.schema, config, diagnostics, this.definition.validateConfig);
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  configureProvider(request: ConfigureProviderRequest): ConfigureProviderResponse {
    const diagnostics = new Diagnostics();
    try {
      const config = decodeObject(request.config, this.definition.schema) ?? {};
      this.configured = this.definition.configure(config, { terraformVersion: request.terraform_version ?? '', diagnostics, ledger: this.ledger });
    } catch (error) {
      reportError(diagnostics, error, 'Invalid apikeys provider configuration');
    }
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  validateResourceConfig(request: ValidateResourceConfigRequest): ValidateResourceConfigResponse {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const config = resource && decodeChecked(request.config, resource.schema, diagnostics);
    if (resource && config) validateConfig(resource.schema, config, diagnostics, resource.validateConfig);
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  validateDataResourceConfig(request: ValidateDataResourceConfigRequest): ValidateDataResourceConfigResponse {
    const diagnostics = new Diagnostics();
    const source = this.dataSource(request.type_name, diagnostics);
    const config = source && decodeChecked(request.config, source.schema, diagnostics);
    if (source && config) validateConfig(source.schema, config, diagnostics, source.validateConfig);
    return { diagnostics: toProtoDiagnostics(diagnostics) };
  }

  upgradeResourceState(request: UpgradeResourceStateRequest): UpgradeResourceStateResponse {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    if (!resource) return { diagnostics: toProtoDiagnostics(diagnostics) };
    const raw = request.raw_state?.json;
    if (!raw || raw.length === 0) {
      diagnostics.error('Cannot upgrade state', `The state of this ${request.type_name} is in the legacy flatmap format, which this provider never wrote. Remove it with "terraform state rm" and import it again.`);
      return { diagnostics: toProtoDiagnostics(diagnostics) };
    }
    return { upgraded_state: upgradeJsonState(raw, resource.schema), diagnostics: toProtoDiagnostics(diagnostics) };
  }

  async readResource(request: ReadResourceRequest): Promise<ReadResourceResponse> {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const provider = this.provider(diagnostics);
    const current = resource ? decodeObject(request.current_state, resource.schema) : null;
    if (!resource || !provider || !current) return { new_state: request.current_state, private: request.private, diagnostics: toProtoDiagnostics(diagnostics) };
    const privateState = decodePrivate(request.private);
    try {
      const refreshed = await resource.read({ provider, diagnostics, current, privateState });
      return { new_state: encodeObject(refreshed, resource.schema), private: encodePrivate(privateState), diagnostics: toProtoDiagnostics(diagnostics) };
    } catch (error) {
      reportError(diagnostics, error, `Could not read ${resource.describe(current)}`);
      return { new_state: request.current_state, private: request.private, diagnostics: toProtoDiagnostics(diagnostics) };
    }
  }

  async planResourceChange(request: PlanResourceChangeRequest): Promise<PlanResourceChangeResponse> {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    if (!resource) return { diagnostics: toProtoDiagnostics(diagnostics) };
    const prior = decodeObject(request.prior_state, resource.schema);
    const proposed = decodeObject(request.proposed_new_state, resource.schema);
    const config = decodeObject(request.config, resource.schema) ?? proposed;
    if (!proposed || !config) return { planned_state: encodeObject(null, resource.schema), planned_private: request.prior_private, diagnostics: [] };

    let change: PlannedChange<CtyObject> = planChange(resource.schema, resource.update !== undefined, prior, proposed, config);
    const privateState = decodePrivate(request.prior_private);
    const provider = this.provider(diagnostics);
    if (provider && resource.modifyPlan) {
      try {
        change = await resource.modifyPlan({ provider, diagnostics, prior, config, privateState, ...change });
      } catch (error) {
        reportError(diagnostics, error, `Cannot plan ${resource.describe(change.planned)}`);
      }
    }
    return {
      planned_state: encodeObject(change.planned, resource.schema),
      requires_replace: change.requiresReplace.map((name) => toProtoPath([name])),
      planned_private: encodePrivate(privateState),
      diagnostics: toProtoDiagnostics(diagnostics),
    };
  }

  /** `receipt`: the gRPC layer marks it delivered, or undeliverable when Terraform cancelled the call. */
  async applyResourceChange(request: ApplyResourceChangeRequest, receipt: ApplyReceipt = this.ledger.receipt()): Promise<ApplyResourceChangeResponse> {
    const diagnostics = new Diagnostics();
    const resource = this.resource(request.type_name, diagnostics);
    const provider = this.provider(diagnostics);
    if (!resource || !provider) return { new_state: request.prior_state, diagnostics: toProtoDiagnostics(diagnostics) };
    const prior = decodeObject(request.prior_state, resource.schema);
    const planned = decodeObject(request.planned_state, resource.schema);
    const config = decodeObject(request.config, resource.schema) ?? planned;
    const privateState = decodePrivate(request.planned_private);
    const answer = (state: CtyObject | null) => ({
      new_state: encodeObject(state, resource.schema), private: encodePrivate(privateState), diagnostics: toProtoDiagnostics(diagnostics),
    });

    if (!planned || !config) {
      if (!prior) return { diagnostics: [] };
      try {
        await resource.delete({ provider, diagnostics, prior });
        return answer(null);
      } catch (error) {
        reportError(diagnostics, error, `Could not delete ${resource.describe(prior)}`, {
          extraDetail: 'The resource stays in state; nothing was removed from it.',
        });
        return answer(prior);
      }
    }

    const context = { provider, diagnostics, planned, config, receipt, privateState };
    if (!prior) {
      try {
        return answer(appliedState(resource.schema, planned, await resource.create(context)));
      } catch (error) {
        if (error instanceof IncompleteApplyError) {
          // The key exists and its secret is in hand: save it with the error (Terraform taints it).
          reportError(diagnostics, error.cause ?? error, `Created ${resource.describe(error.state)}, but could not finish`, {
            extraDetail: 'The key is saved in state, with its secret where the provider has it (encrypted when secret_recipients is set). Terraform marks it tainted, so the next apply replaces it; run "terraform untaint" to keep it instead.',
          });
          return answer(appliedState(resource.schema, planned, error.state));
        }
        reportError(diagnostics, error, `Could not create ${resource.describe(planned)}`);
        return answer(null);
      }
    }

    if (valuesEqual(prior, planned)) return answer(prior);
    if (!resource.update) {
      diagnostics.error(`Cannot update ${resource.describe(prior)} in place`, 'This resource type has no update; the provider should have planned a replacement. This is a bug in the apikeys provider.');
      return answer(prior);
    }
    try {
      return answer(appliedState(resource.schema, planned, await resource.update({ ...context, prior })));
    } catch (error) {
      if (error instanceof IncompleteApplyError) {
        // Part of the update happened (a new key exists with its secret): save what is true now, with the error.
        reportError(diagnostics, error.cause ?? error, `Updated ${resource.describe(prior)} only in part`, {
          extraDetail: 'The state holds what was done; the next plan shows what is left.',
        });
        return answer(error.state);
      }
      reportError(diagnostics, error, `Could not update ${resource.describe(prior)}`, {
        extraDetail: 'The state keeps the values from before this apply; run plan to see what the vendor has now.',
      });
      return answer(prior);
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
        imported_resources: [{ type_name: resource.typeName, state: encodeObject(state, resource.schema) }],
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
    const config = source ? decodeObject(request.config, source.schema) : null;
    if (!source || !provider || !config) return { diagnostics: toProtoDiagnostics(diagnostics) };
    try {
      const state = await source.read({ provider, diagnostics, config });
      return { state: encodeObject(state, source.schema), diagnostics: toProtoDiagnostics(diagnostics) };
    } catch (error) {
      reportError(diagnostics, error, `Could not read data source ${source.typeName}`);
      return { diagnostics: toProtoDiagnostics(diagnostics) };
    }
  }

  stopProvider(): StopProviderResponse {
    if (this.configured) this.definition.stop?.(this.configured);
    return {};
  }

  private resource(typeName: string | undefined, diagnostics: Diagnostics): Resource<Provider> | undefined {
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
}
