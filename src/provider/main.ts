/**
 * terraform-provider-apikeys: the executable Terraform starts. The build
 * bundles this file and everything it imports into one file with a node
 * shebang, installed into a Terraform plugin mirror.
 */
import { redact } from '../vendors/http/redaction';
import { ProviderServer } from './framework/provider-server';
import { logger } from './log';
import { startPluginServer } from './protocol/grpc-server';
import { LaunchError, readLaunchSettings } from './protocol/handshake';
import { apiKeysProvider } from './provider';

async function main(): Promise<void> {
  let launch;
  try {
    launch = readLaunchSettings(process.env);
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // Ctrl-C reaches every process in Terraform's group. Like go-plugin's own plugins, ignore it:
  // Terraform stops us through StopProvider after in-flight applies finish, so a create that the
  // vendor has completed still returns its secret to state instead of dying with this process.
  process.on('SIGINT', () => logger.debug('ignoring SIGINT; Terraform stops the provider through StopProvider'));
  process.on('SIGTERM', () => process.exit(0));
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { error: redact(reason instanceof Error ? reason.message : String(reason)) });
  });
  const running = await startPluginServer(new ProviderServer(apiKeysProvider), launch, {
    onShutdown: () => process.exit(0),
  });
  // The handshake line is the only thing this process ever writes to stdout.
  process.stdout.write(`${running.handshake}\n`);
}

void main();
