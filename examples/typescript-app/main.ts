// A CDKTF app using @cdktf-apikeys/apikeys as an ordinary dependency: keys from a manifest
// (keys.yaml) and keys declared in code with typed constructs, in one stack.
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ManifestKeys, OpenAiOrganization, loadManifestFile } from '@cdktf-apikeys/apikeys';

class KeysStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Edge Impulse and Atlas: from the manifest, which every problem is reported for with file:line.
    new ManifestKeys(this, 'manifest', { manifest: loadManifestFile(join(__dirname, 'keys.yaml')) });
    // OpenAI: in code. The credential's variable name ends with the kind's suffix (_OPENAI_ADMIN_KEY).
    new OpenAiOrganization(this, 'acme-openai', {
      adminKeyEnv: 'ACME_OPENAI_ADMIN_KEY',
      adminKeys: [{ name: 'ci-deployer', expiresInSeconds: 7776000 }, { name: 'cost-reporting' }],
      ignoreUndeclared: ['emulator bootstrap admin key'], // the key the deploy authenticates with
    });
  }
}

const app = new App();
new KeysStack(app, 'keys');
app.synth();
