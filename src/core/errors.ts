/**
 * Every error the runtime raises on purpose, with a stable `code` (in the
 * manner of undici's UND_ERR_* codes) and a `hint` that tells the user what
 * to do. Messages never contain secrets: vendor text is redacted before it
 * is stored here.
 */
/** Where in a configuration an error belongs: attribute names, list indexes, and `{ key }` for a map element (a labelled block's label). */
export type AttributePath = readonly (string | number | { readonly key: string })[];

export class ApiKeysError extends Error {
  readonly code: string = 'APIKEYS_ERR';
  /** What the user can do about it, in one or two sentences. */
  hint?: string;
  /** The attribute of the resource (or of the provider block, for provider settings) the error is about, when there is one. */
  readonly attributePath?: AttributePath;

  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** Bad or missing provider settings, found before any vendor call. */
export class ConfigurationError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_CONFIGURATION';
  /**
   * @param attribute the setting as messages name it, e.g. `admin_key_env in openai_connection "acme"`
   * @param attributePath its path in the provider block, when the error is reported on the provider configuration itself
   */
  constructor(message: string, readonly attribute: string, hint?: string, override readonly attributePath?: AttributePath) {
    super(message, { hint });
  }
}

/** An import id that does not have the resource's id format. */
export class ImportIdError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_IMPORT_ID';
}

/** Base of everything that went wrong while talking to a vendor. */
export class VendorError extends ApiKeysError {
  override readonly code: string = 'APIKEYS_ERR_VENDOR';
  constructor(
    readonly vendor: string,
    readonly operation: string,
    message: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(message, options);
  }
}

export interface VendorErrorDetails {
  /** The vendor's own human message, already redacted. */
  message?: string;
  /** The vendor's machine code (OpenAI error.code, Atlas errorCode...). */
  vendorCode?: string;
  /** OpenAI error.type and similar classifications. */
  vendorType?: string;
  /** The request field the vendor blames, if it says. */
  param?: string;
}

/** The vendor answered, and the answer is an error (a non-2xx status or an error body). */
export class VendorResponseError extends VendorError {
  override readonly code: string = 'APIKEYS_ERR_VENDOR_RESPONSE';
  /** The HTTP method of the refused request, when the client says. */
  method?: string;
  constructor(
    vendor: string,
    operation: string,
    readonly status: number,
    readonly details: VendorErrorDetails,
    readonly requestId?: string,
    hint?: string,
    /** The whole message, when the caller knows more than the answer says (which credential, which organization). */
    message?: string,
  ) {
    super(vendor, operation, message ?? describeResponse(vendor, operation, status, details, requestId), { hint });
  }

  /** The same error (same class, code and status), told with what the caller knows: which credential, which organization, what to do. */
  explained(message: string, hint: string): VendorResponseError {
    const Kind = this.constructor as new (...args: ConstructorParameters<typeof VendorResponseError>) => VendorResponseError;
    const explained = new Kind(this.vendor, this.operation, this.status, this.details, this.requestId, hint, message);
    return Object.assign(explained, { cause: this, method: this.method });
  }
}

function describeResponse(vendor: string, operation: string, status: number, details: VendorErrorDetails, requestId?: string): string {
  const parts = [`${vendor} rejected "${operation}" with HTTP ${status}`];
  const codes = [details.vendorType, details.vendorCode].filter(Boolean).join('/');
  if (codes) parts.push(` (${codes})`);
  if (details.message) parts.push(`: ${details.message}`);
  if (requestId) parts.push(` [request id ${requestId}]`);
  return parts.join('');
}

export class VendorAuthenticationError extends VendorResponseError {
  override readonly code = 'APIKEYS_ERR_VENDOR_AUTHENTICATION';
}
export class VendorPermissionError extends VendorResponseError {
  override readonly code = 'APIKEYS_ERR_VENDOR_PERMISSION';
}
export class VendorNotFoundError extends VendorResponseError {
  override readonly code = 'APIKEYS_ERR_VENDOR_NOT_FOUND';
}
export class VendorValidationError extends VendorResponseError {
  override readonly code = 'APIKEYS_ERR_VENDOR_VALIDATION';
}
export class VendorRateLimitError extends VendorResponseError {
  override readonly code = 'APIKEYS_ERR_VENDOR_RATE_LIMITED';
}
export class VendorServerError extends VendorResponseError {
  override readonly code = 'APIKEYS_ERR_VENDOR_SERVER';
}

/**
 * The vendor answered and refused: a 401, 403 or 404, or a listing answered
 * 2xx with a body that says it failed (a vendor that answers errors with
 * HTTP 200: a listing sends nothing to validate, so its failure is about the
 * credential or the organization). Not a fault to wait out: a wrong
 * credential, a missing role or a wrong id stays so.
 */
export function isRefusal(error: unknown): error is VendorResponseError {
  return error instanceof VendorAuthenticationError || error instanceof VendorPermissionError || error instanceof VendorNotFoundError
    || (error instanceof VendorValidationError && error.status < 300 && error.method === 'GET');
}

/**
 * The request may or may not have reached the vendor: no answer came back.
 * For a create, the key may exist at the vendor without our knowing its secret.
 */
export class VendorUnreachableError extends VendorError {
  override readonly code: string = 'APIKEYS_ERR_VENDOR_UNREACHABLE';
  constructor(vendor: string, operation: string, message: string, readonly outcomeUnknown: boolean, cause?: unknown) {
    super(vendor, operation, message, { cause });
  }
}
export class VendorTimeoutError extends VendorUnreachableError {
  override readonly code = 'APIKEYS_ERR_VENDOR_TIMEOUT';
}

/** The vendor answered 2xx with a body we cannot use. */
export class VendorInvalidResponseError extends VendorError {
  override readonly code = 'APIKEYS_ERR_VENDOR_INVALID_RESPONSE';
}

/** Terraform asked the provider to stop (Ctrl-C) while the request waited. */
export class OperationStoppedError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_STOPPED';
}

export const isApiKeysError = (error: unknown): error is ApiKeysError => error instanceof ApiKeysError;

/* Creates whose outcome the exactly-once path (src/reconcile/exactly-once.ts) could not settle. */
/** The create may or may not have happened, and the provider could not find out. */
export class CreateOutcomeUnknownError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_CREATE_OUTCOME_UNKNOWN';
}

/** New keys with this name appeared, and none can be proven to be this create's. */
export class CreateOutcomeAmbiguousError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_CREATE_AMBIGUOUS';
  constructor(message: string, readonly candidateIds: string[], hint: string, cause?: unknown) {
    super(message, { cause, hint });
  }
}

/** Every allowed send had an unknown outcome (each orphan was revoked). */
export class CreateAttemptsExhaustedError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_CREATE_ATTEMPTS_EXHAUSTED';
}

/**
 * A new key's one-time secret could not be encrypted to its `secret_recipients`
 * after the vendor made the key. The message says what became of the key
 * (revoked, or kept in state without its secret); it never holds the secret.
 */
export class SealingError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_SEALING';
}

/* The apikeys command line. */
/** A command line the CLI cannot act on: an unknown option, a missing value. Printed with the command's usage hint. */
export class UsageError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_USAGE';
}

/** A CDKTF project the CLI cannot work with: no cdktf.json, no app command, an unknown or ambiguous stack, a failed synth. */
export class ProjectError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_PROJECT';
}

/** A program apikeys runs (terraform, the app's command) is not on PATH. */
export class ToolMissingError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_TOOL_MISSING';
  constructor(readonly tool: string) {
    super(`${tool} was not found on PATH`, { hint: 'Install it or add it to PATH: apikeys needs Terraform 1.11+ and Node.js 20+.' });
  }
}

/**
 * A resource or data source names a connection (`connection_name = "acme"`) that
 * the provider block does not configure. Reported on the `connection_name`
 * attribute, before any vendor call.
 */
export class UnknownConnectionError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_UNKNOWN_CONNECTION';
  override readonly attributePath: AttributePath = ['connection_name'];
}

/* The construct library and the key manifest (lib/). */
/** Every problem with a construct's props, reported together (as AWS CDK does), before anything is synthesized. */
export class PropsValidationError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_PROPS';
  constructor(readonly subject: string, readonly problems: readonly string[]) {
    super(`${subject} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** One problem of a key manifest, where it is. */
export interface ManifestIssue {
  readonly file: string;
  /** Dotted path to the offending value, e.g. organizations[0].adminKeys[1].name */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export function formatManifestIssue(issue: ManifestIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column}`;
  return `  ${where}: ${issue.path || '(top level)'}: ${issue.message}`;
}

/** Everything wrong with a key manifest, each issue with file, line and path. */
export class ManifestError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_MANIFEST';
  constructor(readonly issues: readonly ManifestIssue[]) {
    super(`Invalid key manifest (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map(formatManifestIssue).join('\n')}`);
  }
}
