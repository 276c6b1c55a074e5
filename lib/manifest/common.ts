import { z } from 'zod';

/** Building blocks shared by every vendor's manifest schema. */
export const environmentVariable = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'must be an environment variable name such as ACME_OPENAI_ADMIN_KEY (letters, digits, underscores)',
});

export const organizationName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, {
  error: 'must start with a letter and hold only letters, digits, "-" and "_" (at most 63 characters); it names the provider alias and the outputs',
});

export const keyName = z.string().trim().min(1, { error: 'must not be empty' });

export const baseUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

/** Reports a duplicate key name (after turning names into Terraform identifiers) where it occurs. */
export function checkUniqueNames(
  names: readonly string[], toId: (name: string) => string, path: (index: number) => (string | number)[], what: string, context: z.RefinementCtx,
): void {
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const id = toId(name);
    if (seen.has(id)) context.addIssue({ code: 'custom', path: path(index), message: `"${name}" is already used by ${what}[${seen.get(id)}]; names must be unique` });
    seen.set(id, index);
  });
}

/** Organization-level settings every vendor shares: what to do about keys nobody declared. */
export const undeclaredKeysFields = {
  undeclaredKeys: z.enum(['warn', 'fail', 'off'], { error: 'must be warn, fail or off' }).default('warn'),
  /** Ids or names; a bare number is an Edge Impulse key id. */
  ignoreUndeclared: z.array(z.union([z.string().min(1), z.int().min(0)], { error: 'must list key ids or names' })).optional(),
  /** Deprecated: ignoreUndeclared takes ids or names. */
  ignoreUndeclaredNames: z.array(z.string().min(1)).optional(),
};
