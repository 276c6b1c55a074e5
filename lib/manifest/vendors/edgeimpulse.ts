import { z } from 'zod';
import type { Construct } from 'constructs';
import { EDGE_IMPULSE_KEY_ROLES, EdgeImpulseOrganization } from '../../constructs/edgeimpulse-organization';
import { terraformName } from '../../constructs/validation';
import { EDGE_IMPULSE_KEY_NAME_MAX } from '../../../src/vendors/edgeimpulse/limits';
import { checkUniqueNames, credentialEnv, keyName, organizationName, refusedBaseUrl, undeclaredKeysFields } from '../common';

/** The largest time to live we accept: 2^31-1 seconds (68 years); Edge Impulse documents no maximum. */
const TTL_SECONDS_MAX = 2_147_483_647;

/**
 * An Edge Impulse organization in the manifest: its id, the variable holding
 * its admin API key, and the keys it should have. There is deliberately no
 * field for a caller-supplied key value: manifests live in git.
 */
const organizationKey = z.strictObject({
  name: keyName(EDGE_IMPULSE_KEY_NAME_MAX),
  role: z.enum(EDGE_IMPULSE_KEY_ROLES, { error: 'must be "admin" or "member"' }),
  ttlSeconds: z.int({ error: 'must be a whole number of seconds' }).min(1, { error: 'must be at least 1 second' })
    .max(TTL_SECONDS_MAX, { error: `must be at most ${TTL_SECONDS_MAX} seconds` }).optional(),
});

export const edgeImpulseOrganizationSchema = z.strictObject({
  name: organizationName,
  vendor: z.literal('edgeimpulse'),
  organizationId: z.int({ error: 'must be the whole-number id of the Edge Impulse organization' }).min(1, { error: 'must be at least 1' })
    .max(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER}` }),
  apiKeyEnv: z.string({ error: 'is required: name the environment variable that holds this organization\'s admin API key, e.g. ACME_EI_API_KEY' })
    .pipe(credentialEnv('edgeimpulse_api_key')),
  baseUrl: refusedBaseUrl,
  keys: z.array(organizationKey).default([]),
  ...undeclaredKeysFields(EDGE_IMPULSE_KEY_NAME_MAX),
}).superRefine((org, context) => {
  checkUniqueNames(org.keys.map((key) => key.name), terraformName, (index) => ['keys', index, 'name'], 'keys', context);
});

export type EdgeImpulseOrganizationManifest = z.output<typeof edgeImpulseOrganizationSchema>;

export function addEdgeImpulseOrganization(scope: Construct, org: EdgeImpulseOrganizationManifest): Construct {
  return new EdgeImpulseOrganization(scope, org.name, {
    organizationId: org.organizationId, apiKeyEnv: org.apiKeyEnv,
    keys: org.keys, undeclaredKeys: org.undeclaredKeys, ignoreUndeclared: org.ignoreUndeclared?.map(String), ignoreUndeclaredNames: org.ignoreUndeclaredNames,
  });
}
