import {
  ApiKeysError, ConfigurationError, isRefusal, UnknownConnectionError, VendorAuthenticationError, VendorNotFoundError, VendorPermissionError,
  type VendorResponseError,
} from '../../core/errors';


/**
 * Vendor refusals told with what only the connection knows (issue: "every
 * vendor refusal names its connection and the variable to check"), and one
 * error per connection and cause instead of one per resource.
 *
 * The adapters know the operation and the vendor's answer; the connection
 * knows which credential was sent, from which variable, for which
 * organization. A refusal (401, 403, 404, or an error body with HTTP 200)
 * is not a fault to wait out: its advice follows its status, never "apply
 * again".
 */

/** The credential a connection sends, as messages name it when the vendor refuses it. */
export interface CredentialInUse {
  /** What it is, e.g. "admin key", "API key", "service account". */
  readonly what: string;
  /** Where it was found: a variable's name (`ACME_OPENAI_ADMIN_KEY`), or `provider attribute <name>`. */
  readonly holder: string;
  /**
   * Whether a listed key could be this credential, by what the vendor shows of it (its redacted form, or an
   * Atlas public key): that key is never pruned, and not reported as undeclared. Generous by design.
   */
  resembles(shown: { readonly redacted: string | null; readonly publicKey?: string | null }): boolean;
}

/** What the refused call was about. */
export interface RefusalSubject {
  /** The vendor in prose, e.g. "OpenAI". */
  readonly vendor: string;
  readonly credential: CredentialInUse;
  /** The connection's label; undefined for the vendor's default connection. */
  readonly connection?: string;
  /** What the call was for: "organization 4242", "project proj_abc", "the organization". */
  readonly where: string;
}

/** "an admin key", "a service account". */
const withArticle = (what: string): string => `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;

function advice(error: VendorResponseError, { credential, where }: RefusalSubject): string {
  if (error instanceof VendorAuthenticationError) {
    return `Fix or rotate the credential: ${credential.holder} must hold a working ${credential.what}; this one is wrong, revoked or expired.`;
  }
  if (error instanceof VendorPermissionError) {
    return `The ${credential.what} in ${credential.holder} is valid but may not do this in ${where}: give it the role this needs there, ` +
      `or put ${withArticle(credential.what)} of ${where} in ${credential.holder}.`;
  }
  if (error instanceof VendorNotFoundError) {
    return `Check the id: ${where} does not exist, or the ${credential.what} in ${credential.holder} belongs to another organization and cannot see it.`;
  }
  return `Check the ${credential.what} in ${credential.holder}: it must be valid and belong to ${where}, with the role this needs.`;
}

/** The refusal, naming the credential's variable, the connection and the organization, with advice for its status. */
export function explainRefusal(error: VendorResponseError, subject: RefusalSubject): VendorResponseError {
  const connection = subject.connection === undefined ? '' : ` (connection "${subject.connection}")`;
  const codes = [error.details.vendorType, error.details.vendorCode].filter(Boolean).join('/');
  const answer = error.status < 300 ? 'an error in its answer' : `HTTP ${error.status}${codes ? ` (${codes})` : ''}`;
  const message = `${subject.vendor} rejected the ${subject.credential.what} in ${subject.credential.holder}${connection} with ${answer} ` +
    `when asked to ${error.operation} for ${subject.where}${error.details.message ? `: ${error.details.message}` : ''}` +
    `${error.requestId ? ` [request id ${error.requestId}]` : ''}`;
  return error.explained(message, advice(error, subject));
}

/** An error whose cause an earlier call of this process already reported in full. */
export class AlreadyReportedError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_ALREADY_REPORTED';
  constructor(readonly original: ApiKeysError) {
    super(`${original.message.split(/(?<=[.:])\s/)[0]} (the same cause as an error reported above)`, { hint: original.hint });
  }
}

/**
 * The causes this process has reported: a wrong credential in front of 40
 * resources is one error. What counts as one cause: a refused credential of a
 * connection (401), a refusal about one organization or project through a
 * connection (403, 404), a connection's missing or refused setting, an
 * unknown connection label.
 */
export class ReportedCauses {
  private readonly seen = new Set<string>();

  /** `error` as it should be thrown now: itself the first time its cause is seen, an AlreadyReportedError afterwards. */
  once(error: unknown, at: { readonly vendor: string; readonly connection: string | null; readonly where: string }): unknown {
    const cause = causeOf(error, `${at.vendor}:${at.connection ?? ''}`, at.where);
    if (cause === undefined || !(error instanceof ApiKeysError)) return error;
    if (!this.seen.has(cause)) {
      this.seen.add(cause);
      return error;
    }
    return new AlreadyReportedError(error);
  }
}

function causeOf(error: unknown, connectionKey: string, where: string): string | undefined {
  if (error instanceof VendorAuthenticationError) return `${connectionKey}:refused`;
  if (isRefusal(error)) return `${connectionKey}:${error.status}:${where}`;
  if (error instanceof ConfigurationError) return `${connectionKey}:setting:${error.message}`;
  if (error instanceof UnknownConnectionError) return `unknown:${error.message}`;
  return undefined;
}
