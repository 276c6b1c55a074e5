import type { ServiceDefinition } from '@grpc/grpc-js';
import type { Root, Type } from 'protobufjs';
import { loadProtocolRoots } from './proto-sources';

/**
 * gRPC service definitions built straight from our .proto files with
 * protobufjs, without generated stubs. Field names keep their .proto spelling
 * (type_name, prior_state...), bytes stay Buffers and int64s become numbers.
 */
function codecFor(type: Type) {
  return {
    serialize: (value: object): Buffer => Buffer.from(type.encode(type.fromObject(value)).finish()),
    deserialize: (bytes: Buffer): Record<string, unknown> => type.toObject(type.decode(bytes), { longs: Number }),
  };
}

function serviceDefinition(root: Root, qualifiedName: string): ServiceDefinition {
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
  return definition as unknown as ServiceDefinition;
}

export interface ProtocolServices {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
}

export function loadProtocolServices(): ProtocolServices {
  const { tfplugin6, goPlugin } = loadProtocolRoots();
  return {
    provider: serviceDefinition(tfplugin6, 'tfplugin6.Provider'),
    controller: serviceDefinition(goPlugin, 'plugin.GRPCController'),
  };
}
