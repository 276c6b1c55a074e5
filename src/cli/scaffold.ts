/**
 * The files `apikeys init` writes: a CDKTF (or CDK Terrain) TypeScript app
 * that deploys keys.yaml and one organization declared in code, ready for
 * `npm install` and `apikeys deploy`.
 */
import type { CdkFramework } from '../../lib/cdk';
import { CREDENTIAL_ENV_SUFFIXES } from '../core/security/policy';

export type { CdkFramework };

export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

/** What the app needs besides this package, per framework, at versions that work together (CDK Terrain 0.24 accepts constructs < 10.8). */
export const FRAMEWORK_DEPENDENCIES: Record<CdkFramework, Record<string, string>> = {
  cdktf: { cdktf: '0.21.0', constructs: '10.8.1' },
  cdktn: { cdktn: '0.24.0', constructs: '10.7.0' },
};

/** The scripts `apikeys init` adds: owner-only files (umask 077) for anything that writes state. */
export const SCAFFOLD_SCRIPTS: Record<string, string> = {
  deploy: 'umask 077 && apikeys deploy',
  drift: 'umask 077 && apikeys drift',
};

const STACK = 'keys';

const mainTs = (framework: CdkFramework): string => `// Your vendors' API keys as code: keys.yaml, plus organizations declared here.
// \`npx apikeys deploy\` synthesizes this app and applies it with Terraform (no cdktf-cli needed);
// \`npx apikeys drift\` exits 0 while the vendors match it, 2 on drift, 1 on an error.
// The state (terraform.${STACK}.tfstate) holds every secret: apikeys writes it owner-only (umask 077);
// \`${framework} deploy\` and \`terraform apply\` write it readable by all unless you run \`umask 077\` first.
import { App, TerraformStack } from '${framework}';
import type { Construct } from 'constructs';
import { EdgeImpulseOrganization, ManifestKeys, loadManifestFile } from '@cdktf-apikeys/apikeys';

class KeysStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every organization of the manifest. \`apikeys drift --manifest FILE\` sets APIKEYS_MANIFEST to check another one.
    new ManifestKeys(this, 'manifest', { manifest: loadManifestFile(process.env.APIKEYS_MANIFEST || 'keys.yaml') });

    // An organization declared in code, with typed props: at synthesis, every problem of every
    // construct is reported at once, with its construct path and the fix.
    new EdgeImpulseOrganization(this, 'acme-edge', {
      organizationId: 4242, // the Edge Impulse organization's id
      apiKeyEnv: 'ACME_EI_API_KEY', // the variable that holds its admin API key at deploy time (never the key itself)
      keys: [{ name: 'ci-model-upload', role: 'member', ttlSeconds: 2592000 }],
      // Keys that exist at the vendor but are declared nowhere are drift (the key a deploy authenticates
      // with never counts). List those you expect, by id or name, such as keys another tool manages:
      // ignoreUndeclared: ['made-by-another-tool'],
    });
  }
}

const app = new App();
new KeysStack(app, '${STACK}');
app.synth();
`;

/** The suffixes credential variables must end with, from the vendors' facts: `*_OPENAI_ADMIN_KEY, …`. */
const SUFFIXES = [...new Set(Object.values(CREDENTIAL_ENV_SUFFIXES).flat())].map((suffix) => `*_${suffix}`).join(', ');

const KEYS_YAML = `# yaml-language-server: $schema=./node_modules/@cdktf-apikeys/apikeys/schema/manifest.schema.json
# The API keys each organization should have. \`npx apikeys deploy\` makes it so; \`npx apikeys drift\` checks it.
# No secrets in this file: each organization names the environment variable that holds its credential at
# deploy time, and that name must end with the credential's suffix:
# ${SUFFIXES}.
# Every vendor, commented: node_modules/@cdktf-apikeys/apikeys/examples/apikeys.yaml
version: 1
organizations:
  - name: acme-openai                   # names the provider connection, the Terraform addresses and the outputs
    vendor: openai
    adminKeyEnv: ACME_OPENAI_ADMIN_KEY  # the variable holding this organization's admin key
    adminKeys:
      - name: ci-deployer
        expiresInSeconds: 7776000       # 90 days; leave out for a key that never expires
    # Keys that exist at the vendor but are declared nowhere are drift (a plan warning; \`apikeys drift\` exits 2);
    # the key a deploy authenticates with never counts. List those you expect, by id or name:
    # ignoreUndeclared: [made-by-another-tool]
    # Project keys, each made through a service account of that name:
    # projects:
    #   - id: proj_abc123
    #     keys:
    #       - name: checkout-service
`;

const GITIGNORE = `node_modules/
# Synthesized configuration, and Terraform's working files inside it
cdktf.out/
.terraform/
# Terraform state holds every secret the deploys create: never commit it
*.tfstate
*.tfstate.*
`;

const tsconfig = (framework: CdkFramework): string => `${JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    lib: ['ES2022'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    // The library's declarations name cdktf; in a CDK Terrain app that is CDK Terrain (the library loads it at run time).
    ...(framework === 'cdktn' ? { paths: { cdktf: ['./node_modules/cdktn'] } } : {}),
  },
  include: ['main.ts'],
}, null, 2)}\n`;

const cdktfJson = (projectId: string): string => `${JSON.stringify({
  language: 'typescript',
  app: 'npx ts-node main.ts',
  projectId,
  sendCrashReports: 'false',
  terraformProviders: [],
  terraformModules: [],
  context: {},
}, null, 2)}\n`;

export function scaffoldFiles(framework: CdkFramework, projectId: string): ScaffoldFile[] {
  return [
    { path: 'cdktf.json', content: cdktfJson(projectId) },
    { path: 'main.ts', content: mainTs(framework) },
    { path: 'tsconfig.json', content: tsconfig(framework) },
    { path: 'keys.yaml', content: KEYS_YAML },
    { path: '.gitignore', content: GITIGNORE },
  ];
}
