import { z } from 'zod';
import { OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS } from '../constructs/openai-organization';
import { terraformName } from '../constructs/validation';

/**
 * The key manifest, version 1: which keys each organization should have.
 * Credentials never appear here; each organization names the environment
 * variable that holds its credential at deploy time.
 */
const environmentVariable = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'must be an environment variable name such as ACME_OPENAI_ADMIN_KEY (letters, digits, underscores)',
});

const organizationName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, {
  error: 'must start with a letter and hold only letters, digits, "-" and "_" (at most 63 characters); it names the provider alias and the outputs',
});

const keyName = z.string().trim().min(1, { error: 'must not be empty' });

const openAiAdminKey = z.strictObject({
  name: keyName,
  expiresInSeconds: z.int({ error: 'must be a whole number of seconds' })
    .min(1, { error: 'must be at least 1 second' })
    .max(OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS, { error: `must be at most ${OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS} seconds (365 days)` })
    .optional(),
});

const openAiOrganization = z.strictObject({
  name: organizationName,
  vendor: z.literal('openai'),
  adminKeyEnv: environmentVariable.optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  adminKeys: z.array(openAiAdminKey).default([]),
});

export const VENDORS = ['openai'] as const;

const organization = z.discriminatedUnion('vendor', [openAiOrganization], {
  error: (issue) => (issue.code === 'invalid_union' ? `vendor must be one of: ${VENDORS.join(', ')}` : undefined),
});

/** Values that look like credentials: a manifest lives in git, so they must never be in it. */
const SECRET_LOOKING = /\b(sk-[A-Za-z0-9_-]{10,}|ei_[A-Za-z0-9]{10,})/;

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
    const keyNames = new Map<string, number>();
    org.adminKeys.forEach((key, keyIndex) => {
      const keyId = terraformName(key.name);
      if (keyNames.has(keyId)) {
        context.addIssue({ code: 'custom', path: ['organizations', index, 'adminKeys', keyIndex, 'name'], message: `"${key.name}" is already used by adminKeys[${keyNames.get(keyId)}]; key names must be unique in an organization` });
      }
      keyNames.set(keyId, keyIndex);
    });
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
