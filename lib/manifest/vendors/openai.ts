import { z } from 'zod';
import type { Construct } from 'constructs';
import {
  OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS, OPENAI_PROJECT_ID_PATTERN, OpenAiOrganization, projectKeySubject, sharedOutputNameClashes,
} from '../../constructs/openai-organization';
import { stableAddress, terraformName } from '../../constructs/validation';
import { OPENAI_ADMIN_KEY_NAME_MAX, OPENAI_SERVICE_ACCOUNT_NAME_MAX } from '../../../src/vendors/openai/limits';
import { checkUniqueNames, credentialEnv, keyName, organizationName, refusedBaseUrl, undeclaredKeysFields } from '../common';

/** An OpenAI organization in the manifest: its admin key credential, its admin keys and its project keys. */
const adminKey = z.strictObject({
  name: keyName(OPENAI_ADMIN_KEY_NAME_MAX),
  expiresInSeconds: z.int({ error: 'must be a whole number of seconds' })
    .min(1, { error: 'must be at least 1 second' })
    .max(OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS, { error: `must be at most ${OPENAI_ADMIN_KEY_MAX_EXPIRY_SECONDS} seconds (365 days)` })
    .optional(),
});

/** A project's keys; each is made through a service account of that name. */
const project = z.strictObject({
  id: z.string().regex(OPENAI_PROJECT_ID_PATTERN, { error: 'must be an OpenAI project id such as proj_abc123' }),
  keys: z.array(z.strictObject({ name: keyName(OPENAI_SERVICE_ACCOUNT_NAME_MAX) })).default([]),
}).superRefine((found, context) => {
  checkUniqueNames(found.keys.map((key) => key.name), terraformName, (index) => ['keys', index, 'name'], 'keys', context);
});

export const openAiOrganizationSchema = z.strictObject({
  name: organizationName,
  vendor: z.literal('openai'),
  adminKeyEnv: credentialEnv('openai_admin_key').optional(),
  baseUrl: refusedBaseUrl,
  adminKeys: z.array(adminKey).default([]),
  ...undeclaredKeysFields(Math.max(OPENAI_ADMIN_KEY_NAME_MAX, OPENAI_SERVICE_ACCOUNT_NAME_MAX)),
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

export function addOpenAiOrganization(scope: Construct, org: OpenAiOrganizationManifest): Construct {
  return new OpenAiOrganization(scope, org.name, {
    adminKeyEnv: org.adminKeyEnv, adminKeys: org.adminKeys,
    undeclaredKeys: org.undeclaredKeys, ignoreUndeclared: org.ignoreUndeclared?.map(String), ignoreUndeclaredNames: org.ignoreUndeclaredNames,
    projects: org.projects?.map((found) => ({ projectId: found.id, keys: found.keys })),
  });
}
