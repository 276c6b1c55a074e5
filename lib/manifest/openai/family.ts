import type { Construct } from 'constructs';
import { OPENAI } from '../../../src/core';
import { OpenaiAdminKey } from '../../bindings/openai-admin-key';
import { OpenaiProjectKey } from '../../bindings/openai-project-key';
import { OpenAiOrganization } from '../../constructs/openai/organization';
import { projectKeySubject } from '../../constructs/openai/output-names';
import { organizationLifecycleOptions, undeclaredKeysOptions } from '../common';
import { list, namedKeys, record, text, type KeyDeclaration, type ManifestFamily } from '../family';
import { openAiOrganizationSchema, type OpenAiOrganizationManifest } from './schema';

function addOrganization(scope: Construct, org: OpenAiOrganizationManifest): Construct {
  return new OpenAiOrganization(scope, org.name, {
    adminKeyEnv: org.adminKeyEnv, adminKeys: org.adminKeys,
    ...undeclaredKeysOptions(org), outputs: org.outputs,
    ...organizationLifecycleOptions(org),
    projects: org.projects?.map((found) => ({ projectId: found.id, keys: found.keys })),
  });
}

/** Admin keys, then each project's keys, named `<project id>_<key name>`. */
function declaredKeys(org: Readonly<Record<string, unknown>>): KeyDeclaration[] {
  const projectKeys = list(org.projects).flatMap((found, projectIndex) => {
    const projectId = text(record(found).id);
    if (projectId === undefined) return [];
    return namedKeys(record(found), 'keys', OpenaiProjectKey.tfResourceType).map((key) => ({
      ...key, path: ['projects', projectIndex, ...key.path], subject: projectKeySubject(projectId, key.name),
    }));
  });
  return [...namedKeys(org, 'adminKeys', OpenaiAdminKey.tfResourceType), ...projectKeys];
}

export const OPENAI_MANIFEST = {
  vendor: OPENAI.vendor, schema: openAiOrganizationSchema, credentialFields: 'adminKeyEnv', addOrganization, declaredKeys,
} as const satisfies ManifestFamily<typeof openAiOrganizationSchema>;
