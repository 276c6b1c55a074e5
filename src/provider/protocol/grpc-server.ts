import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { redact } from '../../vendors/http/redaction';
import type { ProviderServer } from '../framework/provider-server';
import { logger } from '../log';
import { createServerIdentity } from './certificate';
import { handshakeLine, type LaunchSettings } from './handshake';
import { loadProtocolServices } from './services';

/**
 * Serves a ProviderServer over gRPC the way go-plugin expects.
 *
 * Hand-written because no maintained Node.js library implements Terraform's
 * plugin protocol: grpc-js carries the calls, and this module adds what
 * go-plugin needs around them (mutual TLS against the pinned certificate,
 * the handshake line, the controller's Shutdown).
 */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024; // Terraform's own limit

type Handler = (request: Record<string, any>, call: ServerUnaryCall<Record<string, unknown>, object>) => object | Promise<object>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
  const services = loadProtocolServices();
  const server = new Server({ 'grpc.max_send_message_length': MAX_MESSAGE_BYTES, 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });

  const handlers: Record<string, Handler> = {
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
  server.addService(services.provider, wrapAll(handlers));
  server.addService(services.controller, wrapAll({
    Shutdown: () => {
      // Answer first, then leave: go-plugin otherwise waits two seconds before killing us.
      setImmediate(() => options.onShutdown?.());
      return {};
    },
  }));

  const identity = launch.clientCertificatePem ? createServerIdentity() : undefined;
  const credentials = identity
    ? ServerCredentials.createSsl(Buffer.from(launch.clientCertificatePem!), [
      { cert_chain: Buffer.from(identity.certificatePem), private_key: Buffer.from(identity.privateKeyPem) },
    ], true)
    : ServerCredentials.createInsecure();

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
  });
  return {
    port,
    handshake: handshakeLine(port, identity?.certificateDer),
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/**
 * An ApplyResourceChange whose answer Terraform can no longer receive (the
 * call was cancelled: Terraform died or dropped the connection) must not
 * leave a key behind: its receipt revokes what the call created. Otherwise
 * the receipt is marked delivered once the answer has been handed to gRPC.
 */
async function applyWithDelivery(
  provider: ProviderServer<unknown>, request: Record<string, unknown>, call: ServerUnaryCall<Record<string, unknown>, object>,
): Promise<object> {
  const receipt = provider.ledger.receipt();
  const cancelled = () => receipt.undeliverable();
  call.once('cancelled', cancelled);
  try {
    const response = await provider.applyResourceChange(request, receipt);
    deliveries.set(response, receipt);
    return response;
  } catch (error) {
    receipt.delivered(); // the error answer carries no key
    throw error;
  } finally {
    if (call.cancelled) receipt.undeliverable();
  }
}

/** Receipts waiting for their answer to be handed to gRPC. */
const deliveries = new WeakMap<object, { delivered(): void; undeliverable(): void }>();

function wrapAll(handlers: Record<string, Handler>): UntypedServiceImplementation {
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, wrap(name, handler)]));
}

function wrap(name: string, handler: Handler) {
  return (call: ServerUnaryCall<Record<string, unknown>, object>, callback: sendUnaryData<object>): void => {
    const started = process.hrtime.bigint();
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then((response) => {
        logger.trace('rpc', { rpc: name, type: call.request?.type_name, ms: Number(process.hrtime.bigint() - started) / 1e6 });
        const receipt = deliveries.get(response);
        if (receipt && call.cancelled) {
          receipt.undeliverable();
          return;
        }
        callback(null, response);
        receipt?.delivered();
      })
      .catch((error: unknown) => {
        const message = redact(error instanceof Error ? error.message : String(error));
        logger.error('rpc failed', { rpc: name, error: message });
        callback({ code: status.INTERNAL, details: `apikeys provider: ${name} failed: ${message}` });
      });
  };
}
