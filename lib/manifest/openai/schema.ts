import { z } from 'zod';
import { OPENAI } from '../../../src/core';
import { sharedOutputNameClashes, projectKeySubject } from '../../constructs/openai/output-names';
import { stableAddress, terraformName } from '../../constructs/validation';
import { checkUniqueNames, credentialEnv, keyLifecycleFields, keyName, organizationLifecycleFields, organizationName, refusedBaseUrl, ruledString, secretOutputsField, undeclaredKeysFields, wholeNumber } from '../common';

/** An OpenAI organization in the manifest: its admin key credential, its admin keys and its project keys. */
const adminKey = z.strictObject({
  name: keyName(OPENAI.rules.adminKeyName, OPENAI.limits.adminKeyNameMax),
  expiresInSeconds: wholeNumber(OPENAI.rules.expiresInSeconds, 'must be a whole number of seconds',
    { minimum: 1, maximum: OPENAI.limits.adminKeyMaxExpirySeconds }).optional(),
  ...keyLifecycleFields,
});

/** A project's keys; each is made through a service account of that name. */
const project = z.strictObject({
  id: ruledString(OPENAI.rules.projectId, { pattern: OPENAI.patterns.projectId.source }),
  keys: z.array(z.strictObject({ name: keyName(OPENAI.rules.serviceAccountName, OPENAI.limits.serviceAccountNameMax), ...keyLifecycleFields })).default([]),
}).superRefine((found, context) => {
  checkUniqueNames(found.keys.map((key) => key.name), terraformName, (index) => ['keys', index, 'name'], 'keys', context);
});

export const openAiOrganizationSchema = z.strictObject({
  name: organizationName,
  vendor: z.literal(OPENAI.vendor),
  adminKeyEnv: credentialEnv(OPENAI.credentials.admin_key.kind).optional(),
  baseUrl: refusedBaseUrl,
  adminKeys: z.array(adminKey).default([]),
  ...undeclaredKeysFields(OPENAI.rules.adminKeyName, Math.max(OPENAI.limits.adminKeyNameMax, OPENAI.limits.serviceAccountNameMax)),
  ...organizationLifecycleFields,
  ...secretOutputsField,
  /** Optional rather than defaulted, so manifests without projects parse exactly as before. */
  projects: z.array(project).optional(),
}).superRefine((org, context) => {
  checkUniqueNames(org.adminKeys.map((key) => key.name), terraformName, (index) => ['adminKeys', index, 'name'], 'adminKeys', context);
  checkUniqueNames((org.projects ?? []).map((found) => found.id), (id) => id, (index) => ['projects', index, 'id'], 'projects', context);
  checkSharedOutputNames(org, context);
});

/** An admin key "proj_x_ci" and key "ci" of project proj_x would share one output name. */
function checkSharedOutputNames(
  org: { name: string; adminKeys: { name: string }[]; projects?: z.output<typeof project>[] }, context: z.RefinementCtx,
): void {
  const entries = [
    ...org.adminKeys.map((key, index) => ({ list: 'adminKeys', subject: key.name, where: `adminKeys[${index}]`, path: ['adminKeys', index, 'name'] })),
    ...(org.projects ?? []).flatMap((found, projectIndex) => found.keys.map((key, index) => ({
      list: `projects[${projectIndex}]`, subject: projectKeySubject(found.id, key.name),
      where: `projects[${projectIndex}].keys[${index}]`, path: ['projects', projectIndex, 'keys', index, 'name'],
    }))),
  ];
  for (const [later, earlier] of sharedOutputNameClashes(entries)) {
    context.addIssue({
      code: 'custom', path: entries[later].path,
      message: `would share the output name "${stableAddress(org.name, entries[later].subject)}_secret" with ${entries[earlier].where}; rename one`,
    });
  }
}

export type OpenAiOrganizationManifest = z.output<typeof openAiOrganizationSchema>;
