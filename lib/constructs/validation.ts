import { Token } from '../cdk';
import { CREDENTIAL_ENV_SUFFIXES, PropsValidationError, firstProblem, type Rule, credentialEnvProblem, parseHttpUrl, type CredentialKind, looksLikeSecret, quoteForMessage } from '../../src/core';

export { PropsValidationError, quoteForMessage };

/**
 * The value a rule judges: tokens (known only at apply) are never judged;
 * in a list, only its literal elements are, and a list of nothing but
 * tokens not at all.
 */
function literalPart(value: unknown): unknown {
  if (Token.isUnresolved(value)) return undefined;
  if (!Array.isArray(value)) return value;
  const literal = value.filter((item) => !Token.isUnresolved(item));
  return literal.length === 0 && value.length > 0 ? undefined : literal;
}

/**
 * Collects a construct's problems; connectOrganization reports them all at
 * once, at synthesis, with every other construct's. Field checks apply the
 * shared rules (src/core/rules, through each vendor's facts), so a construct, the
 * manifest and the provider say the same sentence about the same value.
 */
export class ProblemCollector {
  readonly problems: string[] = [];

  check(condition: boolean, problem: string): void {
    if (!condition) this.problems.push(problem);
  }

  /** The first problem the rules find with a literal value, as `<field> <rule's sentence>`. */
  rules(field: string, value: unknown, rules: readonly Rule[]): void {
    const judged = literalPart(value);
    if (judged === undefined) return;
    const problem = firstProblem(rules, judged);
    if (problem) this.problems.push(`${field} ${problem}`);
  }

  /** A required text field: a string (rules judge only the type they know), then the rules. */
  text(field: string, value: unknown, rules: readonly Rule[]): void {
    if (Token.isUnresolved(value)) return;
    if (typeof value !== 'string') {
      this.problems.push(`${field} must be a string (got ${quoteForMessage(value)}).`);
      return;
    }
    this.rules(field, value, rules);
  }

  /** An optional whole-number field: a number when set, then the rules. */
  number(field: string, value: unknown, rules: readonly Rule[]): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (typeof value !== 'number') {
      this.problems.push(`${field} must be a number (got ${quoteForMessage(value)}).`);
      return;
    }
    this.rules(field, value, rules);
  }

  /** The name of the variable holding a credential, as the operator's policy allows (src/core/security/policy.ts). */
  credentialEnv(field: string, kind: CredentialKind, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (typeof value !== 'string' || looksLikeSecret(value)) {
      this.problems.push(`${field} must be the name of an environment variable, such as ACME_${CREDENTIAL_ENV_SUFFIXES[kind][0]}, not a credential (the value is not repeated here).`);
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
   * Each item's name (at `<field>[i].name`) by the vendor's rules, and all
   * names unique once turned into Terraform identifiers.
   */
  uniqueNames(field: string, names: readonly unknown[], rules: readonly Rule[]): void {
    const seen = new Map<string, string>();
    names.forEach((name, index) => {
      this.text(`${field}[${index}].name`, name, rules);
      if (typeof name !== 'string' || Token.isUnresolved(name) || name.trim() === '') return;
      const id = terraformName(name);
      const clash = seen.get(id);
      if (clash !== undefined) {
        this.problems.push(`${field}[${index}] ${quoteForMessage(name)} clashes with ${quoteForMessage(clash)} (both become the Terraform name ${quoteForMessage(id)}); rename one.`);
      }
      seen.set(id, name);
    });
  }

  /** Names or ids to ignore, each by the vendor's name rules; they name no Terraform element, so they need not be unique. */
  namesOrIds(field: string, values: readonly unknown[], rules: readonly Rule[]): void {
    values.forEach((value, index) => this.text(`${field}[${index}]`, value, rules));
  }
}

/** A Terraform identifier for a human name: "CI deployer" → "CI_deployer". */
export function terraformName(name: string): string {
  const cleaned = String(name).trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** The Terraform address name of a key: `<organization>_<key>`, independent of the construct tree. */
export const stableAddress = (organization: string, key: string): string => `${terraformName(organization)}_${terraformName(key)}`;
