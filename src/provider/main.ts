/**
 * terraform-provider-apikeys: the executable Terraform starts. The build
 * bundles this file and everything it imports into one file with a node
 * shebang, installed into a Terraform plugin mirror.
 */
import { CreateLedger } from '../reconcile/create-ledger';
import { redact } from '../core/security/redaction';
import { ProviderServer } from './framework/provider-server';
import { logger } from './log';
import { startPluginServer } from './protocol/grpc-server';
import { LaunchError, readLaunchSettings } from './protocol/handshake';
import { watchTerraform } from './protocol/terraform-watch';
import { apiKeysProvider } from './provider';

/** How long revocations may take once Terraform has gone, and when the process leaves regardless. */
const TERRAFORM_GONE_REVOKE_MS = 1_500;
const TERRAFORM_GONE_EXIT_MS = 1_900;

async function main(): Promise<void> {
  let launch;
  try {
    launch = readLaunchSettings(process.env);
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const server = new ProviderServer(apiKeysProvider, new CreateLedger(logger));
  // Ctrl-C reaches every process in Terraform's group. Like go-plugin's own plugins, ignore it:
  // Terraform stops us through StopProvider after in-flight applies finish, so a create that the
  // vendor has completed still returns its secret to state instead of dying with this process.
  process.on('SIGINT', () => logger.debug('ignoring SIGINT; Terraform stops the provider through StopProvider'));
  // A SIGTERM to the whole process group (a cancelled CI job) also reaches Terraform, which then stops us
  // gracefully. Leave at once only when no create is in flight or undelivered; otherwise its key would be lost.
  process.on('SIGTERM', () => {
    if (!server.ledger.busy) process.exit(0);
    logger.warn('SIGTERM while a create is in flight: waiting for Terraform to stop the provider');
  });
  // Once Terraform is gone its end of the stderr pipe is closed: a log line must not crash the revocations.
  process.stderr.on('error', () => undefined);
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { error: redact(reason instanceof Error ? reason.message : String(reason)) });
  });
  const running = await startPluginServer(server, launch, {
    onShutdown: () => process.exit(0),
  });
  // Terraform killed mid-apply: nobody will save what this process created, and nobody will stop it. Undo, then leave.
  watchTerraform(() => {
    setTimeout(() => process.exit(0), TERRAFORM_GONE_EXIT_MS).unref();
    void server.ledger.terraformGone(TERRAFORM_GONE_REVOKE_MS).then((report) => {
      logger.warn('Terraform has gone; exiting', { revoked: report.revoked.length, failed: report.failed.length, unfinished: report.unfinished });
      process.exit(0);
    });
  });
  // The handshake line is the only thing this process ever writes to stdout.
  process.stdout.write(`${running.handshake}\n`);
}

void main();
