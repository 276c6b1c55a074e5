import type { Construct } from 'constructs';
import { ATLAS, type AtlasApiVersion } from '../../../src/core';
import { AtlasOrganizationKey } from '../../bindings/atlas-organization-key';
import { AtlasOrganization, type AtlasAuth } from '../../constructs/atlas/organization';
import { organizationLifecycleOptions, undeclaredKeysOptions } from '../common';
import { namedKeys, type ManifestFamily } from '../family';
import { atlasOrganizationSchema, type AtlasOrganizationManifest } from './schema';

function addOrganization(scope: Construct, org: AtlasOrganizationManifest): Construct {
  return new AtlasOrganization(scope, org.name, {
    // The schema admitted exactly one complete pair, and only the versions the rule allows.
    organizationId: org.organizationId, auth: org.auth as AtlasAuth | undefined, apiVersion: org.apiVersion as AtlasApiVersion | undefined, keys: org.keys,
    ...undeclaredKeysOptions(org), outputs: org.outputs,
    ...organizationLifecycleOptions(org),
  });
}

export const ATLAS_MANIFEST = {
  vendor: ATLAS.vendor,
  schema: atlasOrganizationSchema,
  credentialFields: 'auth (publicKeyEnv and privateKeyEnv, or clientIdEnv and clientSecretEnv)',
  addOrganization,
  declaredKeys: (org) => namedKeys(org, 'keys', AtlasOrganizationKey.tfResourceType),
} as const satisfies ManifestFamily<typeof atlasOrganizationSchema>;
