import { OperationStoppedError, VendorServerError, VendorTimeoutError, VendorUnreachableError, VendorValidationError } from '../../src/core/errors';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCreateJournal, type CreateJournal } from '../../src/reconcile/create-journal';
import { CreateLedger } from '../../src/reconcile/create-ledger';
import {
  keyIdentity, CreateAttemptsExhaustedError, CreateOutcomeAmbiguousError, CreateOutcomeUnknownError, createExactlyOnce, defaultSettings,
  outcomeUnknown, warnAboutNamesakes, type CreateHooks, type ExactlyOnceSettings, type NamesakeHooks,
} from '../../src/reconcile/exactly-once';
import { Inventory } from '../../src/reconcile/inventory';
import { generateCustomKey, partialKeyMatches } from '../../src/vendors/edgeimpulse/custom-key';

/**
 * An in-memory vendor. Each create can be given a fault: the vendor acts and
 * the answer is lost, it acts on the Nth listing after (late), it answers a
 * 502 after acting, or it fails before acting. Nothing depends on timing:
 * lateness is counted in listings.
 */
interface Key { id: string; name: string; createdAt: number; secret: string; redacted: string }
interface Created { id: string; secret: string }

type Fault =
  | { kind: 'lost-after-acting' }
  | { kind: 'late'; appearsOnListing: number; answer: 'timeout' | '504' }
  | { kind: '502-after-acting' }
  | { kind: '500-before-acting' }
  | { kind: 'reject' }
  | { kind: 'hang-after-acting' };

class FakeVendor {
  readonly keys = new Map<string, Key>();
  readonly faults: Fault[] = [];
  readonly revoked: string[] = [];
  creates = 0;
  listings = 0;
  private next = 1;
  private pending: { key: Key; onListing: number }[] = [];

  add(name: string, createdAt = Date.now(), secret = `sk-${this.next}`): Key {
    const key = { id: `key_${this.next++}`, name, createdAt, secret, redacted: `${secret.slice(0, 7)}…` };
    this.keys.set(key.id, key);
    return key;
  }

  async create(name: string, chosenSecret?: string): Promise<Created> {
    this.creates++;
    const fault = this.faults.shift();
    const make = () => this.add(name, Date.now(), chosenSecret ?? `sk-secret-${this.next}`);
    if (fault?.kind === 'reject') throw new VendorValidationError('Fake', 'create key', 400, { message: 'bad name' });
    if (fault?.kind === '500-before-acting') throw new VendorServerError('Fake', 'create key', 500, {});
    if (fault?.kind === 'late') {
      this.pending.push({ key: { id: `key_${this.next++}`, name, createdAt: Date.now(), secret: chosenSecret ?? 'sk-late', redacted: `${(chosenSecret ?? 'sk-late').slice(0, 7)}…` }, onListing: this.listings + fault.appearsOnListing });
      if (fault.answer === '504') throw new VendorServerError('Fake', 'create key', 504, { message: 'gateway timeout' });
      throw new VendorTimeoutError('Fake', 'create key', 'no answer within 1000 ms', true);
    }
    const key = make();
    if (fault?.kind === 'hang-after-acting') return new Promise<Created>(() => undefined); // the process ends before any answer
    if (fault?.kind === 'lost-after-acting') throw new VendorUnreachableError('Fake', 'create key', 'the connection failed before an answer arrived (UND_ERR_SOCKET)', true);
    if (fault?.kind === '502-after-acting') throw new VendorServerError('Fake', 'create key', 502, { message: 'bad gateway' });
    return { id: key.id, secret: key.secret };
  }

  async list(): Promise<Key[]> {
    this.listings++;
    for (const entry of this.pending.filter((candidate) => candidate.onListing <= this.listings)) this.keys.set(entry.key.id, entry.key);
    this.pending = this.pending.filter((candidate) => candidate.onListing > this.listings);
    return [...this.keys.values()];
  }

  async revoke(id: string): Promise<void> {
    this.revoked.push(id);
    this.keys.delete(id);
  }

  named(name: string): Key[] {
    return [...this.keys.values()].filter((key) => key.name === name);
  }
}

/** Fake keys of one scope and connection, told apart by name. */
const fakeIdentity = (name: string): string => keyIdentity({ resourceType: 'apikeys_fake_key', connection: null, scope: '', name });

const FAST: ExactlyOnceSettings = defaultSettings(1_000, { settleWindowMs: 60, firstRelistDelayMs: 1, maxRelistDelayMs: 5, maxAttempts: 3 });

interface Setup {
  vendor: FakeVendor;
  ledger: CreateLedger;
  warnings: { summary: string; detail: string }[];
  create(name: string, options?: { settings?: ExactlyOnceSettings; chooseSecret?: boolean; ledger?: CreateLedger }): Promise<Created>;
}

function setup(): Setup {
  const vendor = new FakeVendor();
  const ledger = new CreateLedger();
  const warnings: { summary: string; detail: string }[] = [];
  const inventory = new Inventory(() => vendor.list(), (key: Key) => key.id);
  const create = (name: string, options: { settings?: ExactlyOnceSettings; chooseSecret?: boolean; ledger?: CreateLedger } = {}) => {
    const secret = options.chooseSecret ? generateCustomKey() : undefined;
    const hooks: CreateHooks<Key, Created> = {
      label: `Fake key "${name}"`,
      resourceType: 'apikeys_fake_key',
      identity: fakeIdentity(name),
      inventory,
      send: () => vendor.create(name, secret),
      createdId: (created) => created.id,
      itemId: (key) => key.id,
      sameName: (key) => key.name === name,
      createdAtMs: (key) => key.createdAt,
      revoke: (key) => vendor.revoke(key.id),
      revokeCreated: (created) => vendor.revoke(created.id),
      describe: (key) => `${key.id} ("${key.name}")`,
      importId: (key) => key.id,
      ...(secret ? { adopt: (key: Key) => (key.name === name && partialKeyMatches(key.redacted, secret) ? { id: key.id, secret } : undefined) } : {}),
    };
    return createExactlyOnce(hooks, {
      settings: options.settings ?? FAST,
      receipt: (options.ledger ?? ledger).receipt(),
      warnings: { warning: (summary, detail) => warnings.push({ summary, detail }) },
    });
  };
  return { vendor, ledger, warnings, create };
}

describe('createExactlyOnce', () => {
  test('a plain create sends once and lists once, before sending', async () => {
    const { vendor, warnings, create } = setup();
    const created = await create('ci');
    expect(vendor.creates).toBe(1);
    expect(vendor.listings).toBe(1);
    expect(vendor.named('ci').map((key) => key.id)).toEqual([created.id]);
    expect(warnings).toEqual([]);
  });

  test('answer lost after the vendor acted: the orphan is revoked, the create is sent once more, and a warning names the revoked key', async () => {
    const { vendor, warnings, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' });
    const created = await create('ci');
    expect(vendor.creates).toBe(2);
    expect(vendor.revoked).toHaveLength(1);
    const [orphan] = vendor.revoked;
    expect(vendor.named('ci').map((key) => key.id)).toEqual([created.id]);
    expect(created.id).not.toBe(orphan);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].summary).toBe(`Revoked ${orphan}: the create of Fake key "ci" made it, but its answer was lost`);
    expect(warnings[0].detail).toContain('attempt 1 of 3');
    expect(warnings[0].detail).toContain('UND_ERR_SOCKET');
  });

  test.each([
    ['on the 2nd re-list', 2],
    ['on the 3rd re-list', 3],
  ])('a vendor acting late (the key appears %s) is still found, revoked and the create resent', async (_, listing) => {
    const { vendor, create } = setup();
    // The pre-create listing is #1, so the Nth re-list is listing N + 1.
    vendor.faults.push({ kind: 'late', appearsOnListing: listing, answer: 'timeout' });
    const settings = { ...FAST, settleWindowMs: 10_000 };
    const created = await create('ci', { settings });
    expect(vendor.revoked).toHaveLength(1);
    expect(vendor.named('ci').map((key) => key.id)).toEqual([created.id]);
    expect(vendor.creates).toBe(2);
  });

  test('a gateway 502 after the vendor acted counts as unknown: the orphan is revoked, never kept silently', async () => {
    const { vendor, warnings, create } = setup();
    vendor.faults.push({ kind: '502-after-acting' });
    const created = await create('ci');
    expect(vendor.revoked).toHaveLength(1);
    expect(vendor.named('ci').map((key) => key.id)).toEqual([created.id]);
    expect(warnings[0].detail).toContain('HTTP 502');
  });

  test('a 504 from a vendor that acts late is resolved the same way', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'late', appearsOnListing: 2, answer: '504' });
    const created = await create('ci', { settings: { ...FAST, settleWindowMs: 10_000 } });
    expect(vendor.revoked).toHaveLength(1);
    expect(vendor.named('ci').map((key) => key.id)).toEqual([created.id]);
  });

  test('a 500 before the vendor acted: no key appears within the window, so the create is sent again, with a warning', async () => {
    const { vendor, warnings, create } = setup();
    vendor.faults.push({ kind: '500-before-acting' });
    const created = await create('ci');
    expect(vendor.revoked).toEqual([]);
    expect(vendor.named('ci').map((key) => key.id)).toEqual([created.id]);
    expect(vendor.listings).toBeGreaterThan(2);
    expect(warnings.map((warning) => warning.summary)).toEqual(['Sent the create of Fake key "ci" again']);
  });

  test('a definite rejection (4xx) is not retried and lists nothing after', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'reject' });
    await expect(create('ci')).rejects.toBeInstanceOf(VendorValidationError);
    expect(vendor.creates).toBe(1);
    expect(vendor.listings).toBe(1);
  });

  test('ambiguous: two new keys with the name appear; nothing is revoked, nothing resent, and the error names both and how to import', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' });
    const original = vendor.list.bind(vendor);
    let injected: Key | undefined;
    vendor.list = async () => {
      // Somebody else makes a key with the same name right after our request.
      if (vendor.creates === 1 && !injected) injected = vendor.add('ci');
      return original();
    };
    const error = await create('ci').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CreateOutcomeAmbiguousError);
    const ambiguous = error as CreateOutcomeAmbiguousError;
    expect(ambiguous.code).toBe('APIKEYS_ERR_CREATE_AMBIGUOUS');
    expect(ambiguous.candidateIds.sort()).toEqual(vendor.named('ci').map((key) => key.id).sort());
    expect(ambiguous.candidateIds).toHaveLength(2);
    expect(ambiguous.hint).toContain(`import { to = <that address>  id = "${ambiguous.candidateIds[0]}" }`);
    expect(ambiguous.hint).toContain('with apikeys_fake_key.');
    expect(vendor.revoked).toEqual([]);
    expect(vendor.creates).toBe(1);
  });

  test('Ctrl-C while settling: a refused listing ends the wait at once, with an error that says what to check', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' });
    const original = vendor.list.bind(vendor);
    vendor.list = async () => {
      if (vendor.creates > 0) throw new OperationStoppedError('Fake "list keys" was not sent: Terraform is stopping the provider');
      return original();
    };
    const error = await create('ci', { settings: { ...FAST, settleWindowMs: 600_000 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect((error as Error).message).toContain('Terraform is stopping');
    expect(vendor.listings).toBe(1);
  });

  test('a same-name key created long before the request (outside the clock-skew tolerance) is never taken for ours', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' });
    const original = vendor.list.bind(vendor);
    vendor.list = async () => {
      const keys = await original();
      // A key that the pre-create listing missed but that is old: not provably ours.
      if (vendor.listings === 2) vendor.add('ci', Date.now() - 10 * 60_000);
      return keys;
    };
    await create('ci');
    expect(vendor.revoked).toHaveLength(1);
    expect(vendor.named('ci')).toHaveLength(2); // the old one and the one we created
  });

  test('caller-chosen secret (Edge Impulse): the key that appears after a lost answer is adopted with the secret, not revoked', async () => {
    const { vendor, warnings, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' });
    const created = await create('ci', { chooseSecret: true });
    expect(vendor.creates).toBe(1);
    expect(vendor.revoked).toEqual([]);
    const [key] = vendor.named('ci');
    expect(created).toEqual({ id: key.id, secret: key.secret });
    expect(created.secret).toMatch(/^ei_[0-9a-f]{64}$/);
    expect(warnings[0].summary).toBe('Recovered Fake key "ci" from a lost answer');
    expect(JSON.stringify(warnings)).not.toContain(key.secret);
  });

  test('caller-chosen secret: a new same-name key with another secret is not adopted and not revoked', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: '500-before-acting' });
    const original = vendor.list.bind(vendor);
    vendor.list = async () => {
      if (vendor.listings === 1) vendor.add('ci', Date.now(), `ei_${'0'.repeat(64)}`);
      return original();
    };
    await expect(create('ci', { chooseSecret: true })).rejects.toBeInstanceOf(CreateOutcomeAmbiguousError);
    expect(vendor.revoked).toEqual([]);
  });

  test('attempts are bounded: every send lost means every orphan revoked, then a clear error', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' }, { kind: 'lost-after-acting' }, { kind: 'lost-after-acting' }, { kind: 'lost-after-acting' });
    const error = await create('ci').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CreateAttemptsExhaustedError);
    expect((error as CreateAttemptsExhaustedError).message).toContain('all 3 attempts');
    expect(vendor.creates).toBe(3);
    expect(vendor.revoked).toHaveLength(3);
    expect(vendor.named('ci')).toEqual([]);
  });

  test('a failed pre-create listing sends nothing', async () => {
    const { vendor, create } = setup();
    vendor.list = async () => {
      throw new VendorServerError('Fake', 'list keys', 503, {});
    };
    await expect(create('ci')).rejects.toBeInstanceOf(CreateOutcomeUnknownError);
    expect(vendor.creates).toBe(0);
  });

  test('listings that keep failing after a lost answer: no resend, an error that says what to check', async () => {
    const { vendor, create } = setup();
    vendor.faults.push({ kind: 'lost-after-acting' });
    const original = vendor.list.bind(vendor);
    vendor.list = async () => {
      if (vendor.creates > 0) throw new VendorServerError('Fake', 'list keys', 503, {});
      return original();
    };
    const error = await create('ci').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect((error as Error).message).toContain('listing the keys afterwards');
    expect(vendor.creates).toBe(1);
  });

  test('a create sends nothing about same-name keys it did not make: that is the plan-time check', async () => {
    const { vendor, warnings, create } = setup();
    vendor.add('ci', Date.now() - 3_600_000);
    await create('ci');
    expect(warnings).toEqual([]);
    expect(vendor.named('ci')).toHaveLength(2);
  });
});

describe('Terraform gone', () => {
  test('keys whose answer could not be delivered are revoked; delivered ones too under the default policy', async () => {
    const { vendor, ledger } = setup();
    const inventory = new Inventory(() => vendor.list(), (key: Key) => key.id);
    const make = async (name: string) => {
      const receipt = ledger.receipt();
      const created = await createExactlyOnce<Key, Created>({
        label: name, resourceType: 'apikeys_fake_key', identity: fakeIdentity(name), inventory, send: () => vendor.create(name),
        createdId: (c) => c.id, itemId: (k) => k.id, sameName: (k) => k.name === name, createdAtMs: (k) => k.createdAt,
        revoke: (k) => vendor.revoke(k.id), revokeCreated: (c) => vendor.revoke(c.id), describe: (k) => k.id, importId: (k) => k.id,
      }, { settings: FAST, receipt, warnings: { warning: () => undefined } });
      return { receipt, created };
    };
    const delivered = await make('delivered');
    delivered.receipt.delivered();
    const undelivered = await make('undelivered');
    expect(ledger.undeliveredCount).toBe(1);

    const report = await ledger.terraformGone(5_000);
    expect(report.revoked.sort()).toEqual([delivered.created.id, undelivered.created.id].sort());
    expect(vendor.keys.size).toBe(0);
    await expect(make('after')).rejects.toThrow(/Terraform has gone away/);
    expect(vendor.creates).toBe(2);
  });

  test('with terraform_exit_revokes = "undelivered", delivered keys stay', async () => {
    const { vendor, create } = setup();
    const ledger = new CreateLedger();
    ledger.exitRevocation = 'undelivered';
    const kept = await create('kept', { ledger });
    // The receipt of `kept` was never marked delivered: it counts as undelivered. Deliver through a receipt we control:
    const receipt = ledger.receipt();
    receipt.recordCreated({ id: 'key_manual', label: 'manual', revoke: () => vendor.revoke('key_manual') });
    receipt.delivered();
    const report = await ledger.terraformGone(5_000);
    expect(report.revoked).toEqual([kept.id]);
    expect(vendor.revoked).toEqual([kept.id]);
  });

  test('a call cancelled while its create is in flight: the key is revoked as soon as it arrives', async () => {
    const { vendor } = setup();
    const ledger = new CreateLedger();
    const receipt = ledger.receipt();
    receipt.undeliverable(); // Terraform cancelled the call
    receipt.recordCreated({ id: 'key_late', label: 'late', revoke: () => vendor.revoke('key_late') });
    const report = await ledger.terraformGone(5_000);
    expect(report.revoked).toEqual(['key_late']);
  });

  test('a create still in flight when Terraform goes is waited for (within the deadline) and its key revoked', async () => {
    const { vendor, create } = setup();
    const ledger = new CreateLedger();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const originalCreate = vendor.create.bind(vendor);
    vendor.create = async (name: string) => {
      await gate;
      return originalCreate(name);
    };
    const pending = create('slow', { ledger }).catch((error: unknown) => error);
    while (vendor.listings === 0) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const gone = ledger.terraformGone(10_000);
    release();
    const report = await gone;
    await pending;
    expect(report.revoked).toHaveLength(1);
    expect(vendor.keys.size).toBe(0);
  });
});

describe('warnAboutNamesakes (plan time)', () => {
  const scope = (vendor: FakeVendor, name: string): NamesakeHooks<Key> => ({
    label: `Fake key "${name}"`, resourceType: 'apikeys_fake_key', inventory: new Inventory(() => vendor.list(), (key: Key) => key.id),
    itemId: (key) => key.id, sameName: (key) => key.name === name, describe: (key) => `${key.id} ("${key.name}")`, importId: (key) => key.id,
  });

  test('a same-name key that no state of this run tracks is named, with the import hint', async () => {
    const vendor = new FakeVendor();
    const stray = vendor.add('ci', Date.now() - 3_600_000);
    const tracked = vendor.add('ci');
    vendor.add('other');
    const warnings: { summary: string; detail: string }[] = [];
    await warnAboutNamesakes(scope(vendor, 'ci'), new Set([tracked.id]), { warning: (summary, detail) => warnings.push({ summary, detail }) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0].summary).toBe('A key named like Fake key "ci" already exists');
    expect(warnings[0].detail).toContain(stray.id);
    expect(warnings[0].detail).not.toContain(tracked.id);
    expect(warnings[0].detail).toContain(`import { to = <that address>  id = "${stray.id}" }`);
    expect(vendor.revoked).toEqual([]);
  });

  test('nothing to say when every namesake is tracked, or the listing fails', async () => {
    const vendor = new FakeVendor();
    const tracked = vendor.add('ci');
    const warnings: string[] = [];
    await warnAboutNamesakes(scope(vendor, 'ci'), new Set([tracked.id]), { warning: (summary) => warnings.push(summary) });
    vendor.list = async () => {
      throw new VendorServerError('Fake', 'list keys', 503, {});
    };
    vendor.add('ci');
    await warnAboutNamesakes(scope(vendor, 'ci'), new Set(), { warning: (summary) => warnings.push(summary) });
    expect(warnings).toEqual([]);
  });
});

describe('partialKeyMatches', () => {
  const secret = `ei_${'a1b2c3d4'.repeat(8)}`;
  test.each([
    [`${secret.slice(0, 7)}…`, true],
    [`${secret.slice(0, 3)}…${secret.slice(-4)}`, true],
    [secret, true],
    ['ei_…', false],
    [`${secret.slice(0, 5)}…`, false],
    ['ei_ffff…', false],
    [undefined, false],
  ])('%s → %s', (listed, expected) => {
    expect(partialKeyMatches(listed, secret)).toBe(expected);
  });
});

describe('outcomeUnknown and defaultSettings', () => {
  test.each([
    ['a timeout', new VendorTimeoutError('Fake', 'create', 'no answer', true), true],
    ['a lost answer', new VendorUnreachableError('Fake', 'create', 'socket closed', true), true],
    ['a refused connection (never sent)', new VendorUnreachableError('Fake', 'create', 'ECONNREFUSED', false), false],
    ['a 502', new VendorServerError('Fake', 'create', 502, {}), true],
    ['a 504', new VendorServerError('Fake', 'create', 504, {}), true],
    ['a 400', new VendorValidationError('Fake', 'create', 400, {}), false],
    ['a stop', new OperationStoppedError('stopped'), false],
  ])('%s → %s', (_, error, expected) => {
    expect(outcomeUnknown(error)).toBe(expected);
  });

  test('the settle window is twice the request timeout, at least 5 s and at most 300 s', () => {
    expect(defaultSettings(30_000).settleWindowMs).toBe(60_000);
    expect(defaultSettings(1_000).settleWindowMs).toBe(5_000);
    expect(defaultSettings(600_000).settleWindowMs).toBe(300_000);
    expect(defaultSettings(30_000).maxAttempts).toBe(3);
  });
});

describe('the journal of unconfirmed keys (Terraform killed before a remote backend saved state)', () => {
  const journalDir = () => mkdtempSync(join(tmpdir(), 'apikeys-journal-'));

  function run(vendor: FakeVendor, journal: CreateJournal, warnings: string[] = []) {
    const ledger = new CreateLedger();
    const inventory = new Inventory(() => vendor.list(), (key: Key) => key.id);
    return (name: string) => createExactlyOnce<Key, Created>({
      label: `Fake key "${name}"`, resourceType: 'apikeys_fake_key', identity: fakeIdentity(name), inventory, send: () => vendor.create(name),
      createdId: (c) => c.id, itemId: (k) => k.id, sameName: (k) => k.name === name, createdAtMs: (k) => k.createdAt,
      revoke: (k) => vendor.revoke(k.id), revokeCreated: (c) => vendor.revoke(c.id), describe: (k) => `${k.id} ("${k.name}")`, importId: (k) => k.id,
    }, { settings: FAST, receipt: ledger.receipt(), warnings: { warning: (summary) => warnings.push(summary) }, journal });
  }

  test('a key an earlier run created and no state confirmed is revoked by the next create of that name; a confirmed one is kept', async () => {
    const vendor = new FakeVendor();
    const journal = new FileCreateJournal(journalDir());
    const lost = await run(vendor, journal)('ci');
    const saved = await run(vendor, journal)('ops');
    journal.forget(saved.id); // a later refresh saw it in a state

    const warnings: string[] = [];
    const second = run(vendor, journal, warnings);
    const again = await second('ci');
    await second('ops');
    expect(vendor.revoked).toEqual([lost.id]);
    expect(warnings).toEqual([`Revoked ${lost.id}: an earlier apply created it for Fake key "ci", but Terraform never saved it`]);
    expect(vendor.named('ci').map((key) => key.id)).toEqual([again.id]);
    expect(vendor.named('ops')).toHaveLength(2); // the confirmed key stays; a second "ops" was asked for
    expect(journal.unconfirmed(fakeIdentity('ci')).map((entry) => entry.id)).toEqual([again.id]);
  });

  test('a create interrupted before its answer (Terraform killed) is settled by the next create of that name: the key it made is revoked', async () => {
    const vendor = new FakeVendor();
    const journal = new FileCreateJournal(journalDir());
    const existing = vendor.add('ci', Date.now() - 1_000); // made before the interrupted send: never taken for its key
    vendor.faults.push({ kind: 'hang-after-acting' });
    void run(vendor, journal)('ci'); // the process "dies" here: the vendor made a key, no answer ever comes
    while (vendor.named('ci').length < 2) await new Promise((resolve) => setImmediate(resolve));
    const orphan = vendor.named('ci').find((key) => key.id !== existing.id)!;
    expect(journal.interrupted(fakeIdentity('ci'))).toHaveLength(1);

    const warnings: string[] = [];
    const fresh = await run(vendor, journal, warnings)('ci');
    expect(vendor.revoked).toEqual([orphan.id]);
    expect(warnings).toEqual([`Revoked ${orphan.id}: an interrupted create of Fake key "ci" made it`]);
    expect(vendor.named('ci').map((key) => key.id).sort()).toEqual([existing.id, fresh.id].sort());
    expect(journal.interrupted(fakeIdentity('ci'))).toEqual([]);
  });

  test('an interrupted create with two candidate keys revokes neither, and says so', async () => {
    const vendor = new FakeVendor();
    const journal = new FileCreateJournal(journalDir());
    vendor.faults.push({ kind: 'hang-after-acting' });
    void run(vendor, journal)('ci');
    while (vendor.named('ci').length < 1) await new Promise((resolve) => setImmediate(resolve));
    vendor.add('ci'); // somebody else made a key of that name meanwhile
    const warnings: string[] = [];
    await run(vendor, journal, warnings)('ci');
    expect(vendor.revoked).toEqual([]);
    expect(warnings).toEqual(['Several keys may come from an interrupted create of Fake key "ci"']);
    expect(journal.interrupted(fakeIdentity('ci'))).toEqual([]);
  });

  test('settled creates leave no intent: answered, refused by the vendor, or found after a lost answer', async () => {
    const vendor = new FakeVendor();
    const journal = new FileCreateJournal(journalDir());
    await run(vendor, journal)('answered');
    vendor.faults.push({ kind: 'reject' });
    await expect(run(vendor, journal)('refused')).rejects.toThrow('bad name');
    vendor.faults.push({ kind: 'lost-after-acting' });
    await run(vendor, journal)('lost');
    for (const name of ['answered', 'refused', 'lost']) expect(journal.interrupted(fakeIdentity(name))).toEqual([]);
  });

  test('entries hold no secret, files are 0600 in a 0700 directory, one journal per working directory and workspace', async () => {
    const state = journalDir();
    const work = journalDir();
    const journal = FileCreateJournal.forProcess({ XDG_STATE_HOME: state }, work)!;
    const vendor = new FakeVendor();
    const created = await run(vendor, journal)('ci');
    const [run1] = readdirSync(join(state, 'cdktf-apikeys', 'unconfirmed-keys'));
    const dir = join(state, 'cdktf-apikeys', 'unconfirmed-keys', run1);
    const [file] = readdirSync(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, file), 'utf8')).not.toContain(created.secret);
    expect(FileCreateJournal.forProcess({ XDG_STATE_HOME: state, TF_WORKSPACE: 'staging' }, work)!.unconfirmed(fakeIdentity('ci'))).toEqual([]);
    expect(FileCreateJournal.forProcess({ XDG_STATE_HOME: state }, journalDir())!.unconfirmed(fakeIdentity('ci'))).toEqual([]);
    expect(FileCreateJournal.forProcess({ XDG_STATE_HOME: state, APIKEYS_CREATE_JOURNAL: '0' }, work)).toBeUndefined();
    expect(FileCreateJournal.forProcess({}, work)).toBeUndefined();
  });
});
