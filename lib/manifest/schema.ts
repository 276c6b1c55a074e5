import { z } from 'zod';
import { FAMILIES, VENDORS } from '../families';
import { terraformName } from '../constructs/validation';
import { list, record } from './family';

/** Each family's organization schema, keeping the registry's tuple type so the union stays discriminated. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never };
const ORGANIZATION_SCHEMAS = FAMILIES.map((family) => family.schema) as unknown as SchemasOf<typeof FAMILIES>;

/**
 * The key manifest, version 1: which keys each organization should have.
 * Credentials never appear here; each organization names the environment
 * variable that holds its credential at deploy time. Each family's part of
 * the schema lives in ./<vendor>/, listed in ../families.ts. Rules for every
 * string (no credentials, no token markers, no control characters) are in
 * ./text-rules.ts; clashes of Terraform names across organizations in
 * ./address-clashes.ts.
 */
const organization = z.discriminatedUnion('vendor', ORGANIZATION_SCHEMAS, {
  error: (issue) => (issue.code === 'invalid_union' ? `vendor must be one of: ${VENDORS.join(', ')}` : undefined),
});

export const manifestSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only manifest version so far)' }),
  organizations: z.array(organization),
}).superRefine((manifest, context) => {
  const seen = new Map<string, number>();
  // Organizations the schema rejected still have their names compared (see `when` below).
  list(manifest.organizations).forEach((org, index) => {
    const name = record(org).name;
    if (typeof name !== 'string') return;
    const id = terraformName(name).toLowerCase();
    if (seen.has(id)) {
      context.addIssue({ code: 'custom', path: ['organizations', index, 'name'], message: `"${name}" is already used by organizations[${seen.get(id)}]; organization names must be unique` });
    }
    seen.set(id, index);
  });
// A cross-organization problem is reported with the schema's, not only once those are fixed.
}, { when: (payload) => Array.isArray(record(payload.value).organizations) });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestOrganization = Manifest['organizations'][number];
