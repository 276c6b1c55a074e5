import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Root } from 'protobufjs';

/**
 * The protocol's .proto definitions as protobufjs roots. From source, the
 * .proto files are parsed at load; the bundle build (scripts/build.mjs)
 * swaps this module for one holding pre-parsed JSON descriptors and the
 * parser-free protobufjs/light, which saves start-up time.
 */
export function loadProtocolRoots(): { tfplugin6: Root; goPlugin: Root } {
  const read = (name: string) => parse(readFileSync(join(__dirname, 'proto', name), 'utf8'), { keepCase: true }).root;
  return { tfplugin6: read('tfplugin6.proto'), goPlugin: read('go-plugin.proto') };
}
