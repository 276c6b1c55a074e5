/**
 * Rules written once: the same bad value gets the same sentence from a
 * construct (`<field> <sentence>`), from the manifest (at its file:line) and
 * from the shared rule the provider validates the attribute with.
 */
import { Construct } from 'constructs';
import { ATLAS } from '../../../src/core/facts/atlas';
import { EDGE_IMPULSE } from '../../../src/core/facts/edgeimpulse';
import { OPENAI } from '../../../src/core/facts/openai';
import { ApiKeysError } from '../../../src/core/errors';
import { firstProblem, type Rule } from '../../../src/core/rules';
import { AtlasOrganization, type AtlasOrganizationProps } from '../../../lib/constructs/atlas/organization';
import { EdgeImpulseOrganization, type EdgeImpulseOrganizationProps } from '../../../lib/constructs/edgeimpulse/organization';
import { OpenAiOrganization, type OpenAiOrganizationProps } from '../../../lib/constructs/openai/organization';
import { PropsValidationError } from '../../../lib/constructs/validation';
import { ManifestError, parseManifest } from '../../../lib/manifest/loader';
import { synthStack, thrown } from '../../support/lib';

const ATLAS_ORG = '5980cfc70b6d97029d82e3f6';
const LONG_NAME = 'n'.repeat(300);

interface ParityCase {
  readonly name: string;
  readonly rules: readonly Rule[];
  readonly value: unknown;
  /** Builds the construct with the bad value; `field` is where its problem is reported. */
  readonly construct: (scope: Construct) => void;
  readonly field: string;
  /** The organization's lines in a manifest (from its `- name:` line on), the bad value's path and line. */
  readonly manifest: string;
  readonly path: string;
  readonly line: number;
}

const openai = (props: OpenAiOrganizationProps) => (scope: Construct) => new OpenAiOrganization(scope, 'acme', props);
const edge = (props: Partial<EdgeImpulseOrganizationProps>) => (scope: Construct) =>
  new EdgeImpulseOrganization(scope, 'acme', { organizationId: 1, apiKeyEnv: 'ACME_EI_API_KEY', ...props });
const atlas = (props: Partial<AtlasOrganizationProps>) => (scope: Construct) => new AtlasOrganization(scope, 'acme', { organizationId: ATLAS_ORG, ...props });
const EDGE_HEADER = '  - name: acme\n    vendor: edgeimpulse\n    apiKeyEnv: ACME_EI_API_KEY\n';
const ATLAS_HEADER = '  - name: acme\n    vendor: atlas\n';

const CASES: readonly ParityCase[] = [
  {
    name: 'an OpenAI admin key expiring in 0 seconds', rules: OPENAI.rules.expiresInSeconds, value: 0,
    construct: openai({ adminKeys: [{ name: 'k', expiresInSeconds: 0 }] }), field: 'adminKeys[0].expiresInSeconds',
    manifest: '  - name: acme\n    vendor: openai\n    adminKeys:\n      - name: k\n        expiresInSeconds: 0\n', path: 'organizations[0].adminKeys[0].expiresInSeconds', line: 7,
  },
  {
    name: 'an OpenAI admin key name of 300 characters', rules: OPENAI.rules.adminKeyName, value: LONG_NAME,
    construct: openai({ adminKeys: [{ name: LONG_NAME }] }), field: 'adminKeys[0].name',
    manifest: `  - name: acme\n    vendor: openai\n    adminKeys:\n      - name: ${LONG_NAME}\n`, path: 'organizations[0].adminKeys[0].name', line: 6,
  },
  {
    name: 'an OpenAI project id "x"', rules: OPENAI.rules.projectId, value: 'x',
    construct: openai({ projects: [{ projectId: 'x', keys: [] }] }), field: 'projects[0].projectId',
    manifest: '  - name: acme\n    vendor: openai\n    projects:\n      - id: x\n', path: 'organizations[0].projects[0].id', line: 6,
  },
  {
    name: 'an Edge Impulse role "owner"', rules: EDGE_IMPULSE.rules.role, value: 'owner',
    construct: edge({ keys: [{ name: 'k', role: 'owner' as never }] }), field: 'keys[0].role',
    manifest: `${EDGE_HEADER}    organizationId: 1\n    keys:\n      - name: k\n        role: owner\n`, path: 'organizations[0].keys[0].role', line: 9,
  },
  {
    name: 'an Edge Impulse organization id 0', rules: EDGE_IMPULSE.rules.organizationId, value: 0,
    construct: edge({ organizationId: 0 }), field: 'organizationId',
    manifest: `${EDGE_HEADER}    organizationId: 0\n`, path: 'organizations[0].organizationId', line: 6,
  },
  {
    name: 'an Edge Impulse time to live of 0 seconds', rules: EDGE_IMPULSE.rules.ttlSeconds, value: 0,
    construct: edge({ keys: [{ name: 'k', role: 'admin', ttlSeconds: 0 }] }), field: 'keys[0].ttlSeconds',
    manifest: `${EDGE_HEADER}    organizationId: 1\n    keys:\n      - name: k\n        role: admin\n        ttlSeconds: 0\n`, path: 'organizations[0].keys[0].ttlSeconds', line: 10,
  },
  {
    name: 'an Atlas organization id "x"', rules: ATLAS.rules.organizationId, value: 'x',
    construct: atlas({ organizationId: 'x' }), field: 'organizationId',
    manifest: `${ATLAS_HEADER}    organizationId: x\n`, path: 'organizations[0].organizationId', line: 5,
  },
  {
    name: 'an Atlas role "owner"', rules: ATLAS.rules.roles, value: ['owner'],
    construct: atlas({ keys: [{ name: 'k', roles: ['owner'] }] }), field: 'keys[0].roles',
    manifest: `${ATLAS_HEADER}    organizationId: ${ATLAS_ORG}\n    keys:\n      - name: k\n        roles: [owner]\n`, path: 'organizations[0].keys[0].roles', line: 8,
  },
  {
    name: 'an Atlas key without roles', rules: ATLAS.rules.roles, value: [],
    construct: atlas({ keys: [{ name: 'k', roles: [] }] }), field: 'keys[0].roles',
    manifest: `${ATLAS_HEADER}    organizationId: ${ATLAS_ORG}\n    keys:\n      - name: k\n        roles: []\n`, path: 'organizations[0].keys[0].roles', line: 8,
  },
  {
    name: 'an Atlas description of 300 characters', rules: ATLAS.rules.keyDescription, value: LONG_NAME,
    construct: atlas({ keys: [{ name: 'k', description: LONG_NAME, roles: ['ORG_READ_ONLY'] }] }), field: 'keys[0].description',
    manifest: `${ATLAS_HEADER}    organizationId: ${ATLAS_ORG}\n    keys:\n      - name: k\n        description: ${LONG_NAME}\n        roles: [ORG_READ_ONLY]\n`,
    path: 'organizations[0].keys[0].description', line: 8,
  },
  {
    name: 'an Atlas API version "v3"', rules: ATLAS.rules.apiVersion, value: 'v3',
    construct: atlas({ apiVersion: 'v3' as never }), field: 'apiVersion',
    manifest: `${ATLAS_HEADER}    organizationId: ${ATLAS_ORG}\n    apiVersion: v3\n`, path: 'organizations[0].apiVersion', line: 6,
  },
];

describe('the same bad value, the same sentence, in the constructs, the manifest and the provider', () => {
  test.each(CASES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const sentence = firstProblem(entry.rules, entry.value);
    expect(sentence).toMatch(/^(must|contains) .+\.$/);

    const props = thrown(PropsValidationError, () => synthStack(entry.construct));
    expect(props.problems).toEqual([`${entry.field} ${sentence}`]);

    const manifest = thrown(ManifestError, () => parseManifest(`version: 1\norganizations:\n${entry.manifest}`, 'keys.yaml'));
    expect(manifest.issues.map((issue) => `${issue.file}:${issue.line} ${issue.path}: ${issue.message}`))
      .toEqual([`keys.yaml:${entry.line} ${entry.path}: ${sentence}`]);
  });

  test('both errors belong to the APIKEYS_ERR_* family, with stable codes', () => {
    const props = thrown(PropsValidationError, () => synthStack(CASES[0].construct));
    expect(props).toBeInstanceOf(ApiKeysError);
    expect(props.code).toBe('APIKEYS_ERR_PROPS');
    expect(props.name).toBe('PropsValidationError');
    const manifest = thrown(ManifestError, () => parseManifest(`version: 1\norganizations:\n${CASES[0].manifest}`, 'keys.yaml'));
    expect(manifest).toBeInstanceOf(ApiKeysError);
    expect(manifest.code).toBe('APIKEYS_ERR_MANIFEST');
    expect(manifest.name).toBe('ManifestError');
    expect(manifest.issues[0]).toMatchObject({ file: 'keys.yaml', line: 7 });
  });
});
