import { cpSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { assertProviderBuilt, PACKAGE_VERSION, PROVIDER_PLUGINS_DIR } from './paths';

/**
 * `apikeys install-provider [--plugin-dir DIR]`: copies the provider into a
 * Terraform implied local mirror, by default ~/.terraform.d/plugins, where
 * `terraform init` finds it offline for `source = "cdktf-apikeys/apikeys"`.
 */
export function installProviderCommand(options: { pluginDir?: string }): void {
  assertProviderBuilt();
  const target = options.pluginDir ?? join(homedir(), '.terraform.d', 'plugins');
  cpSync(PROVIDER_PLUGINS_DIR, target, { recursive: true });
  const installed = join(target, 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION);
  if (!existsSync(installed)) throw new Error(`install-provider: nothing was copied to ${installed}`);
  process.stdout.write([
    `Installed terraform-provider-apikeys v${PACKAGE_VERSION} into ${installed}`,
    '',
    'Use it with:',
    '  terraform {',
    '    required_providers {',
    `      apikeys = { source = "cdktf-apikeys/apikeys", version = "${PACKAGE_VERSION}" }`,
    '    }',
    '  }',
    '',
    'terraform init finds it there without any registry. It needs node (>= 20) on PATH.',
    '',
  ].join('\n'));
}
