import { z } from 'zod';
import { manifestSchema } from './schema';

/** Where the package ships the generated schema (relative to the package root). */
export const MANIFEST_JSON_SCHEMA_PATH = 'schema/manifest.schema.json';

/**
 * The manifest's JSON Schema, for editors (yaml-language-server and the like), generated
 * from the zod schema the loader validates with, so the two cannot disagree on shape.
 * - `io: 'input'` describes what a user writes: defaulted fields are optional.
 * - A pipe (a field validated in two steps) is described by its last step, which carries
 *   the real rule (e.g. the environment-variable pattern of apiKeyEnv).
 * - Cross-field rules (unique names, credential-looking values, Atlas auth pairs) are
 *   refinements JSON Schema cannot express; the loader still reports them, with file:line.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(manifestSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = (zodSchema as unknown as { _zod: { def: { type: string; out?: z.ZodType } } })._zod.def;
      if (def.type === 'pipe' && def.out) {
        const last = z.toJSONSchema(def.out, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
        delete last.$schema;
        for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
        Object.assign(jsonSchema, last);
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'cdktf-apikeys key manifest',
    description: 'Which API keys each organization should have. Holds no secrets: each organization names the environment variables that hold its credentials. Generated from lib/manifest/schema.ts; the loader also checks rules JSON Schema cannot express (unique names, values that look like credentials).',
    ...rest,
  };
}

/** The file's text: stable key order and a trailing newline, so regeneration is byte-for-byte comparable. */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
