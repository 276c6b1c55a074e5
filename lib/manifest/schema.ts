import { z } from 'zod';
import { terraformName } from '../constructs/validation';
import { openAiOrganizationSchema } from './vendors/openai';
import { edgeImpulseOrganizationSchema } from './vendors/edgeimpulse';
import { atlasOrganizationSchema } from './vendors/atlas';

/**
 * The key manifest, version 1: which keys each organization should have.
 * Credentials never appear here; each organization names the environment
 * variable that holds its credential at deploy time. Each vendor's part of
 * the schema lives in ./vendors/.
 */
const ORGANIZATION_SCHEMAS = [openAiOrganizationSchema, edgeImpulseOrganizationSchema, atlasOrganizationSchema] as const;

export const VENDORS = ORGANIZATION_SCHEMAS.map((schema) => schema.shape.vendor.value);

const organization = z.discriminatedUnion('vendor', ORGANIZATION_SCHEMAS, {
  error: (issue) => (issue.code === 'invalid_union' ? `vendor must be one of: ${VENDORS.join(', ')}` : undefined),
});

/** Values that look like credentials: a manifest lives in git, so they must never be in it. */
const SECRET_LOOKING = /\b(sk-[A-Za-z0-9_-]{10,}|ei_[A-Za-z0-9]{10,}|mdb_sa_sk_[A-Za-z0-9]{10,}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/;

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
  findSecretLookingValues(manifest, [], context);
});

function findSecretLookingValues(value: unknown, path: (string | number)[], context: z.RefinementCtx): void {
  if (typeof value === 'string' && SECRET_LOOKING.test(value)) {
    context.addIssue({ code: 'custom', path, message: 'looks like a credential; never put secrets in a manifest: name the environment variable that holds it instead (e.g. adminKeyEnv)' });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findSecretLookingValues(item, [...path, index], context));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) findSecretLookingValues(item, [...path, key], context);
  }
}

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestOrganization = Manifest['organizations'][number];
