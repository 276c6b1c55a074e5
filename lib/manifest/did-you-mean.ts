import type { z } from 'zod';
import { closestKey } from '../../src/core';

// "Did you mean …?" for unknown manifest keys, with the shared typo rule (src/core/rules/closest.ts).

/** The parts of zod's schema definitions (`_zod.def`) needed to find which keys an object at a path allows. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  getter?: () => z.ZodType;
}
const definition = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Unwraps optional/default/pipe wrappers and picks a union's member by its discriminator in `input`. */
function resolve(schema: z.ZodType, input: unknown): z.ZodType | undefined {
  const def = definition(schema);
  if (def.innerType) return resolve(def.innerType, input);
  if (def.type === 'pipe' && def.in) return resolve(def.in, input);
  if (def.type === 'lazy' && def.getter) return resolve(def.getter(), input);
  if (def.type === 'union' && def.options) {
    const tag = def.discriminator && input && typeof input === 'object' ? (input as Record<string, unknown>)[def.discriminator] : undefined;
    const member = def.options.find((option) => {
      const literal = definition(option).shape?.[def.discriminator ?? ''];
      return literal !== undefined && (definition(literal).values ?? []).includes(tag);
    });
    return member ? resolve(member, input) : undefined;
  }
  return schema;
}

/** The keys the object schema at `path` allows, given the input being validated (which picks union members). */
export function allowedKeysAt(schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): string[] {
  let current = resolve(schema, input);
  let value = input;
  for (const step of path) {
    if (!current) return [];
    const def = definition(current);
    const next = def.type === 'object' ? def.shape?.[String(step)] : def.type === 'array' ? def.element : undefined;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[step] : undefined;
    current = next && resolve(next, value);
  }
  const shape = current && definition(current).shape;
  return shape ? Object.keys(shape) : [];
}

/** zod's message for an issue, with the closest allowed key suggested for each unrecognized key. */
export function messageWithSuggestions(issue: z.core.$ZodIssue, schema: z.ZodType, input: unknown): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const allowed = allowedKeysAt(schema, input, issue.path);
  const suggestions = issue.keys.flatMap((key) => {
    const match = closestKey(key, allowed);
    return match ? [{ key, match }] : [];
  });
  if (suggestions.length === 0) return issue.message;
  if (issue.keys.length === 1) return `${issue.message}; did you mean "${suggestions[0].match}"?`;
  return `${issue.message}; did you mean ${suggestions.map(({ key, match }) => `"${match}" (for "${key}")`).join(', ')}?`;
}
