import { Token } from 'cdktf';
import { credentialEnvProblem, parseHttpUrl, type CredentialKind } from '../../src/security/policy';
import { looksLikeSecret, quoteForMessage } from '../../src/security/secret-patterns';

export { quoteForMessage };

/**
 * C0 and C1 control characters (tab and newline included: no name or
 * description spans lines) and the bidirectional overrides that make text
 * read differently from what it is. Never part of a key's name or description.
 */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Every problem with a construct's props, reported together (as AWS CDK does). */
export class PropsValidationError extends Error {
  readonly code = 'APIKEYS_ERR_PROPS';
  constructor(readonly subject: string, readonly problems: readonly string[]) {
    super(`${subject} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PropsValidationError';
  }
}

/** Collects problems, then throws them all at once. Token values (known only at apply) are never judged. */
export class ProblemCollector {
  readonly problems: string[] = [];

  check(condition: boolean, problem: string): void {
    if (!condition) this.problems.push(problem);
  }

  integerBetween(field: string, value: number | undefined, min: number, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.check(Number.isInteger(value) && value >= min && value <= max, `${field} must be a whole number from ${min} to ${max} (got ${quoteForMessage(value)}).`);
  }

  /** The name of the variable holding a credential, as the operator's policy allows (src/security/policy.ts). */
  credentialEnv(field: string, kind: CredentialKind, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (typeof value !== 'string' || looksLikeSecret(value)) {
      this.problems.push(`${field} must be the name of an environment variable, such as ACME_OPENAI_ADMIN_KEY, not a credential (the value is not repeated here).`);
      return;
    }
    const problem = credentialEnvProblem(kind, value);
    if (problem) this.problems.push(`${field} ${problem}.`);
  }

  /** Syntax only: whether a credential may go to the host is the provider's call, made with the operator's allow-list. */
  url(field: string, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.check(typeof value === 'string' && value.length <= 2048 && parseHttpUrl(value) !== undefined,
      `${field} must be an absolute http(s) URL such as https://api.example.com/v1, at most 2048 characters.`);
  }

  /**
   * Names must be non-empty, printable, at most `max` characters (the vendor's
   * limit), and unique once turned into Terraform identifiers.
   */
  uniqueNames(field: string, names: readonly string[], max = Number.MAX_SAFE_INTEGER): void {
    const seen = new Map<string, string>();
    names.forEach((name, index) => {
      if (!this.printableName(`${field}[${index}]`, name, max)) return;
      const id = terraformName(name);
      const clash = seen.get(id);
      if (clash !== undefined) {
        this.problems.push(`${field}[${index}] ${quoteForMessage(name)} clashes with ${quoteForMessage(clash)} (both become the Terraform name ${quoteForMessage(id)}); rename one.`);
      }
      seen.set(id, name);
    });
  }

  /** Names or ids to ignore: each printable and bounded; they name no Terraform element, so they need not be unique as identifiers. */
  namesOrIds(field: string, values: readonly string[], max: number): void {
    values.forEach((value, index) => this.printableName(`${field}[${index}]`, value, max));
  }

  /** Whether a name is worth checking further (a literal, non-empty string); records what is wrong with it. */
  private printableName(where: string, name: string, max: number): boolean {
    if (Token.isUnresolved(name)) return false;
    if (typeof name !== 'string' || name.trim() === '') {
      this.problems.push(`${where} has an empty name.`);
      return false;
    }
    if (name.length > max) this.problems.push(`${where} is ${name.length} characters long; at most ${max} are allowed.`);
    if (CONTROL_CHARACTER.test(name)) this.problems.push(`${where} contains a control character; names must be printable text on one line.`);
    if (looksLikeSecret(name)) this.problems.push(`${where} looks like a credential; a key's name is shown to everyone with read access.`);
    return true;
  }


  /** Free text shown by a vendor (a description): printable, one line, not a credential. */
  printableText(field: string, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.check(!CONTROL_CHARACTER.test(value), `${field} contains a control character; it must be printable text on one line.`);
    this.check(!looksLikeSecret(value), `${field} looks like a credential; it is shown to everyone with read access.`);
  }

  throwIfAny(subject: string): void {
    if (this.problems.length) throw new PropsValidationError(subject, this.problems);
  }
}

/** A Terraform identifier for a human name: "CI deployer" → "CI_deployer". */
export function terraformName(name: string): string {
  const cleaned = String(name).trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** The Terraform address name of a key: `<organization>_<key>`, independent of the construct tree. */
export const stableAddress = (organization: string, key: string): string => `${terraformName(organization)}_${terraformName(key)}`;
