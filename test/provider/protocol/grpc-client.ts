/**
 * A gRPC client for the provider's tests that shares no code with the
 * provider's own gRPC layer: @grpc/grpc-js carries the calls and protobufjs
 * encodes the messages, parsed from the same .proto files. So a test passes
 * only when our server and codec agree with two independent implementations.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Root, type Type } from 'protobufjs';

const PROTO_DIR = join(__dirname, '..', '..', '..', 'src', 'provider', 'protocol', 'proto');

export function loadProto(name: string): Root {
  return parse(readFileSync(join(PROTO_DIR, name), 'utf8'), { keepCase: true }).root;
}

function codecFor(type: Type) {
  return {
    serialize: (value: object): Buffer => Buffer.from(type.encode(type.fromObject(value)).finish()),
    deserialize: (bytes: Buffer): Record<string, unknown> => type.toObject(type.decode(bytes), { longs: Number }),
  };
}

function serviceDefinition(root: Root, qualifiedName: string): grpc.ServiceDefinition {
  const service = root.lookupService(qualifiedName);
  const definition: Record<string, unknown> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = codecFor(method.resolvedRequestType!);
    const response = codecFor(method.resolvedResponseType!);
    definition[method.name] = {
      path: `/${qualifiedName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: request.serialize,
      requestDeserialize: request.deserialize,
      responseSerialize: response.serialize,
      responseDeserialize: response.deserialize,
    };
  }
  return definition as unknown as grpc.ServiceDefinition;
}

export const ProviderClient = grpc.makeGenericClientConstructor(serviceDefinition(loadProto('tfplugin6.proto'), 'tfplugin6.Provider'), 'tfplugin6.Provider');
export const ControllerClient = grpc.makeGenericClientConstructor(serviceDefinition(loadProto('go-plugin.proto'), 'plugin.GRPCController'), 'plugin.GRPCController');
