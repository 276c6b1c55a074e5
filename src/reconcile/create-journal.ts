import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Keys this provider created that no later run has seen in a state yet.
 *
 * Terraform closes a provider process as soon as its resources are done,
 * but a remote backend saves state only every 20 s or at the end of the
 * apply: if Terraform is killed in between, keys whose answers it received
 * are in no state, and their provider process is long gone. So each created
 * key is written down here (its id, name and scope; never its secret) until
 * a later run refreshes it (it is in a state) or deletes it. A later create
 * of the same name finds such an entry whose key still exists: Terraform
 * lost it, its secret is gone, and it is revoked before the new one is made.
 *
 * One journal per Terraform working directory and workspace, under
 * $XDG_STATE_HOME/cdktf-apikeys (directories 0700, files 0600). Best effort:
 * a journal that cannot be written changes nothing else.
 */
export interface JournalEntry {
  readonly id: string;
  readonly resourceType: string;
  /** Names the key and its scope, e.g. `OpenAI project key "ci" in proj_abc`. */
  readonly label: string;
  readonly createdAt: number;
}

export interface CreateJournal {
  record(entry: JournalEntry): void;
  /** The key is in a state, or gone: no longer a possible orphan. */
  forget(id: string): void;
  unconfirmed(resourceType: string, label: string): JournalEntry[];
}

/** Entries older than this are dropped unread: a week without a refresh is not a run that was killed. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export class FileCreateJournal implements CreateJournal {
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
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(this.file(entry.id), JSON.stringify(entry), { mode: 0o600 });
    } catch {
      // best effort
    }
  }

  forget(id: string): void {
    try {
      rmSync(this.file(id), { force: true });
    } catch {
      // best effort
    }
  }

  unconfirmed(resourceType: string, label: string): JournalEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.directory).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    const found: JournalEntry[] = [];
    for (const name of names) {
      const path = join(this.directory, name);
      try {
        if (Date.now() - statSync(path).mtimeMs > MAX_AGE_MS) {
          rmSync(path, { force: true });
          continue;
        }
        const entry = JSON.parse(readFileSync(path, 'utf8')) as JournalEntry;
        if (entry.resourceType === resourceType && entry.label === label && typeof entry.id === 'string') found.push(entry);
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
