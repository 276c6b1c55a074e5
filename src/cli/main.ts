/**
 * The `apikeys` command.
 *
 *   apikeys emulator [--port N] [--manifest PATH]   local vendor emulator (first stdout line: JSON description)
 *   apikeys demo                            the whole pipeline against the emulator (npm start)
 *   apikeys drift [--manifest PATH]         synth + terraform plan -detailed-exitcode (0 in sync, 2 drift)
 *   apikeys install-provider [--plugin-dir DIR] [--from ZIP|DIR]   put the provider into a Terraform implied local mirror
 */
import { parseArgs } from 'node:util';
import { demoCommand } from './demo-command';
import { driftCommand } from './drift-command';
import { emulatorCommand } from './emulator-command';
import { installProviderCommand } from './install-provider-command';

const USAGE = `usage: apikeys <command>

  emulator [--port N] [--manifest P]   run the local vendor emulator on 127.0.0.1 (with a manifest's organizations)
  demo                                 deploy, drift and heal the example manifest against the emulator
  drift [--manifest PATH]              plan the manifest; exit 0 in sync, 2 drift, 1 error
  install-provider [--plugin-dir DIR] [--from ZIP|DIR]
                                       install the Terraform provider (default ~/.terraform.d/plugins), from this
                                       package or from release archives
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { port: { type: 'string' }, manifest: { type: 'string' }, 'plugin-dir': { type: 'string' }, from: { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: false,
  });
  switch (command) {
    case 'emulator': {
      const port = Number(values.port ?? 0);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535 (got ${values.port})`);
      await emulatorCommand({ port, manifest: values.manifest });
      return 0;
    }
    case 'demo':
      return demoCommand();
    case 'drift':
      return driftCommand({ manifest: values.manifest });
    case 'install-provider':
      installProviderCommand({ pluginDir: values['plugin-dir'], from: values.from });
      return 0;
    default:
      process.stdout.write(USAGE);
      return command === undefined || values.help ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`apikeys: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
