/**
 * Which keys this provider process created, and whether Terraform received
 * them. A key whose ApplyResourceChange answer could not be delivered (the
 * call was cancelled, Terraform died) has a secret nobody will ever see: it
 * is revoked. When Terraform goes away, the ledger stops new creates and
 * revokes what Terraform may not have saved, within a deadline.
 */
export interface CreatedKey {
  /** The vendor's key id. */
  readonly id: string;
  /** Names the key in messages and logs, e.g. `OpenAI admin key "ci" (key_abc)`. */
  readonly label: string;
  revoke(): Promise<void>;
}

/**
 * What to revoke when Terraform goes away without shutting the provider down:
 * - `created`: every key this process created. Terraform's local backend has
 *   saved the delivered ones, so they are replaced by the next apply; remote
 *   backends may not have saved them (they persist every 20 s at best), so
 *   revoking is the only way not to leave orphans.
 * - `undelivered`: only keys whose answer never reached Terraform.
 *
 * Under both, a rotation's new key whose answer was delivered is kept (see
 * ApplyReceipt.rotation): revoking it would leave a state that saved it with
 * a dead key and its previous key tracked only by it, so the next refresh
 * drops both and the old key is an orphan (overlap 0s: no working key at
 * all). Where Terraform did not save it, the resource still holds its old
 * key, still due, and the next rotation revokes the unsaved key from the
 * create journal before it makes another.
 */
export type ExitRevocation = 'created' | 'undelivered';

export interface ExitReport {
  readonly revoked: string[];
  readonly failed: string[];
  /** Creates still in flight at the deadline: their keys, if any, are orphans. */
  readonly unfinished: number;
}

export interface LedgerLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export class CreateLedger {
  exitRevocation: ExitRevocation = 'created';
  private gone = false;
  private readonly undelivered = new Set<CreatedKey>();
  private readonly delivered = new Set<CreatedKey>();
  private readonly revocations = new Set<Promise<void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly revokedIds: string[] = [];
  private readonly failedIds: string[] = [];
  /** Ids of every key this process created: never someone else's orphan. */
  readonly ownIds = new Set<string>();

  constructor(private readonly logger?: LedgerLogger) {}

  /** True once Terraform has gone: no new vendor writes. */
  get closing(): boolean {
    return this.gone;
  }

  /** One receipt per ApplyResourceChange call. */
  receipt(): ApplyReceipt {
    return new ApplyReceipt(this);
  }

  /** Keeps track of a create request in flight, so that shutdown can wait for it. */
  track<T>(send: Promise<T>): Promise<T> {
    this.inFlight.add(send);
    const done = () => this.inFlight.delete(send);
    send.then(done, done);
    return send;
  }

  /** @internal */
  addUndelivered(key: CreatedKey): void {
    this.ownIds.add(key.id);
    if (this.gone) this.revokeNow(key);
    else this.undelivered.add(key);
  }

  /** @internal `kept`: a rotation's new key, never revoked at exit once delivered. */
  markDelivered(key: CreatedKey, kept = false): void {
    this.undelivered.delete(key);
    if (!kept) this.delivered.add(key);
  }

  /** @internal */
  markUndeliverable(key: CreatedKey): void {
    this.undelivered.delete(key);
    this.revokeNow(key);
  }

  /** True while a create is in flight or a created key awaits delivery: exiting now could lose a secret. */
  get busy(): boolean {
    return this.inFlight.size > 0 || this.undelivered.size > 0;
  }

  /** Keys created but not (yet) delivered to Terraform. */
  get undeliveredCount(): number {
    return this.undelivered.size;
  }

  /**
   * Terraform went away. Stops new creates, revokes what it may not have
   * saved, and waits for creates still in flight (a key they make is revoked
   * as it arrives), all within `deadlineMs`.
   */
  async terraformGone(deadlineMs: number): Promise<ExitReport> {
    this.gone = true;
    const targets = [...this.undelivered, ...(this.exitRevocation === 'created' ? this.delivered : [])];
    this.undelivered.clear();
    this.delivered.clear();
    for (const key of targets) this.revokeNow(key);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    const settle = async () => {
      // In-flight creates may add revocations when they finish, so loop until both sets are empty.
      while (this.inFlight.size > 0 || this.revocations.size > 0) {
        await Promise.allSettled([...this.inFlight, ...this.revocations]);
      }
    };
    await Promise.race([settle(), deadline]);
    clearTimeout(timer);
    return { revoked: [...this.revokedIds], failed: [...this.failedIds], unfinished: this.inFlight.size };
  }

  private revokeNow(key: CreatedKey): void {
    const revocation = key.revoke().then(
      () => {
        this.revokedIds.push(key.id);
        this.logger?.warn('revoked a key Terraform could not receive', { key: key.label });
      },
      (error: unknown) => {
        this.failedIds.push(key.id);
        this.logger?.warn('could not revoke a key Terraform could not receive', {
          key: key.label, error: error instanceof Error ? error.message : String(error),
        });
      },
    );
    this.revocations.add(revocation);
    void revocation.finally(() => this.revocations.delete(revocation));
  }
}

/**
 * The keys one ApplyResourceChange call created. The gRPC layer says whether
 * its answer was delivered; until then they count as undelivered.
 */
export class ApplyReceipt {
  private readonly keys: CreatedKey[] = [];
  private outcome: 'open' | 'delivered' | 'undeliverable' = 'open';
  /**
   * Set by a rotation (an update that replaces the key): once delivered, its new key is not revoked when Terraform
   * goes away (see ExitRevocation). Undelivered or undeliverable, it is revoked like any other.
   */
  rotation = false;

  constructor(private readonly ledger: CreateLedger) {}

  /** True when nothing new may be sent for this call: Terraform is gone or stopped listening to it. */
  get closing(): boolean {
    return this.ledger.closing || this.outcome === 'undeliverable';
  }

  get ownIds(): ReadonlySet<string> {
    return this.ledger.ownIds;
  }

  track<T>(send: Promise<T>): Promise<T> {
    return this.ledger.track(send);
  }

  recordCreated(key: CreatedKey): void {
    if (this.outcome === 'undeliverable') {
      this.ledger.ownIds.add(key.id);
      this.ledger.markUndeliverable(key);
      return;
    }
    this.keys.push(key);
    this.ledger.addUndelivered(key);
    if (this.outcome === 'delivered') this.ledger.markDelivered(key, this.rotation);
  }

  delivered(): void {
    if (this.outcome !== 'open') return;
    this.outcome = 'delivered';
    for (const key of this.keys) this.ledger.markDelivered(key, this.rotation);
  }

  /** The call was cancelled: Terraform will never read this answer. */
  undeliverable(): void {
    if (this.outcome !== 'open') return;
    this.outcome = 'undeliverable';
    for (const key of this.keys) this.ledger.markUndeliverable(key);
  }
}
