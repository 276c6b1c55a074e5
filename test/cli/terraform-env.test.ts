/**
 * The environment of every Terraform and cdktf run of the CLI
 * (src/cli/terraform-env.ts): this package's provider mirror, a CLI
 * configuration it controls, no telemetry, no shared plugin cache.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_SHARE_DIR } from '../../src/cli/paths';
import { terraformEnvironment } from '../../src/cli/terraform-env';

let root: string;
const saved = { ...process.env };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'apikeys-tf-env-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  process.env = { ...saved };
});

describe('terraformEnvironment', () => {
  test('the provider from this package\'s mirror, our own empty CLI config, and no checkpoint calls', () => {
    const work = join(root, 'work');
    const env = terraformEnvironment(work);
    expect(env).toMatchObject({
      XDG_DATA_HOME: PROVIDER_SHARE_DIR, TF_CLI_CONFIG_FILE: join(work, 'terraform.rc'), CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1',
      TF_IN_AUTOMATION: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
    });
    expect(readFileSync(join(work, 'terraform.rc'), 'utf8')).toMatch(/^# Written by apikeys: an empty CLI configuration/);
    expect(readFileSync(join(work, 'terraform.rc'), 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'))).toEqual([]);
  });

  test('a user\'s TF_CLI_CONFIG_FILE and XDG_DATA_HOME are replaced, a shared plugin cache dropped; the rest is inherited, and extras win', () => {
    process.env.TF_CLI_CONFIG_FILE = '/home/user/.terraformrc';
    process.env.XDG_DATA_HOME = '/home/user/.local/share';
    process.env.TF_PLUGIN_CACHE_DIR = '/home/user/.terraform.d/plugin-cache';
    process.env.APIKEYS_UNIT_PROBE = 'inherited';
    const env = terraformEnvironment(join(root, 'work'), { APIKEYS_MANIFEST: '/p/keys.yaml', CHECKPOINT_DISABLE: '0' });
    expect(env.TF_CLI_CONFIG_FILE).toBe(join(root, 'work', 'terraform.rc'));
    expect(env.XDG_DATA_HOME).toBe(PROVIDER_SHARE_DIR);
    expect('TF_PLUGIN_CACHE_DIR' in env).toBe(false);
    expect(env).toMatchObject({ APIKEYS_UNIT_PROBE: 'inherited', APIKEYS_MANIFEST: '/p/keys.yaml', CHECKPOINT_DISABLE: '0' });
    expect(process.env.TF_PLUGIN_CACHE_DIR).toBe('/home/user/.terraform.d/plugin-cache');
  });

  test('the work directory is private (made 0700, or tightened), and so is the config file', () => {
    const work = join(root, 'loose');
    mkdirSync(work);
    chmodSync(work, 0o755);
    terraformEnvironment(work);
    expect(statSync(work).mode & 0o777).toBe(0o700);
    expect(statSync(join(work, 'terraform.rc')).mode & 0o777).toBe(0o600);
  });
});
