import { closestKey } from '../../core/rules/closest';
import { ImportIdError, isRefusal, UnknownConnectionError } from '../../core/errors';
import type { VendorFacts } from '../../core/facts';
import { connectionLabel, quoteForMessage } from '../../core/rules';
import type { ProviderContext } from '../context';
import { isUnknown, type CtyObject, type CtyValue } from '../cty/value';
import type { AttributePath } from '../framework/diagnostics';
import type { AttributeSchema } from '../framework/schema';
import { explainRefusal, type CredentialInUse } from './refusals';

/**
 * Named connections: one provider block serves many organizations.
 *
 * Each vendor has a default connection, the provider block's flat attributes
 * (`openai_admin_key_env`, `openai_base_url`...), and any number of labelled
 * blocks (`openai_connection "acme" { admin_key_env = ... }`) whose
 * attributes are the same names without the vendor prefix. A resource picks
 * one with its `connection_name` attribute. Everything that reads a connection's
 * settings goes through ConnectionSettings, so credentials, base URLs and the
 * policy checks treat both kinds alike and name the attribute as written.
 */
export class ConnectionSettings {
  private constructor(
    readonly facts: VendorFacts,
    /** undefined: the vendor's default connection (the flat attributes). */
    readonly label: string | undefined,
    private readonly values: CtyObject,
    private readonly providerConfig: CtyObject,
  ) {}

  /** The flat `<vendor>_*` attributes, by their names within a connection. */
  static defaultOf(facts: VendorFacts, config: CtyObject): ConnectionSettings {
    const prefix = `${facts.vendor}_`;
    const values = Object.fromEntries(Object.entries(config).filter(([name]) => name.startsWith(prefix)).map(([name, value]) => [name.slice(prefix.length), value]));
    return new ConnectionSettings(facts, undefined, values, config);
  }

  /** The `<vendor>_connection "label"` block, or undefined when the provider block has none by that label. */
  static named(facts: VendorFacts, config: CtyObject, label: string): ConnectionSettings | undefined {
    const blocks = connectionBlocks(facts, config);
    const body = Object.hasOwn(blocks, label) ? blocks[label] : undefined; // never an inherited property such as __proto__
    return isObject(body) ? new ConnectionSettings(facts, label, body, config) : undefined;
  }

  /** The default connection, then every labelled block of this vendor. */
  static all(facts: VendorFacts, config: CtyObject): ConnectionSettings[] {
    return [ConnectionSettings.defaultOf(facts, config), ...connectionLabels(facts, config).map((label) => ConnectionSettings.named(facts, config, label)!)];
  }

  /** A setting by its name within the connection (`admin_key_env`, `base_url`); null when unset. */
  value(name: string): CtyValue {
    return this.values[name] ?? null;
  }

  /**
   * A setting a labelled block leaves unset falls back to the provider's flat
   * attribute (`base_url` to `openai_base_url`): one base URL serves every
   * connection unless a block says otherwise.
   */
  inherited(name: string): { value: CtyValue; attribute: string } {
    const own = this.value(name);
    if (own !== null || this.label === undefined) return { value: own, attribute: this.attribute(name) };
    const flat = `${this.facts.vendor}_${name}`;
    return { value: this.providerConfig[flat] ?? null, attribute: flat };
  }

  /** How messages name a setting: `openai_admin_key_env`, or `admin_key_env in openai_connection "acme"`. */
  attribute(name: string): string {
    return this.label === undefined ? `${this.facts.vendor}_${name}` : `${name} in ${blockName(this.facts)} "${this.label}"`;
  }

  /** The setting's path in the provider configuration, for diagnostics. */
  path(name: string): AttributePath {
    return this.label === undefined ? [`${this.facts.vendor}_${name}`] : [blockName(this.facts), { key: this.label }, name];
  }

  /** Vendor and label: what clients and listings are kept per (one organization each). */
  get key(): string {
    return `${this.facts.vendor}:${this.label ?? ''}`;
  }

  /** The connection in prose, e.g. `openai_connection "acme"` or `the default OpenAI connection`. */
  describe(): string {
    return this.label === undefined ? `the default ${this.facts.label} connection` : `${blockName(this.facts)} "${this.label}"`;
  }
}

/** `openai_connection`: the labelled block of a vendor. */
export const blockName = (facts: VendorFacts): string => `${facts.vendor}_connection`;

const isObject = (value: CtyValue | undefined): value is CtyObject =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) && !isUnknown(value);

function connectionBlocks(facts: VendorFacts, config: CtyObject): CtyObject {
  const blocks = config[blockName(facts)];
  return isObject(blocks) ? blocks : {};
}

export const connectionLabels = (facts: VendorFacts, config: CtyObject): string[] => Object.keys(connectionBlocks(facts, config)).sort();

/**
 * The connection a resource names (null or undefined: the default one); an
 * UnknownConnectionError, reported on `connection_name`, when the provider block
 * has no such block.
 */
export function connectionSettings(facts: VendorFacts, config: CtyObject, label: string | null | undefined): ConnectionSettings {
  if (label === null || label === undefined) return ConnectionSettings.defaultOf(facts, config);
  const found = ConnectionSettings.named(facts, config, label);
  if (found) return found;
  const labels = connectionLabels(facts, config);
  const suggestion = closestKey(label, labels);
  const block = blockName(facts);
  throw new UnknownConnectionError(`the apikeys provider block has no ${block} "${label}"`, {
    hint: (labels.length === 0
      ? `The provider block configures no ${block}. `
      : `Configured ${block} labels: ${labels.map((known) => `"${known}"`).join(', ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''} `) +
      `Add a ${block} "${label}" block to the provider, or unset connection_name to use the default ${facts.label} connection (the provider's ${facts.vendor}_* attributes). ` +
      'Nothing was sent to the vendor.',
  });
}

export type { CredentialInUse };

/** A connection's clients, and the credential they send. */
export interface Connected<Clients> {
  readonly clients: Clients;
  readonly credential: CredentialInUse;
}

/** How a vendor family connects: its facts, its extra connection settings, and how its clients are built. */
export interface VendorConnection<Clients> {
  readonly facts: VendorFacts;
  /** Settings beyond the credentials and base_url, by their names within a connection (e.g. Atlas `api_version`). */
  readonly extraAttributes?: { readonly [name: string]: AttributeSchema };
  /** Appended to the description of base_url. */
  readonly baseUrlNote?: string;
  /** Builds the clients of one connection; throws a ConfigurationError, before any request, when settings are missing or refused. */
  connect(settings: ConnectionSettings, context: ProviderContext): Connected<Clients>;
}

/** One connection of a provider process: its settings (and so its label), its clients and the credential they send. */
export interface Connection<Clients> extends Connected<Clients> {
  readonly settings: ConnectionSettings;
}

/**
 * The connection a resource or data source names (null or undefined: the
 * vendor's default one), built on first use and kept for the life of the
 * process (one per vendor and label), so processes that only validate never
 * load the HTTP stack and never need credentials.
 */
export function connectionTo<Clients>(context: ProviderContext, vendor: VendorConnection<Clients>, label: string | null | undefined): Connection<Clients> {
  const settings = connectionSettings(vendor.facts, context.config, label);
  return context.memo(`connection:${settings.key}`, () => ({ settings, ...vendor.connect(settings, context) }));
}

/**
 * Runs `call` through the named connection of `vendor` (null: its default
 * one). A refusal comes out explained: the credential's variable, the
 * connection, what the call was for (`where`) and what to do.
 */
export async function callThrough<Clients, T>(
  provider: ProviderContext, vendor: VendorConnection<Clients>, label: string | null, where: string, call: (connection: Connection<Clients>) => Promise<T>,
): Promise<T> {
  const connection = connectionTo(provider, vendor, label);
  try {
    return await call(connection);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    throw explainRefusal(error, { vendor: vendor.facts.label, credential: connection.credential, connection: connection.settings.label, where });
  }
}

/** The `connection_name` attribute, which keyResource() adds to every key resource. */
export function connectionAttribute(facts: VendorFacts) {
  return {
    type: 'string',
    optional: true,
    requiresReplace: true,
    validators: [connectionLabel],
    description: `Label of the provider's \`${blockName(facts)}\` block to use, e.g. \`"acme"\` for \`${blockName(facts)} "acme" { ... }\`. ` +
      `Unset: the default ${facts.label} connection, the provider's flat \`${facts.vendor}_*\` attributes. Changing it replaces the key, unless the ` +
      'new connection finds the same key (the same organization under another label, or state from before named connections): then only the label changes.',
  } as const;
}

/**
 * The import id of a key reached through a named connection carries the
 * label first, `acme:key_abc`, so that the imported state names its
 * connection (Terraform passes only the id to ImportResourceState).
 */
export const importIdOf = (connection: string | null, id: string): string => (connection === null ? id : `${connection}:${id}`);

export const IMPORT_ID_CONNECTION_HINT = 'For a key of a named connection, put the connection\'s label first: <connection>:<id>, e.g. acme:<id>.';

/** Splits `acme:key_abc` into the connection label and the vendor's id (no `:`: the default connection). */
export function splitImportId(importId: string): { connection: string | null; id: string } {
  const trimmed = importId.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) return { connection: null, id: trimmed };
  const label = trimmed.slice(0, colon);
  const problem = connectionLabel(label);
  if (problem) {
    throw new ImportIdError(`the connection label before ":" in import id ${quoteForMessage(importId)} ${problem}`, {
      hint: 'Write <connection>:<id> for a key of a named connection (e.g. acme:key_abc), or the id alone for the default connection.',
    });
  }
  return { connection: label, id: trimmed.slice(colon + 1) };
}
