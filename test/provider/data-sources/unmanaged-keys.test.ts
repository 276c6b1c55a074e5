import { describeKey, findUnmanagedKeys, unmanagedKeyMessages, type ListedKey, type UnmanagedKeyRules } from '../../../src/provider/data-sources/unmanaged-keys';

const KEYS: ListedKey[] = [
  { id: 'k1', name: 'ci' },
  { id: 'k2', name: 'ci' },
  { id: 'k3', name: 'made in console' },
  { id: 'k4', name: null },
  { id: 'k5', name: 'pipeline' },
];

const rules = (overrides: Partial<UnmanagedKeyRules> = {}): UnmanagedKeyRules => ({
  managedIds: new Set(['k1']),
  declaredKeys: new Map([['apikeys_openai_admin_key.acme_ci', 'ci']]),
  ignore: new Set(),
  ...overrides,
});

const importId = (id: string): string => `org/${id}`;

describe('findUnmanagedKeys', () => {
  test('a tracked key is managed whatever its name; untracked keys with a declared name carry its address', () => {
    const renamed = [{ id: 'k1', name: 'renamed in console' }, ...KEYS.slice(1)];
    expect(findUnmanagedKeys(renamed, rules(), importId)).toEqual([
      { id: 'k2', name: 'ci', importId: 'org/k2', declaredAs: ['apikeys_openai_admin_key.acme_ci'] },
      { id: 'k3', name: 'made in console', importId: 'org/k3', declaredAs: [] },
      { id: 'k4', name: null, importId: 'org/k4', declaredAs: [] },
      { id: 'k5', name: 'pipeline', importId: 'org/k5', declaredAs: [] },
    ]);
  });

  test('ignore takes ids and names, and also hides a key with a declared name', () => {
    const found = findUnmanagedKeys(KEYS, rules({ ignore: new Set(['k3', 'pipeline', 'k2']) }), importId);
    expect(found.map((key) => key.id)).toEqual(['k4']);
  });

  test('every declared address with the key\'s name is listed, sorted', () => {
    const declaredKeys = new Map([['b.second', 'ci'], ['a.first', 'ci'], ['c.other', 'other']]);
    expect(findUnmanagedKeys([{ id: 'k9', name: 'ci' }], rules({ declaredKeys }), importId)[0].declaredAs).toEqual(['a.first', 'b.second']);
  });
});

describe('unmanagedKeyMessages', () => {
  const found = (keys: ListedKey[], overrides: Partial<UnmanagedKeyRules> = {}) => findUnmanagedKeys(keys, rules(overrides), importId);

  test('nothing to report: no message', () => {
    expect(unmanagedKeyMessages('Atlas organization acme', found([{ id: 'k1', name: 'ci' }]))).toEqual([]);
  });

  test('one undeclared key: named by id and name, in words that fit manifests and constructs', () => {
    expect(unmanagedKeyMessages('Atlas organization acme', found([{ id: 'k3', name: 'made in console' }]))).toEqual([
      'Atlas organization acme has a key not declared in this stack: k3 ("made in console"). Declare it, revoke it, or list its id or name in ignoreUndeclared.',
    ]);
  });

  test('several undeclared keys: one sentence naming each, a nameless key said so', () => {
    expect(unmanagedKeyMessages('Edge Impulse organization eu', found([{ id: 'k3', name: 'a' }, { id: 'k4', name: null }]))).toEqual([
      'Edge Impulse organization eu has 2 keys not declared in this stack: k3 ("a"), k4 (no name). Declare them, revoke them, or list their ids or names in ignoreUndeclared.',
    ]);
  });

  test('a possible orphan: its own sentence, with the import command for the declared address', () => {
    const messages = unmanagedKeyMessages('OpenAI organization acme (admin keys)', found(KEYS.slice(0, 3)));
    expect(messages).toEqual([
      'OpenAI organization acme (admin keys) has a key not declared in this stack: k3 ("made in console"). Declare it, revoke it, or list its id or name in ignoreUndeclared.',
      'OpenAI organization acme (admin keys): key k2 ("ci") has the name of declared key apikeys_openai_admin_key.acme_ci but no state tracks it: ' +
      'it may be an orphan of an earlier failed apply. Import it with `terraform import apikeys_openai_admin_key.acme_ci org/k2` or an `import {}` block ' +
      '(first `terraform state rm apikeys_openai_admin_key.acme_ci` if that address tracks another key, and revoke that key), or revoke it.',
    ]);
  });

  test('an orphan whose name several declared keys share names them all', () => {
    const declaredKeys = new Map([['x.one', 'ci'], ['x.two', 'ci']]);
    const [message] = unmanagedKeyMessages('L', found([{ id: 'k2', name: 'ci' }], { declaredKeys }));
    expect(message).toContain('has the name of declared keys x.one, x.two but no state tracks it');
    expect(message).toContain('`terraform import x.one org/k2`');
  });

  test('names are quoted, so quotes and line breaks in a vendor name stay visible', () => {
    expect(describeKey({ id: 'k', name: 'say "hi"\nnow' })).toBe('k ("say \\"hi\\"\\nnow")');
  });
});
