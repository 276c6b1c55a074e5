import { z } from 'zod';
import type { Construct } from 'constructs';
import { ATLAS_API_VERSIONS, ATLAS_KEY_DESCRIPTION_MAX, ATLAS_ORG_ROLES, AtlasOrganization, type AtlasAuth } from '../../constructs/atlas-organization';
import { terraformName } from '../../constructs/validation';
import { checkUniqueNames, credentialEnv, keyName, organizationName, refusedBaseUrl, undeclaredKeysFields } from '../common';

/** A MongoDB Atlas organization in the manifest: its id, which variables hold its credential, and its keys. */
const key = z.strictObject({
  // The name is the description when none is given, so it shares Atlas's limit for descriptions.
  name: keyName(ATLAS_KEY_DESCRIPTION_MAX),
  description: z.string()
    .min(1, { error: 'must not be empty' })
    .max(ATLAS_KEY_DESCRIPTION_MAX, { error: `must be at most ${ATLAS_KEY_DESCRIPTION_MAX} characters` })
    .optional(),
  roles: z.array(z.enum(ATLAS_ORG_ROLES, { error: `must be an organization role: ${ATLAS_ORG_ROLES.join(', ')}` }))
    .min(1, { error: 'must hold at least one organization role' }),
});

/** One object with both possible pairs, so each problem is reported at its own path. */
const auth = z.strictObject({
  publicKeyEnv: credentialEnv('atlas_public_key').optional(),
  privateKeyEnv: credentialEnv('atlas_private_key').optional(),
  clientIdEnv: credentialEnv('atlas_client_id').optional(),
  clientSecretEnv: credentialEnv('atlas_client_secret').optional(),
}).superRefine((value, context) => {
  const apiKey = value.publicKeyEnv !== undefined || value.privateKeyEnv !== undefined;
  const serviceAccount = value.clientIdEnv !== undefined || value.clientSecretEnv !== undefined;
  if (apiKey === serviceAccount) {
    context.addIssue({ code: 'custom', path: [], message: 'must be either { publicKeyEnv, privateKeyEnv } (a programmatic API key) or { clientIdEnv, clientSecretEnv } (a service account), not both or neither' });
    return;
  }
  const pair = apiKey ? (['publicKeyEnv', 'privateKeyEnv'] as const) : (['clientIdEnv', 'clientSecretEnv'] as const);
  for (const name of pair) {
    if (value[name] === undefined) context.addIssue({ code: 'custom', path: [name], message: `is missing: name the environment variable that holds it (the pair is ${pair.join(' and ')})` });
  }
});

export const atlasOrganizationSchema = z.strictObject({
  name: organizationName,
  vendor: z.literal('atlas'),
  organizationId: z.string().regex(/^[a-f0-9]{24}$/, { error: 'must be 24 lower-case hexadecimal digits, such as 5980cfc70b6d97029d82e3f6' }),
  auth: auth.optional(),
  baseUrl: refusedBaseUrl,
  apiVersion: z.enum(ATLAS_API_VERSIONS, { error: 'must be "v2" or "v1.0"' }).optional(),
  keys: z.array(key).default([]),
  ...undeclaredKeysFields(ATLAS_KEY_DESCRIPTION_MAX),
}).superRefine((org, context) => {
  checkUniqueNames(org.keys.map((item) => item.name), terraformName, (index) => ['keys', index, 'name'], 'keys', context);
});

export type AtlasOrganizationManifest = z.output<typeof atlasOrganizationSchema>;

export function addAtlasOrganization(scope: Construct, org: AtlasOrganizationManifest): Construct {
  return new AtlasOrganization(scope, org.name, {
    organizationId: org.organizationId, auth: org.auth as AtlasAuth | undefined, apiVersion: org.apiVersion, keys: org.keys,
    undeclaredKeys: org.undeclaredKeys, ignoreUndeclared: org.ignoreUndeclared?.map(String), ignoreUndeclaredNames: org.ignoreUndeclaredNames,
  });
}
