import { z } from 'zod';
import { terraformName } from '../constructs/validation';
import { openAiOrganizationSchema } from './vendors/openai';
import { edgeImpulseOrganizationSchema } from './vendors/edgeimpulse';
import { atlasOrganizationSchema } from './vendors/atlas';

/**
 * The key manifest, version 1: which keys each organization should have.
 * Credentials never appear here; each organization names the environment
 * variable that holds its credential at deploy time. Each vendor's part of
 * the schema lives in ./vendors/. Rules for every string (no credentials, no
 * token markers, no control characters) are in ./text-rules.ts; clashes of
 * Terraform names across organizations in ./address-clashes.ts.
 */
const ORGANIZATION_SCHEMAS = [openAiOrganizationSchema, edgeImpulseOrganizationSchema, atlasOrganizationSchema] as const;

export const VENDORS = ORGANIZATION_SCHEMAS.map((schema) => schema.shape.vendor.value);

const organization = z.discriminatedUnion('vendor', ORGANIZATION_SCHEMAS, {
  error: (issue) => (issue.code === 'invalid_union' ? `vendor must be one of: ${VENDORS.join(', ')}` : undefined),
});

export const manifestSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only manifest version so far)' }),
  organizations: z.array(organization),
}).superRefine((manifest, context) => {
  const seen = new Map<string, number>();
  manifest.organizations.forEach((org, index) => {
    const id = terraformName(org.name).toLowerCase();
    if (seen.has(id)) {
      context.addIssue({ code: 'custom', path: ['organizations', index, 'name'], message: `"${org.name}" is already used by organizations[${seen.get(id)}]; organization names must be unique` });
    }
    seen.set(id, index);
  });
});

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestOrganization = Manifest['organizations'][number];
