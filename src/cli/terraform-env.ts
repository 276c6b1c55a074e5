import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_SHARE_DIR } from './paths';
import { ensurePrivateDirectory } from './private-files';

/**
 * The environment every Terraform and cdktf run of ours gets:
 * - the provider comes from this package's implied local mirror
 *   ($XDG_DATA_HOME/terraform/plugins), never from a registry;
 * - no telemetry or version checks (CHECKPOINT_DISABLE, DISABLE_VERSION_CHECK);
 * - a CLI config file we control, so a user's ~/.terraformrc (or a
 *   TF_CLI_CONFIG_FILE pointing nowhere) cannot change provider installation;
 * - no shared plugin cache: cdktf otherwise points TF_PLUGIN_CACHE_DIR at
 *   ~/.terraform.d/plugin-cache, where another checkout's build of the same
 *   provider version would replace ours under a running plan.
 * `workDir` holds that config; it is created (or tightened) as 0700.
 */
export function terraformEnvironment(workDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  ensurePrivateDirectory(workDir);
  const cliConfig = join(workDir, 'terraform.rc');
  writeFileSync(cliConfig, '# Written by apikeys: an empty CLI configuration, so only implied local mirrors are used.\n', { mode: 0o600 });
  const { TF_PLUGIN_CACHE_DIR: _sharedCache, ...inherited } = process.env;
  return {
    ...inherited,
    XDG_DATA_HOME: PROVIDER_SHARE_DIR,
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: '1',
    TF_IN_AUTOMATION: '1',
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
    ...extra,
  };
}
