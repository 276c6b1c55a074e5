/**
 * The `apikeys` command: init, deploy, drift, install-provider, emulator, demo.
 *
 * Conventions: `--help` (or `apikeys help <command>`) prints help and exits 0
 * without running anything; `--version` prints the package version. Exit
 * codes follow one rule (failure.ts): 0 clean, 2 findings (drift), 1 any
 * error, including a usage error (an unknown or missing command or option,
 * with the usage). An error is one message and no stack trace
 * (APIKEYS_DEBUG=1 adds the stack); with --json it is also a JSON error
 * object on stdout, and a command with a step summary writes the cause there.
 */
import { VENDOR_FACTS } from '../core/facts';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { demoCommand } from './demo-command';
import { deployCommand } from './deploy-command';
import { driftCommand } from './drift-command';
import { emulatorCommand } from './emulator-command';
import { UsageError } from '../core/errors';
import { appendStepSummary, EXIT, failureMarkdown, failureReport, failureText } from './failure';
import { initCommand } from './init-command';
import { installProviderCommand } from './install-provider-command';
import { PACKAGE_VERSION } from './paths';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  readonly summary: string;
  /** Full help: usage line, description, options. */
  readonly help: string;
  readonly options: Options;
  /** String options that may also stand alone: a bare `--app` means `--app=` (an empty value). */
  readonly optionalValues?: readonly string[];
  /** Its failures go to the GitHub Actions step summary too, as its results do. */
  readonly stepSummary?: boolean;
  run(values: Values): Promise<number>;
}

const COMMON_HELP = `  -h, --help                 show this help
  -v, --version              show the version`;

const COMMANDS: Record<string, Command> = {
  init: {
    summary: 'scaffold a CDKTF (or CDK Terrain) TypeScript app for your keys in this directory',
    help: `usage: apikeys init [--cdk cdktf|cdktn] [--force]

Run in a project made with "npm init -y" where @cdktf-apikeys/apikeys, cdktf and
constructs are installed. Writes cdktf.json, main.ts (a stack from keys.yaml plus
one organization declared in code), tsconfig.json, keys.yaml (commented) and
.gitignore (state, cdktf.out, .terraform), and adds to package.json what the app
needs (TypeScript 5.9 and ts-node; the framework when missing; deploy and drift
scripts under umask 077). Then run npm install.

  --cdk cdktf|cdktn          the framework main.ts imports: CDKTF, or CDK Terrain (cdktn,
                             Node.js 22.19 or later); default: the one package.json
                             depends on, else cdktf
  --force                    overwrite those files when they exist (default: refuse, write nothing)
${COMMON_HELP}
`,
    options: { cdk: { type: 'string' }, force: { type: 'boolean' } },
    run: async (values) => initCommand({ projectDir: process.cwd(), cdk: values.cdk as string | undefined, force: values.force === true }),
  },
  deploy: {
    summary: 'synthesize a CDKTF app, then terraform init and apply its stack (no cdktf-cli)',
    help: `usage: apikeys deploy [--stack NAME] [--auto-approve] [--manifest PATH] [--app CMD] [--output DIR]

Run in a CDKTF project (the directory holding cdktf.json). Synthesizes the app as
drift does (cdktf-cli is not needed), then runs terraform init and terraform apply
in the stack, with this package's provider, under umask 077: the state, its
backups and plans hold the secrets and are written owner-only. Without
--auto-approve, Terraform shows the plan and asks first (on a terminal only).

Exit status: 0 applied, 1 error.

  --stack NAME               the stack to deploy (required when the app has several)
  --auto-approve             apply without asking (required when not on a terminal)
  --manifest PATH            sets APIKEYS_MANIFEST for the app, which must read it
  --app CMD                  synthesize with CMD instead of cdktf.json's "app"
  --output DIR               synthesize into DIR instead of cdktf.json's "output" (cdktf.out)
${COMMON_HELP}
`,
    options: {
      stack: { type: 'string' }, 'auto-approve': { type: 'boolean' }, manifest: { type: 'string' }, app: { type: 'string' }, output: { type: 'string' },
    },
    run: (values) => deployCommand({
      projectDir: process.cwd(),
      stack: values.stack as string | undefined,
      autoApprove: values['auto-approve'] === true,
      manifest: values.manifest as string | undefined,
      app: values.app as string | undefined,
      output: values.output as string | undefined,
    }),
  },
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
  --manifest PATH            sets APIKEYS_MANIFEST for the app, which must read it
  --json                     print only a JSON report on stdout: per resource the change,
                             address, family and organization; undeclared keys; no secrets.
                             On an error: {"error": {"code", "message"}, "exitCode": 1}
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
    stepSummary: true,
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
    // node:util's messages name the option; ours add the command's usage.
    throw new UsageError(`${name}: ${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`, {
      hint: `${COMMANDS[name].help.split('\n')[0]}\nRun "apikeys ${name} --help" for its options.`,
    });
  }
}

function unknownCommand(name: string | undefined): UsageError {
  return new UsageError(name === undefined ? 'no command given' : `unknown command "${name}"`, { hint: USAGE.trimEnd() });
}

/** What a command line asks for: help, the version, or a command with its values. */
function dispatch(argv: string[]): { command?: Command; values: Values; output?: string } {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') return { values: {}, output: USAGE };
  if (first === '--version' || first === '-v') return { values: {}, output: `${PACKAGE_VERSION}\n` };
  if (first === 'help') {
    const topic = rest[0] === undefined ? undefined : Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    if (rest[0] !== undefined && !topic) throw unknownCommand(rest[0]);
    return { values: {}, output: topic ? topic.help : USAGE };
  }
  const command = first !== undefined && Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) throw unknownCommand(first);
  const values = parse(first!, withOptionalValues(rest, command.optionalValues), command.options);
  if (values.help) return { values, output: command.help };
  if (values.version) return { values, output: `${PACKAGE_VERSION}\n` };
  return { command, values };
}

async function main(argv: string[]): Promise<number> {
  try {
    const request = dispatch(argv);
    if (request.output !== undefined) {
      process.stdout.write(request.output);
      return EXIT.ok;
    }
    return await request.command!.run(request.values);
  } catch (error) {
    const report = failureReport(error);
    // --json keeps its promise on failure too: stdout holds one JSON object.
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (Object.hasOwn(COMMANDS, argv[0] ?? '') && COMMANDS[argv[0]].stepSummary) appendStepSummary(failureMarkdown(`apikeys ${argv[0]}`, report));
    process.stderr.write(failureText(error));
    return EXIT.error;
  }
}

/** A bare `--name` of an option that takes an optional value (at the end, or before another option) becomes `--name=`. */
function withOptionalValues(args: string[], names: readonly string[] = []): string[] {
  return args.map((arg, index) => (names.some((name) => arg === `--${name}`) && (index === args.length - 1 || args[index + 1].startsWith('-')) ? `${arg}=` : arg));
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
