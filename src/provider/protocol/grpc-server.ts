import { redact } from '../../core/security/redaction';
import type { ProviderServer } from '../framework/provider-server';
import { logger, logs } from '../log';
import { createServerIdentity } from './certificate';
import { GRPC_CONTROLLER_SERVICE } from './go-plugin.generated';
import { GrpcError, GrpcStatus } from './grpc-framing';
import { handshakeLine, type LaunchSettings } from './handshake';
import { bindService, startGrpcServer, type CallContext, type UnaryHandlers } from './http2-grpc';
import { PROVIDER_SERVICE, type ApplyResourceChangeRequest, type ApplyResourceChangeResponse, type ProviderMethods } from './tfplugin6.generated';

/**
 * Serves a ProviderServer the way go-plugin expects: tfplugin6.Provider and
 * the controller's Shutdown over gRPC (http2-grpc.ts), mutual TLS against the
 * certificate Terraform pins, and the handshake line.
 */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024; // Terraform's own limit

export interface RunningPlugin {
  port: number;
  handshake: string;
  close(): Promise<void>;
}

export async function startPluginServer(
  provider: ProviderServer<unknown>,
  launch: LaunchSettings,
  options: { onShutdown?: () => void } = {},
): Promise<RunningPlugin> {
  const handlers: UnaryHandlers<ProviderMethods> = {
    GetMetadata: () => provider.getMetadata(),
    GetProviderSchema: () => provider.getProviderSchema(),
    ValidateProviderConfig: (request) => provider.validateProviderConfig(request),
    ValidateResourceConfig: (request) => provider.validateResourceConfig(request),
    ValidateDataResourceConfig: (request) => provider.validateDataResourceConfig(request),
    UpgradeResourceState: (request) => provider.upgradeResourceState(request),
    ConfigureProvider: (request) => provider.configureProvider(request),
    ReadResource: (request) => provider.readResource(request),
    PlanResourceChange: (request) => provider.planResourceChange(request),
    ApplyResourceChange: (request, call) => applyWithDelivery(provider, request, call),
    ImportResourceState: (request) => provider.importResourceState(request),
    ReadDataSource: (request) => provider.readDataSource(request),
    StopProvider: () => provider.stopProvider(),
  };
  const identity = launch.clientCertificatePem ? createServerIdentity() : undefined;
  const server = await startGrpcServer([
    bindService(PROVIDER_SERVICE, logged(handlers)),
    bindService(GRPC_CONTROLLER_SERVICE, {
      // Answer first, then leave: go-plugin otherwise waits two seconds before killing us. Leave also when
      // the answer cannot be sent: Terraform asked us to go.
      Shutdown: (request, call) => {
        const leave = () => options.onShutdown?.();
        call.afterAnswer(leave);
        call.signal.addEventListener('abort', leave, { once: true });
        return {};
      },
    }),
  ], {
    maxMessageBytes: MAX_MESSAGE_BYTES,
    tls: identity && { certificatePem: identity.certificatePem, privateKeyPem: identity.privateKeyPem, clientCertificatePem: launch.clientCertificatePem! },
    onConnectionError: (error) => logger.debug('plugin connection failed', { error: redact(error.message) }),
    onCallError: (method, error) => logger.error('rpc failed in the gRPC layer', { rpc: method, error: redact(error instanceof Error ? error.message : String(error)) }),
  });
  return { port: server.port, handshake: handshakeLine(server.port, identity?.certificateDer), close: () => server.close() };
}

/**
 * An ApplyResourceChange whose answer Terraform can no longer receive (the
 * call was cancelled: Terraform died or dropped the connection) must not
 * leave a key behind: its receipt revokes what the call created. Otherwise
 * the receipt is marked delivered once the answer has been sent.
 */
async function applyWithDelivery(
  provider: ProviderServer<unknown>, request: ApplyResourceChangeRequest, call: CallContext,
): Promise<ApplyResourceChangeResponse> {
  const receipt = provider.ledger.receipt();
  call.signal.addEventListener('abort', () => receipt.undeliverable(), { once: true });
  if (call.signal.aborted) receipt.undeliverable();
  try {
    const response = await provider.applyResourceChange(request, receipt);
    call.afterAnswer(() => receipt.delivered());
    return response;
  } catch (error) {
    receipt.delivered(); // the error answer carries no key
    throw error;
  }
}

/** Each call timed when trace lines are written; a handler's failure logged (redacted) and answered INTERNAL with its cause. */
function logged<Methods>(handlers: UnaryHandlers<Methods>): UnaryHandlers<Methods> {
  type Handler = (request: { type_name?: string }, call: CallContext) => unknown;
  const wrapped: Record<string, Handler> = {};
  const timed = logs('trace');
  for (const [name, handler] of Object.entries(handlers) as [string, Handler][]) {
    wrapped[name] = async (request, call) => {
      const started = timed ? process.hrtime.bigint() : 0n;
      try {
        const response = await handler(request, call);
        if (timed) logger.trace('rpc', { rpc: name, type: request.type_name, ms: Number(process.hrtime.bigint() - started) / 1e6 });
        return response;
      } catch (error) {
        const message = redact(error instanceof Error ? error.message : String(error));
        logger.error('rpc failed', { rpc: name, error: message });
        throw new GrpcError(GrpcStatus.INTERNAL, `apikeys provider: ${name} failed: ${message}`);
      }
    };
  }
  return wrapped as UnaryHandlers<Methods>;
}
