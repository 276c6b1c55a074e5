import { z } from 'zod';
import { ATLAS } from '../../../src/core';
import { ATLAS_KEY_NAME_RULES } from '../../constructs/atlas/name-rules';
import { terraformName } from '../../constructs/validation';
import { checkUniqueNames, credentialEnv, keyName, organizationName, refusedBaseUrl, ruledString, secretOutputsField, undeclaredKeysFields, keyLifecycleFields, organizationLifecycleFields } from '../common';
import { ruled } from '../ruled';

const DESCRIPTION_MAX = ATLAS.limits.keyDescriptionMax;

/** A MongoDB Atlas organization in the manifest: its id, which variables hold its credential, and its keys. */
const key = z.strictObject({
  // The name is the description when none is given, so it follows the description's rules.
  name: keyName(ATLAS_KEY_NAME_RULES, DESCRIPTION_MAX),
  description: ruledString(ATLAS.rules.keyDescription, { minLength: 1, maxLength: DESCRIPTION_MAX }).optional(),
  roles: ruled(z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of organization roles' }), ATLAS.rules.roles,
    { minItems: 1, items: { type: 'string', enum: [...ATLAS.orgRoles] } }),
  ...keyLifecycleFields,
});

/** One object with both possible pairs, so each problem is reported at its own path. */
const auth = z.strictObject({
  publicKeyEnv: credentialEnv(ATLAS.credentials.public_key.kind).optional(),
  privateKeyEnv: credentialEnv(ATLAS.credentials.private_key.kind).optional(),
  clientIdEnv: credentialEnv(ATLAS.credentials.client_id.kind).optional(),
  clientSecretEnv: credentialEnv(ATLAS.credentials.client_secret.kind).optional(),
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
  vendor: z.literal(ATLAS.vendor),
  organizationId: ruledString(ATLAS.rules.organizationId, { pattern: ATLAS.patterns.id.source }),
  auth: auth.optional(),
  baseUrl: refusedBaseUrl,
  apiVersion: ruledString(ATLAS.rules.apiVersion, { enum: [...ATLAS.apiVersions] }).optional(),
  keys: z.array(key).default([]),
  ...undeclaredKeysFields(ATLAS_KEY_NAME_RULES, DESCRIPTION_MAX),
  ...organizationLifecycleFields,
  ...secretOutputsField,
}).superRefine((org, context) => {
  checkUniqueNames(org.keys.map((item) => item.name), terraformName, (index) => ['keys', index, 'name'], 'keys', context);
});

export type AtlasOrganizationManifest = z.output<typeof atlasOrganizationSchema>;
