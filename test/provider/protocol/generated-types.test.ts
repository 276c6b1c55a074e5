/**
 * The committed protocol modules (*.generated.ts) must be what
 * scripts/protocol-types.ts makes from the .proto files today.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expectedProtocolModules, generateProtocolModule } from '../../../scripts/protocol-types';

describe('generated protocol modules', () => {
  test.each([...expectedProtocolModules()].map(([path, source]) => [relative(process.cwd(), path), path, source]))(
    '%s matches its .proto (run node scripts/build.mjs to regenerate)',
    (_name, path, expected) => {
      expect(readFileSync(path, 'utf8')).toBe(expected);
    },
  );

  test('a field added to a .proto changes the generated types and wire layout', () => {
    const proto = 'syntax = "proto3";\npackage demo;\nmessage Ping {\n  string id = 1;\n}\n';
    const before = generateProtocolModule('demo.proto', proto);
    const after = generateProtocolModule('demo.proto', proto.replace('string id = 1;', 'string id = 1;\n  repeated Ping nested = 2;'));
    expect(before).toContain('export interface Ping {\n  id?: string;\n}');
    expect(after).toContain('export interface Ping {\n  id?: string;\n  nested?: Ping[];\n}');
    expect(after).toContain("{ no: 2, name: 'nested', kind: 'message', type: 'Ping', repeated: true }");
  });

  test('a .proto type the codec does not implement is refused, naming the field', () => {
    const proto = 'syntax = "proto3";\npackage demo;\nmessage Ping {\n  double ratio = 1;\n}\n';
    expect(() => generateProtocolModule('demo.proto', proto)).toThrow('demo.Ping.ratio has type double, which the provider\'s codec does not implement');
  });
});
