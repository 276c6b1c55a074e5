import type { z } from 'zod';
import { firstProblem, printableText, type Rule } from '../../src/core';

/**
 * Every string of a manifest is already checked for control characters and
 * credentials (text-rules.ts, with wording for manifests); a field's
 * printableText rule would report the same thing twice.
 */
const fieldRules = (rules: readonly Rule[]): Rule[] => rules.filter((rule) => rule !== printableText);

/**
 * A zod schema that also applies shared rules (src/core/rules, through each
 * vendor's facts): the same sentence the constructs and the provider say,
 * reported at the field itself, so the loader gives it file:line. Rules judge
 * only the type they know, so `schema` fixes the type first. `jsonSchema`
 * describes what the rules allow to editors (JSON Schema cannot run them),
 * from the same facts.
 */
export function ruled<T extends z.ZodType>(schema: T, rules: readonly Rule[], jsonSchema: Record<string, unknown> = {}): T {
  const applied = fieldRules(rules);
  return schema.superRefine((value, context) => {
    const problem = firstProblem(applied, value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }).meta(jsonSchema) as T;
}
