import { VendorUnreachableError } from '../../src/errors';
import { CreateOutcomeUnknownError, explainLostCreate, type LostCreateCheck } from '../../src/reconcile/lost-create';

interface Key { id: string; name: string; created_at: number }

const lost = () => new VendorUnreachableError('OpenAI', 'create admin key', 'the connection to http://127.0.0.1:1 failed before an answer arrived (UND_ERR_SOCKET)', true);

function check(relist: () => Promise<Key[]>, error = lost()): LostCreateCheck<Key> {
  return {
    error,
    relist,
    matches: (key) => key.name === 'ci' && key.created_at >= 1_000,
    describe: (key) => `${key.id} ("${key.name}", created ${key.created_at})`,
    importId: (key) => key.id,
  };
}

describe('explainLostCreate', () => {
  test('names the matching key and a terraform import command', async () => {
    const relist = jest.fn(async () => [
      { id: 'key_old', name: 'ci', created_at: 10 },
      { id: 'key_other', name: 'deploy', created_at: 2_000 },
      { id: 'key_new', name: 'ci', created_at: 1_500 },
    ]);
    const error = lost();
    const result = await explainLostCreate(check(relist, error));
    expect(result).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(result.code).toBe('APIKEYS_ERR_CREATE_OUTCOME_UNKNOWN');
    expect(result.message).toBe(`${error.message}; the create may or may not have happened`);
    expect(result.cause).toBe(error);
    expect(result.hint).toContain('The vendor did create it: key_new ("ci", created 1500).');
    expect(result.hint).toContain('terraform import <address> key_new');
    expect(result.hint).not.toContain('key_old');
    expect(result.hint).not.toContain('key_other');
    expect(relist).toHaveBeenCalledTimes(1);
  });

  test('lists every candidate and proposes importing the first', async () => {
    const result = await explainLostCreate(check(async () => [
      { id: 'key_a', name: 'ci', created_at: 1_100 },
      { id: 'key_b', name: 'ci', created_at: 1_200 },
    ]));
    expect(result.hint).toContain('key_a ("ci", created 1100); key_b ("ci", created 1200)');
    expect(result.hint).toMatch(/terraform import <address> key_a$/);
  });

  test('says the key was most likely not created when nothing matches', async () => {
    const result = await explainLostCreate(check(async () => [{ id: 'key_old', name: 'ci', created_at: 5 }]));
    expect(result.hint).toContain('most likely did not create it');
    expect(result.hint).toContain('Run apply again');
    expect(result.hint).not.toContain('terraform import');
  });

  test('handles a relist that fails too', async () => {
    const result = await explainLostCreate(check(async () => {
      throw new Error('still down');
    }));
    expect(result).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(result.hint).toContain('also failed');
    expect(result.hint).toContain('Check the vendor console');
    expect(result.hint).toContain('sending the create twice could make a second key');
    expect(result.hint).not.toContain('most likely did not create it');
  });
});
