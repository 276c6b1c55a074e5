import { z } from 'zod';
import type { Construct } from 'constructs';
import { OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS, OpenAiOrganization } from '../../constructs/openai-organization';
import { terraformName } from '../../constructs/validation';
import { baseUrl, checkUniqueNames, environmentVariable, keyName, organizationName, undeclaredKeysFields } from '../common';

/** An OpenAI organization in the manifest: its admin key credential and the admin keys it should have. */
const adminKey = z.strictObject({
  name: keyName,
  expiresInSeconds: z.int({ error: 'must be a whole number of seconds' })
    .min(1, { error: 'must be at least 1 second' })
    .max(OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS, { error: `must be at most ${OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS} seconds (365 days)` })
    .optional(),
});

export const openAiOrganizationSchema = z.strictObject({
  name: organizationName,
  vendor: z.literal('openai'),
  adminKeyEnv: environmentVariable.optional(),
  baseUrl: baseUrl.optional(),
  adminKeys: z.array(adminKey).default([]),
  ...undeclaredKeysFields,
}).superRefine((org, context) => {
  checkUniqueNames(org.adminKeys.map((key) => key.name), terraformName, (index) => ['adminKeys', index, 'name'], 'adminKeys', context);
});

export type OpenAiOrganizationManifest = z.output<typeof openAiOrganizationSchema>;

export function addOpenAiOrganization(scope: Construct, org: OpenAiOrganizationManifest): Construct {
  return new OpenAiOrganization(scope, org.name, {
    adminKeyEnv: org.adminKeyEnv, baseUrl: org.baseUrl, adminKeys: org.adminKeys,
    undeclaredKeys: org.undeclaredKeys, ignoreUndeclaredNames: org.ignoreUndeclaredNames,
  });
}
