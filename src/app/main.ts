/**
 * The repository's own CDKTF app (cdktf.json runs it): one stack, "apikeys",
 * holding the keys of one manifest.
 *
 * Manifest: --manifest <path>, else $APIKEYS_MANIFEST, else examples/apikeys.yaml.
 * State: $APIKEYS_STATE_FILE when set (the demo uses a scratch file), else
 * cdktf's default local state, terraform.apikeys.tfstate.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { resolve } from 'node:path';
import { ManifestError, loadManifestFile } from '../../lib/manifest/loader';
import { ManifestKeys } from '../../lib/manifest/manifest-keys';
import { DEFAULT_MANIFEST, STACK_NAME } from './main-constants';


function manifestPath(argv: string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.indexOf('--manifest');
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1];
  return env.APIKEYS_MANIFEST || DEFAULT_MANIFEST;
}

function main(): void {
  const app = new App();
  const stack = new TerraformStack(app, STACK_NAME);
  if (process.env.APIKEYS_STATE_FILE) new LocalBackend(stack, { path: resolve(process.env.APIKEYS_STATE_FILE) });
  try {
    new ManifestKeys(stack, 'keys', { manifest: loadManifestFile(manifestPath(process.argv, process.env)) });
  } catch (error) {
    if (!(error instanceof ManifestError) && !(error instanceof Error && 'problems' in error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  app.synth();
}

main();
