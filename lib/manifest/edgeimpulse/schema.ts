import { z } from 'zod';
import { EDGE_IMPULSE } from '../../../src/core';
import { terraformName } from '../../constructs/validation';
import { checkUniqueNames, credentialEnv, keyName, organizationName, refusedBaseUrl, ruledString, secretOutputsField, undeclaredKeysFields, wholeNumber, keyLifecycleFields, organizationLifecycleFields } from '../common';

const POSITIVE_SAFE_INTEGER = { minimum: 1, maximum: Number.MAX_SAFE_INTEGER };

/**
 * An Edge Impulse organization in the manifest: its id, the variable holding
 * its admin API key, and the keys it should have. There is deliberately no
 * field for a caller-supplied key value: manifests live in git.
 */
const organizationKey = z.strictObject({
  name: keyName(EDGE_IMPULSE.rules.keyName, EDGE_IMPULSE.limits.keyNameMax),
  role: ruledString(EDGE_IMPULSE.rules.role, { enum: [...EDGE_IMPULSE.roles] }),
  ttlSeconds: wholeNumber(EDGE_IMPULSE.rules.ttlSeconds, 'must be a whole number of seconds', POSITIVE_SAFE_INTEGER).optional(),
  ...keyLifecycleFields,
});

export const edgeImpulseOrganizationSchema = z.strictObject({
  name: organizationName,
  vendor: z.literal(EDGE_IMPULSE.vendor),
  organizationId: wholeNumber(EDGE_IMPULSE.rules.organizationId, 'must be the whole-number id of the Edge Impulse organization', POSITIVE_SAFE_INTEGER),
  apiKeyEnv: credentialEnv(EDGE_IMPULSE.credentials.api_key.kind),
  baseUrl: refusedBaseUrl,
  keys: z.array(organizationKey).default([]),
  ...undeclaredKeysFields(EDGE_IMPULSE.rules.keyName, EDGE_IMPULSE.limits.keyNameMax),
  ...organizationLifecycleFields,
  ...secretOutputsField,
}).superRefine((org, context) => {
  checkUniqueNames(org.keys.map((key) => key.name), terraformName, (index) => ['keys', index, 'name'], 'keys', context);
});

export type EdgeImpulseOrganizationManifest = z.output<typeof edgeImpulseOrganizationSchema>;
