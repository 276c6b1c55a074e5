import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Keys this provider created that no later run has seen in a state yet.
 *
 * Terraform closes a provider process as soon as its resources are done,
 * but a remote backend saves state only every 20 s or at the end of the
 * apply: if Terraform is killed in between, keys whose answers it received
 * are in no state, and their provider process is long gone. So each created
 * key is written down here (its id and identity: resource type, connection,
 * scope and name; never its secret) until
 * a later run refreshes it (it is in a state) or deletes it. A later create
 * of the same name finds such an entry whose key still exists: Terraform
 * lost it, its secret is gone, and it is revoked before the new one is made.
 *
 * A create whose answer had not arrived when its process ended is written
 * down too (an intent: name, scope, send time, the same-name keys that
 * already existed), so the next create of that name can find and revoke the
 * key the vendor made for it, by the rule of src/reconcile/exactly-once.ts.
 *
 * One journal per Terraform working directory and workspace, under
 * $XDG_STATE_HOME/cdktf-apikeys (directories 0700, files 0600). Best effort:
 * a journal that cannot be written changes nothing else.
 */
export interface JournalEntry {
  readonly id: string;
  /** Who the key is: resource type, connection, scope and name (exactly-once.ts, keyIdentity). */
  readonly identity: string;
  readonly createdAt: number;
}

/**
 * A create that was sent and whose outcome its process had not settled yet.
 * One left behind means the process ended (Terraform was killed) while the
 * vendor may have made a key whose answer never arrived: the next create of
 * that name looks for it.
 */
export interface CreateIntent {
  /** Who the key is: resource type, connection, scope and name (exactly-once.ts, keyIdentity). */
  readonly identity: string;
  /** When the create was sent, ms since the epoch. */
  readonly sentAt: number;
  /** Keys with this name that existed before the create was sent: not its doing. */
  readonly knownIds: readonly string[];
}

export interface CreateJournal {
  record(entry: JournalEntry): void;
  /** The key is in a state, or gone: no longer a possible orphan. */
  forget(id: string): void;
  /** Keys created for this identity that no state has confirmed yet. */
  unconfirmed(identity: string): JournalEntry[];
  /** Notes a create about to be sent; returns the handle that resolves it. */
  recordIntent(intent: CreateIntent): string;
  /** The create's outcome is known (a key in hand, revoked, or none made). */
  resolveIntent(handle: string): void;
  /** Creates of this identity that an earlier process sent and never resolved, with their handles. */
  interrupted(identity: string): { handle: string; intent: CreateIntent }[];
}

/** Entries older than this are dropped unread: a week without a refresh is not a run that was killed. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export class FileCreateJournal implements CreateJournal {
  /** The entry files this process knows of, once it has forgotten a first key. */
  private present?: Set<string>;

  constructor(private readonly directory: string) {}

  /** The journal of the Terraform run this process serves, or undefined when turned off (APIKEYS_CREATE_JOURNAL=0). */
  static forProcess(env: NodeJS.ProcessEnv, cwd = process.cwd()): FileCreateJournal | undefined {
    if (env.APIKEYS_CREATE_JOURNAL === '0') return undefined;
    // From the environment Terraform gave us (not os.homedir()), so a process without HOME keeps no journal.
    const base = env.XDG_STATE_HOME || (env.HOME ? join(env.HOME, '.local', 'state') : undefined);
    if (!base) return undefined;
    const dataDir = resolve(cwd, env.TF_DATA_DIR || '.terraform');
    let workspace = env.TF_WORKSPACE || 'default';
    try {
      workspace = env.TF_WORKSPACE || readFileSync(join(dataDir, 'environment'), 'utf8').trim() || 'default';
    } catch {
      // no workspace file: the default workspace
    }
    const run = createHash('sha256').update(`${resolve(cwd)}\0${workspace}`).digest('hex').slice(0, 32);
    return new FileCreateJournal(join(base, 'cdktf-apikeys', 'unconfirmed-keys', run));
  }

  record(entry: JournalEntry): void {
    this.write(entry.id, entry);
  }

  forget(id: string): void {
    // A refresh forgets every key it reads, by the thousand, and almost none has an entry: one listing of the
    // directory per process, instead of a removal attempt per key. Entries written after that listing are this
    // process's own (added below) or are written after the refresh that could forget them.
    const file = this.file(id);
    this.present ??= new Set(this.entryFiles());
    if (!this.present.delete(file)) return;
    try {
      rmSync(file, { force: true });
    } catch {
      // best effort
    }
  }

  unconfirmed(identity: string): JournalEntry[] {
    return this.entries()
      .map(({ value }) => value as Partial<JournalEntry> & { intent?: unknown })
      .filter((entry): entry is JournalEntry => entry.intent === undefined && entry.identity === identity && typeof entry.id === 'string');
  }

  recordIntent(intent: CreateIntent): string {
    const handle = `intent:${randomUUID()}`;
    this.write(handle, { id: handle, intent: true, ...intent });
    return handle;
  }

  resolveIntent(handle: string): void {
    this.forget(handle);
  }

  interrupted(identity: string): { handle: string; intent: CreateIntent }[] {
    return this.entries()
      .map(({ value }) => value as Partial<CreateIntent> & { id?: unknown; intent?: unknown })
      .filter((entry) => entry.intent === true && entry.identity === identity && typeof entry.id === 'string'
        && typeof entry.sentAt === 'number' && Array.isArray(entry.knownIds))
      .map((entry) => ({ handle: entry.id as string, intent: entry as CreateIntent }));
  }

  private write(id: string, value: object): void {
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(this.file(id), JSON.stringify(value), { mode: 0o600 });
      this.present?.add(this.file(id));
    } catch {
      // best effort
    }
  }

  /** The paths of the entry files now in the directory. */
  private entryFiles(): string[] {
    try {
      return readdirSync(this.directory).filter((name) => name.endsWith('.json')).map((name) => join(this.directory, name));
    } catch {
      return [];
    }
  }

  /** Every readable entry; drops the ones past MAX_AGE_MS. */
  private entries(): { value: unknown }[] {
    const found: { value: unknown }[] = [];
    for (const path of this.entryFiles()) {
      try {
        if (Date.now() - statSync(path).mtimeMs > MAX_AGE_MS) {
          rmSync(path, { force: true });
          continue;
        }
        found.push({ value: JSON.parse(readFileSync(path, 'utf8')) });
      } catch {
        // a half-written or foreign file: ignore it
      }
    }
    return found;
  }

  private file(id: string): string {
    return join(this.directory, `${createHash('sha256').update(id).digest('hex').slice(0, 40)}.json`);
  }
}
