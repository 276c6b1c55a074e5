import { Token } from 'cdktf';

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
    this.check(Number.isInteger(value) && value >= min && value <= max, `${field} must be a whole number from ${min} to ${max} (got ${value}).`);
  }

  environmentVariable(field: string, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(value), `${field} must be an environment variable name such as ACME_OPENAI_ADMIN_KEY (got "${value}").`);
  }

  url(field: string, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    let valid = false;
    try {
      valid = ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      valid = false;
    }
    this.check(valid, `${field} must be an absolute http(s) URL (got "${value}").`);
  }

  /** Names must be non-empty and unique once turned into Terraform identifiers. */
  uniqueNames(field: string, names: readonly string[]): void {
    const seen = new Map<string, string>();
    names.forEach((name, index) => {
      if (Token.isUnresolved(name)) return;
      if (name.trim() === '') {
        this.problems.push(`${field}[${index}] has an empty name.`);
        return;
      }
      const id = terraformName(name);
      const clash = seen.get(id);
      if (clash !== undefined) this.problems.push(`${field}[${index}] "${name}" clashes with "${clash}" (both become the Terraform name "${id}"); rename one.`);
      seen.set(id, name);
    });
  }

  throwIfAny(subject: string): void {
    if (this.problems.length) throw new PropsValidationError(subject, this.problems);
  }
}

/** A Terraform identifier for a human name: "CI deployer" → "CI_deployer". */
export function terraformName(name: string): string {
  const cleaned = name.trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** The Terraform address name of a key: `<organization>_<key>`, independent of the construct tree. */
export const stableAddress = (organization: string, key: string): string => `${terraformName(organization)}_${terraformName(key)}`;
