import type { Construct } from 'constructs';
import { EDGE_IMPULSE, type EdgeImpulseRole } from '../../../src/core';
import { EdgeimpulseOrganizationKey } from '../../bindings/edgeimpulse-organization-key';
import { EdgeImpulseOrganization } from '../../constructs/edgeimpulse/organization';
import { organizationLifecycleOptions, undeclaredKeysOptions } from '../common';
import { namedKeys, type ManifestFamily } from '../family';
import { edgeImpulseOrganizationSchema, type EdgeImpulseOrganizationManifest } from './schema';

function addOrganization(scope: Construct, org: EdgeImpulseOrganizationManifest): Construct {
  return new EdgeImpulseOrganization(scope, org.name, {
    organizationId: org.organizationId, apiKeyEnv: org.apiKeyEnv,
    // The schema's role rule admitted only the vendor's roles.
    keys: org.keys.map((key) => ({ ...key, role: key.role as EdgeImpulseRole })),
    ...undeclaredKeysOptions(org), outputs: org.outputs,
    ...organizationLifecycleOptions(org),
  });
}

export const EDGE_IMPULSE_MANIFEST = {
  vendor: EDGE_IMPULSE.vendor,
  schema: edgeImpulseOrganizationSchema,
  credentialFields: 'apiKeyEnv',
  addOrganization,
  declaredKeys: (org) => namedKeys(org, 'keys', EdgeimpulseOrganizationKey.tfResourceType),
} as const satisfies ManifestFamily<typeof edgeImpulseOrganizationSchema>;
