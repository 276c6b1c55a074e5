/**
 * The journal of keys no state has confirmed yet, and of creates whose
 * outcome their process never learned (src/reconcile/create-journal.ts), on
 * its own: what it records and forgets, where it lives, its age limit, what
 * it does with files it cannot read, and the modes of what it writes. How the
 * create path uses it is in exactly-once.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCreateJournal } from '../../src/reconcile/create-journal';
import { keyIdentity } from '../../src/reconcile/exactly-once';

const CI = keyIdentity({ resourceType: 'apikeys_openai_admin_key', connection: null, scope: '', name: 'ci' });
const CI_ACME = keyIdentity({ resourceType: 'apikeys_openai_admin_key', connection: 'acme', scope: '', name: 'ci' });
const DAY_MS = 24 * 3600 * 1000;

let root: string;
let directory: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'apikeys-journal-unit-'));
  directory = join(root, 'journal');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const files = (dir = directory): string[] => readdirSync(dir).sort();
/** Makes every entry file look `ageMs` old. */
const age = (ageMs: number) => {
  const then = new Date(Date.now() - ageMs);
  for (const name of files()) utimesSync(join(directory, name), then, then);
};

describe('entries of created keys', () => {
  test('record, then unconfirmed by identity: another connection\'s key of the same name is another identity', () => {
    const journal = new FileCreateJournal(directory);
    journal.record({ id: 'key_1', identity: CI, createdAt: 1 });
    journal.record({ id: 'key_2', identity: CI_ACME, createdAt: 2 });
    expect(journal.unconfirmed(CI)).toEqual([{ id: 'key_1', identity: CI, createdAt: 1 }]);
    expect(journal.unconfirmed(CI_ACME).map((entry) => entry.id)).toEqual(['key_2']);
    expect(journal.unconfirmed(keyIdentity({ resourceType: 'apikeys_openai_admin_key', connection: null, scope: '', name: 'ops' }))).toEqual([]);
  });

  test('another process sees the entries (they are files); forget removes one, and forgetting what is not there is nothing', () => {
    new FileCreateJournal(directory).record({ id: 'key_1', identity: CI, createdAt: 1 });
    const later = new FileCreateJournal(directory);
    expect(later.unconfirmed(CI).map((entry) => entry.id)).toEqual(['key_1']);
    later.forget('key_unknown');
    later.forget('key_1');
    expect(later.unconfirmed(CI)).toEqual([]);
    expect(files()).toEqual([]);
  });

  test('recording the same id again replaces its entry', () => {
    const journal = new FileCreateJournal(directory);
    journal.record({ id: 'key_1', identity: CI, createdAt: 1 });
    journal.record({ id: 'key_1', identity: CI_ACME, createdAt: 2 });
    expect(journal.unconfirmed(CI)).toEqual([]);
    expect(journal.unconfirmed(CI_ACME)).toEqual([{ id: 'key_1', identity: CI_ACME, createdAt: 2 }]);
  });

  test('forget lists the directory once per process: its own later entries are forgotten, another process\'s later ones are left to their refresh', () => {
    const refreshing = new FileCreateJournal(directory);
    refreshing.forget('key_0'); // the first forget of a refresh lists the directory
    refreshing.record({ id: 'key_mine', identity: CI, createdAt: 1 });
    new FileCreateJournal(directory).record({ id: 'key_theirs', identity: CI, createdAt: 2 });
    refreshing.forget('key_mine');
    refreshing.forget('key_theirs');
    expect(refreshing.unconfirmed(CI).map((entry) => entry.id)).toEqual(['key_theirs']);
  });

  test('file names hide the ids; the entry holds the id, the identity and the time, nothing else', () => {
    const journal = new FileCreateJournal(directory);
    journal.record({ id: 'key_abc', identity: CI, createdAt: 5 });
    const [name] = files();
    expect(name).toMatch(/^[0-9a-f]{40}\.json$/);
    expect(JSON.parse(readFileSync(join(directory, name), 'utf8'))).toEqual({ id: 'key_abc', identity: CI, createdAt: 5 });
  });
});

describe('intents of creates in flight', () => {
  test('recordIntent returns a handle; interrupted finds it by identity until resolveIntent', () => {
    const journal = new FileCreateJournal(directory);
    const handle = journal.recordIntent({ identity: CI, sentAt: 1_000, knownIds: ['key_old'] });
    expect(handle).toMatch(/^intent:[0-9a-f-]{36}$/);
    const later = new FileCreateJournal(directory);
    expect(later.interrupted(CI)).toEqual([{ handle, intent: expect.objectContaining({ identity: CI, sentAt: 1_000, knownIds: ['key_old'] }) }]);
    expect(later.interrupted(CI_ACME)).toEqual([]);
    later.resolveIntent(handle);
    expect(journal.interrupted(CI)).toEqual([]);
  });

  test('intents and created keys are apart: neither shows up as the other', () => {
    const journal = new FileCreateJournal(directory);
    journal.recordIntent({ identity: CI, sentAt: 1, knownIds: [] });
    journal.record({ id: 'key_1', identity: CI, createdAt: 1 });
    expect(journal.unconfirmed(CI).map((entry) => entry.id)).toEqual(['key_1']);
    expect(journal.interrupted(CI)).toHaveLength(1);
    expect(journal.interrupted(CI)[0].handle).not.toBe('key_1');
  });

  test('an intent entry without its send time or known ids is not an intent', () => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'a.json'), JSON.stringify({ id: 'intent:x', intent: true, identity: CI, knownIds: [] }));
    writeFileSync(join(directory, 'b.json'), JSON.stringify({ id: 'intent:y', intent: true, identity: CI, sentAt: 1 }));
    writeFileSync(join(directory, 'c.json'), JSON.stringify({ intent: true, identity: CI, sentAt: 1, knownIds: [] }));
    expect(new FileCreateJournal(directory).interrupted(CI)).toEqual([]);
  });
});

describe('what it does not trust', () => {
  test('entries older than a week are dropped unread, and their files removed; younger ones stay', () => {
    const journal = new FileCreateJournal(directory);
    journal.record({ id: 'key_old', identity: CI, createdAt: 1 });
    journal.recordIntent({ identity: CI, sentAt: 1, knownIds: [] });
    age(8 * DAY_MS);
    journal.record({ id: 'key_recent', identity: CI, createdAt: 2 });
    expect(journal.unconfirmed(CI).map((entry) => entry.id)).toEqual(['key_recent']);
    expect(journal.interrupted(CI)).toEqual([]);
    expect(files()).toHaveLength(1);
    age(6 * DAY_MS);
    expect(journal.unconfirmed(CI).map((entry) => entry.id)).toEqual(['key_recent']);
  });

  test('half-written or foreign files are skipped; other names are not entries', () => {
    const journal = new FileCreateJournal(directory);
    journal.record({ id: 'key_1', identity: CI, createdAt: 1 });
    writeFileSync(join(directory, 'torn.json'), '{"id":"key_2","ident');
    writeFileSync(join(directory, 'foreign.json'), '[1, 2, 3]');
    writeFileSync(join(directory, 'notes.txt'), JSON.stringify({ id: 'key_3', identity: CI, createdAt: 3 }));
    writeFileSync(join(directory, 'no-id.json'), JSON.stringify({ identity: CI, createdAt: 3 }));
    expect(journal.unconfirmed(CI).map((entry) => entry.id)).toEqual(['key_1']);
  });

  test('a journal that cannot be written or read changes nothing else: no throw, no entries', () => {
    writeFileSync(directory, 'a file where the directory should be');
    const journal = new FileCreateJournal(directory);
    expect(() => journal.record({ id: 'key_1', identity: CI, createdAt: 1 })).not.toThrow();
    expect(() => journal.recordIntent({ identity: CI, sentAt: 1, knownIds: [] })).not.toThrow();
    expect(() => journal.forget('key_1')).not.toThrow();
    expect(journal.unconfirmed(CI)).toEqual([]);
    expect(journal.interrupted(CI)).toEqual([]);
    expect(new FileCreateJournal(join(root, 'never-made')).unconfirmed(CI)).toEqual([]);
  });

  test('what it writes is private: directories 0700, files 0600', () => {
    const journal = new FileCreateJournal(join(directory, 'nested'));
    journal.record({ id: 'key_1', identity: CI, createdAt: 1 });
    journal.recordIntent({ identity: CI, sentAt: 1, knownIds: [] });
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(join(directory, 'nested')).mode & 0o777).toBe(0o700);
    for (const name of files(join(directory, 'nested'))) expect(statSync(join(directory, 'nested', name)).mode & 0o777).toBe(0o600);
  });
});

describe('FileCreateJournal.forProcess: one journal per Terraform working directory and workspace', () => {
  /** Where a journal made for `env` in `cwd` writes its entries, relative to `base`. */
  function location(env: NodeJS.ProcessEnv, cwd: string, base: string): string | undefined {
    const journal = FileCreateJournal.forProcess(env, cwd);
    if (!journal) return undefined;
    journal.record({ id: `key_${Math.random()}`, identity: CI, createdAt: 1 });
    const runs = join(base, 'cdktf-apikeys', 'unconfirmed-keys');
    const found = readdirSync(runs);
    rmSync(runs, { recursive: true, force: true });
    expect(found).toHaveLength(1);
    return found[0];
  }

  test('under $XDG_STATE_HOME, else $HOME/.local/state; none without either, or when turned off', () => {
    const work = join(root, 'work');
    const state = join(root, 'state');
    const home = join(root, 'home');
    const run = location({ XDG_STATE_HOME: state, HOME: home }, work, state);
    expect(run).toMatch(/^[0-9a-f]{32}$/);
    expect(location({ HOME: home }, work, join(home, '.local', 'state'))).toBe(run);
    expect(FileCreateJournal.forProcess({}, work)).toBeUndefined();
    expect(FileCreateJournal.forProcess({ XDG_STATE_HOME: state, APIKEYS_CREATE_JOURNAL: '0' }, work)).toBeUndefined();
  });

  test('another working directory or workspace is another journal; the workspace comes from TF_WORKSPACE or the data directory', () => {
    const state = join(root, 'state');
    const work = join(root, 'work');
    const base = location({ XDG_STATE_HOME: state }, work, state);
    expect(location({ XDG_STATE_HOME: state }, join(root, 'other'), state)).not.toBe(base);
    const staging = location({ XDG_STATE_HOME: state, TF_WORKSPACE: 'staging' }, work, state);
    expect(staging).not.toBe(base);
    expect(location({ XDG_STATE_HOME: state, TF_WORKSPACE: 'default' }, work, state)).toBe(base);
    mkdirSync(join(work, '.terraform'), { recursive: true });
    writeFileSync(join(work, '.terraform', 'environment'), 'staging\n');
    expect(location({ XDG_STATE_HOME: state }, work, state)).toBe(staging);
    mkdirSync(join(work, 'data'), { recursive: true });
    writeFileSync(join(work, 'data', 'environment'), '');
    expect(location({ XDG_STATE_HOME: state, TF_DATA_DIR: 'data' }, work, state)).toBe(base);
  });
});
