/**
 * State types are derived from schemas (StateOf), so a definition's state
 * cannot drift from its schema: the type errors below are checked by
 * `npm run typecheck` (an unused @ts-expect-error fails it too).
 */
import { listOf, mapOf, objectOf, setOf } from '../../../src/provider/cty/types';
import { schemaType, type Schema, type StateOf } from '../../../src/provider/framework/schema';

const schema = {
  version: 0,
  description: 'a test schema',
  attributes: {
    name: { type: 'string', required: true, description: 'name' },
    size: { type: 'number', optional: true, description: 'size' },
    on: { type: 'bool', computed: true, description: 'on' },
    roles: { type: setOf('string'), optional: true, description: 'roles' },
    tags: { type: mapOf('string'), optional: true, description: 'tags' },
    keys: { type: listOf(objectOf({ id: 'string', uses: 'number' })), computed: true, description: 'keys' },
  },
} as const satisfies Schema;

type State = StateOf<typeof schema>;

describe('StateOf', () => {
  test('maps each cty type to its value, every attribute nullable', () => {
    const full: State = { name: 'ci', size: 2, on: true, roles: ['a'], tags: { team: 'x' }, keys: [{ id: 'k', uses: null }] };
    const empty: State = { name: null, size: null, on: null, roles: null, tags: null, keys: null };
    expect(Object.keys(full).sort()).toEqual(Object.keys(schema.attributes).sort());
    expect(Object.keys(empty).sort()).toEqual(Object.keys(schema.attributes).sort());
  });

  test('a value of the wrong type, a missing attribute or an extra one does not compile', () => {
    // @ts-expect-error a number attribute holds numbers
    const wrongType: State = { name: 'ci', size: '2', on: null, roles: null, tags: null, keys: null };
    // @ts-expect-error every attribute of the schema is in the state
    const missing: State = { name: 'ci', size: null, on: null, roles: null, tags: null };
    // @ts-expect-error nothing outside the schema
    const extra: State = { name: 'ci', size: null, on: null, roles: null, tags: null, keys: null, other: 'x' };
    expect([wrongType, missing, extra]).toHaveLength(3);
  });

  test('the constructors keep their exact types, and the wire type is unchanged', () => {
    expect(schemaType(schema)).toEqual(['object', {
      name: 'string', size: 'number', on: 'bool', roles: ['set', 'string'], tags: ['map', 'string'],
      keys: ['list', ['object', { id: 'string', uses: 'number' }]],
    }]);
  });
});
