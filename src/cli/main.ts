/**
 * The `apikeys` command: emulator, demo, drift, install-provider.
 *
 * Conventions: `--help` (or `apikeys help <command>`) prints help and exits 0
 * without running anything; `--version` prints the package version; an
 * unknown or missing command exits 2; any other error exits 1 with one
 * message and no stack trace (APIKEYS_DEBUG=1 adds the stack). `drift` exits
 * 2 when it finds drift.
 */
import { VENDOR_FACTS } from '../core/facts';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { demoCommand } from './demo-command';
import { driftCommand } from './drift-command';
import { emulatorCommand } from './emulator-command';
import { UsageError } from '../core/errors';
import { installProviderCommand } from './install-provider-command';
import { PACKAGE_VERSION } from './paths';
import { redact } from '../core/security/redaction';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  readonly summary: string;
  /** Full help: usage line, description, options. */
  readonly help: string;
  readonly options: Options;
  /** String options that may also stand alone: a bare `--app` means `--app=` (an empty value). */
  readonly optionalValues?: readonly string[];
  run(values: Values): Promise<number>;
}

const COMMON_HELP = `  -h, --help                 show this help
  -v, --version              show the version`;

const COMMANDS: Record<string, Command> = {
  emulator: {
    summary: 'run the local vendor emulator on 127.0.0.1',
    help: `usage: apikeys emulator [--port N] [--manifest PATH] [--app [CMD]] [--stack NAME] [--output DIR]

Serves every emulated vendor (${VENDOR_FACTS.map((facts) => facts.label).join(', ')}) on 127.0.0.1
until interrupted. The first stdout line is one JSON object: each vendor's base
URL and the credentials it accepts; with --manifest or --app, the organizations
they declare exist, and "env" holds the environment a deploy needs (credentials
under the variable names chosen, base URLs, APIKEYS_ALLOWED_HOSTS). Control
routes (age keys, faults, requests, ...): GET /_emulator, or docs/emulator.md.

  --port N                   port to listen on (default 0: any free port)
  --manifest PATH            also create the organizations and projects this manifest names
                             (with --app: sets APIKEYS_MANIFEST for the app, as drift does)
  --app [CMD]                synthesize the CDKTF app in this directory (cdktf.json's "app",
                             or CMD) and create every organization and project its stacks
                             declare, in code or from a manifest
  --stack NAME               with --app: only this stack's organizations (default: every stack's)
  --output DIR               with --app: synthesize into DIR instead of cdktf.json's "output"
${COMMON_HELP}
`,
    options: { port: { type: 'string' }, manifest: { type: 'string' }, app: { type: 'string' }, stack: { type: 'string' }, output: { type: 'string' } },
    optionalValues: ['app'],
    async run(values) {
      const port = Number(values.port ?? 0);
      if (!/^\d+$/.test(String(values.port ?? 0)) || port > 65535) throw new UsageError(`--port must be a whole number 0..65535 (got "${values.port}")`);
      const app = values.app as string | undefined;
      for (const option of ['stack', 'output'] as const) {
        if (values[option] !== undefined && app === undefined) throw new UsageError(`--${option} needs --app`, { hint: 'Run "apikeys emulator --help".' });
      }
      await emulatorCommand({
        port,
        manifest: values.manifest as string | undefined,
        app: app === undefined ? undefined : {
          projectDir: process.cwd(), app: app === '' ? undefined : app, stack: values.stack as string | undefined, output: values.output as string | undefined,
        },
      });
      return 0;
    },
  },
  demo: {
    summary: 'deploy, drift and heal the example manifest against the emulator (npm start)',
    help: `usage: apikeys demo

Runs the whole story against the built-in emulator, with no accounts: deploys
examples/apikeys.yaml, changes keys behind Terraform's back, shows the drift in
terraform plan (exit 2), and heals it. Output and state go to .apikeys/demo/
(mode 0700), apart from any pipeline's cdktf.out. Exits 0 when every step
behaved as described.

${COMMON_HELP}
`,
    options: {},
    run: () => demoCommand(),
  },
  drift: {
    summary: 'synthesize a CDKTF app and plan it: exit 0 in sync, 2 drift, 1 error',
    help: `usage: apikeys drift [--stack NAME] [--manifest PATH] [--json] [--app CMD] [--output DIR] [--out PLANFILE]

Run in a CDKTF project (the directory holding cdktf.json). Synthesizes the app by
running its "app" command (cdktf-cli is not needed), then runs terraform init and
terraform plan -detailed-exitcode in the stack, with this package's provider.
Prints the plan and a summary line such as
  drift: 2 to create, 1 to update, 0 to replace, 0 to destroy, 1 undeclared key (stack apikeys)
Keys that exist at the vendor but that nobody declared count as drift.
When GITHUB_STEP_SUMMARY is set, appends a markdown summary to it.

Exit status: 0 in sync, 2 drift, 1 error.

  --stack NAME               the stack to check (required when the app has several)
  --manifest PATH            sets APIKEYS_MANIFEST for the app (the repository's app reads it)
  --json                     print only a JSON report on stdout: per resource the change,
                             address, family and organization; undeclared keys; no secrets
  --app CMD                  synthesize with CMD instead of cdktf.json's "app"
  --output DIR               synthesize into DIR instead of cdktf.json's "output" (cdktf.out)
  --out PLANFILE             keep the saved plan there (mode 0600; it can hold secrets);
                             by default it is written to a private temporary directory and deleted
${COMMON_HELP}
`,
    options: {
      stack: { type: 'string' }, manifest: { type: 'string' }, json: { type: 'boolean' },
      app: { type: 'string' }, output: { type: 'string' }, out: { type: 'string' },
    },
    run: (values) => driftCommand({
      projectDir: process.cwd(),
      stack: values.stack as string | undefined,
      manifest: values.manifest as string | undefined,
      json: values.json === true,
      app: values.app as string | undefined,
      output: values.output as string | undefined,
      out: values.out as string | undefined,
    }),
  },
  'install-provider': {
    summary: 'install the Terraform provider into a local mirror (default ~/.terraform.d/plugins)',
    help: `usage: apikeys install-provider [--plugin-dir DIR] [--from ZIP|DIR]

Puts the provider into a Terraform implied local mirror, where terraform init
finds it offline for source = "cdktf-apikeys/apikeys".

  --plugin-dir DIR           mirror directory (default ~/.terraform.d/plugins)
  --from ZIP|DIR             install release archives instead of the copy this package ships
${COMMON_HELP}
`,
    options: { 'plugin-dir': { type: 'string' }, from: { type: 'string' } },
    async run(values) {
      installProviderCommand({ pluginDir: values['plugin-dir'] as string | undefined, from: values.from as string | undefined });
      return 0;
    },
  },
};

const USAGE = `usage: apikeys <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(18)} ${command.summary}`).join('\n')}

Options:
${COMMON_HELP}

Run "apikeys <command> --help" for a command's options.
`;

const GLOBAL_OPTIONS: Options = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } };

function parse(name: string, args: string[], options: Options): Values {
  try {
    return parseArgs({ args, options: { ...options, ...GLOBAL_OPTIONS }, allowPositionals: false, strict: true }).values as Values;
  } catch (error) {
    // node:util's messages name the option; ours add where to look.
    throw new UsageError(`${name}: ${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`, { hint: `Run "apikeys ${name} --help".` });
  }
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    if (rest[0] !== undefined && !topic) return unknownCommand(rest[0]);
    process.stdout.write(topic ? topic.help : USAGE);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) return unknownCommand(first);
  const values = parse(first, withOptionalValues(rest, command.optionalValues), command.options);
  if (values.help) {
    process.stdout.write(command.help);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  return command.run(values);
}

/** A bare `--name` of an option that takes an optional value (at the end, or before another option) becomes `--name=`. */
function withOptionalValues(args: string[], names: readonly string[] = []): string[] {
  return args.map((arg, index) => (names.some((name) => arg === `--${name}`) && (index === args.length - 1 || args[index + 1].startsWith('-')) ? `${arg}=` : arg));
}

function unknownCommand(name: string): number {
  process.stderr.write(`apikeys: unknown command "${name}"\n\n${USAGE}`);
  return 2;
}

/**
 * One message per error, never a stack trace: input problems say what to
 * fix. APIKEYS_DEBUG=1 adds the stack, for debugging this package.
 */
function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof Error && 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined;
  // Our own errors (APIKEYS_ERR_* codes, manifest problems included) are complete; anything else may be a bug.
  const known = error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('APIKEYS_ERR');
  const debug = process.env.APIKEYS_DEBUG === '1';
  const lines = [`apikeys: ${message}`];
  if (hint) lines.push(`  ${hint}`);
  if (debug && error instanceof Error && error.stack) lines.push('', error.stack);
  else if (!known) lines.push('Set APIKEYS_DEBUG=1 to see where it happened.');
  process.stderr.write(`${redact(lines.join('\n'))}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    reportError(error);
    process.exitCode = 1;
  },
);
