import type { DataSource, QueryRunner } from 'typeorm';
import { rows as rowsOf, run } from '../database/sql.js';
import type { Clock } from './clock.js';

/**
 * The life of an outbox row: written pending, then sent or given up (failed). While a sender holds
 * it, it stays pending under that sender's row lock; `sending` (with `locked_until`) is how earlier
 * versions claimed rows, still honoured for rows they left behind.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** What every claimed row carries; the queue's table adds its own columns. */
export interface ClaimedRow {
  id: string;
  /** Attempts including the one just claimed. */
  attempts: number;
}

export interface OutboxQueueOptions {
  /** The outbox table: id, status, attempts, next_attempt_at, locked_until, last_error, sent_at, created_at. */
  table: string;
  /** The columns a claim returns, as `q.column` (`q.id` and `q.attempts` are always returned). */
  columns: string[];
  /** Rows claimed at once. */
  batch: number;
  /** Rows of a batch in flight at once. */
  parallel: number;
  /** A further condition a row must meet to be claimed (over the table, unaliased). */
  claimable?: string;
  /** A table whose columns the claim returns too (`columns` may name them by `alias`), joined `on`. */
  join?: { table: string; alias: string; on: string };
  /** Further assignments when rows are marked sent (e.g. blanking bodies), after `status`, `sent_at`… */
  onSent?: string;
}

/**
 * `base × 2^(attempt−1)`, at most `max`, spread by ±`jitter` (a fraction) so that many rows failing
 * together do not all come back in the same second.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, jitter = 0, random: () => number = Math.random): number {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
  return Math.max(0, Math.round(delay * (1 + jitter * (2 * random() - 1))));
}

/** Rows claimed together: held under one transaction's row locks until each is sent, retried or handed back. */
interface Lease {
  runner: QueryRunner;
  /** The runner's statements one after another (a connection runs one at a time). */
  chain: Promise<unknown>;
  /** Rows not yet sent, retried or handed back. */
  open: number;
  sentIds: string[];
}

/**
 * The claiming, retrying and clean-up shared by the outboxes (mail, webhooks): rows are written in
 * the caller's transaction; any number of instances claim due ones with FOR UPDATE SKIP LOCKED, in a
 * transaction held while they are sent, so that a claim writes nothing: a row is written once, when
 * it is sent (or retried). A sender that crashes or loses its connection lets go of its rows with
 * its transaction, and they are claimed again at once (at-least-once, with a stable id for the
 * receiver to drop repeats). What sending means, and how a failure is judged, is the caller's.
 */
export class OutboxQueue<Row extends ClaimedRow> {
  /** The lease of every row held now, by id (retryLater writes in the transaction that holds the row). */
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly options: OutboxQueueOptions,
  ) {}

  /**
   * Claims and sends due rows until none are left (or `stopped()`): `parallel` workers take rows one
   * by one from what this sender holds, and the next batch is claimed while half of the last is still
   * waiting, so that no worker idles at a batch's end. `send` returns whether the row was sent (a
   * failing `send` must have called `retryLater`); once every row of a batch is sent or retried, its
   * sent rows are marked in one statement and its transaction ends, then `afterSent` runs. At
   * `stopped()` the rows held but not sent are let go unchanged. Returns how many were sent.
   */
  async drain(work: {
    send: (row: Row) => Promise<boolean>;
    stopped: () => boolean;
    afterSent?: () => Promise<void>;
  }): Promise<number> {
    const { send, stopped, afterSent } = work;
    const { batch, parallel } = this.options;
    const held: Row[] = [];
    const ending: Promise<void>[] = [];
    let sent = 0;
    let exhausted = false;
    let claiming: Promise<void> | null = null;
    let failure: unknown;
    const fail = (error: unknown) => {
      failure ??= error; // thrown once the workers have finished what they hold
      exhausted = true;
    };
    const refill = () =>
      (claiming ??= this.claim()
        .then((rows) => {
          held.push(...rows);
          if (rows.length < batch) exhausted = true;
        }, fail)
        .finally(() => (claiming = null)));
    /** One row of its lease is done; the last one ends the lease. */
    const done = (row: Row, wasSent: boolean) => {
      const lease = this.leases.get(row.id);
      this.leases.delete(row.id);
      if (!lease) return;
      if (wasSent) lease.sentIds.push(row.id);
      if (--lease.open > 0) return;
      ending.push(
        this.end(lease)
          .then(() => afterSent?.())
          .catch(fail),
      );
    };
    const worker = async () => {
      for (;;) {
        if (stopped()) return;
        if (held.length < batch && !exhausted) void refill();
        const row = held.shift();
        if (!row) {
          if (claiming) {
            await claiming;
            continue;
          }
          return;
        }
        let wasSent = false;
        try {
          wasSent = await send(row);
          if (wasSent) sent++;
        } catch (error) {
          fail(error);
        }
        done(row, wasSent);
      }
    };
    await refill();
    await Promise.all(Array.from({ length: parallel }, worker));
    await claiming;
    for (const row of held.splice(0)) done(row, false);
    await Promise.all(ending);
    if (failure) throw failure;
    return sent;
  }

  /**
   * Due rows (pending and due, or left `sending` by an earlier version's sender whose claim expired),
   * locked for this sender in a transaction that stays open until each is sent or retried.
   */
  async claim(): Promise<Row[]> {
    const { table, columns, batch, claimable, join } = this.options;
    const now = this.clock.now();
    const due = (status: string, at: string) => `status = '${status}' AND ${at} <= $1${claimable ? ` AND ${claimable}` : ''}`;
    // Most passes find nothing due: one statement, without a transaction, says so.
    const [{ any }] = rowsOf<{ any: boolean }>(
      await this.dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM ${table} WHERE ${due('pending', 'next_attempt_at')}) OR EXISTS (SELECT 1 FROM ${table} WHERE ${due('sending', 'locked_until')}) AS any`,
        [now],
      ),
    );
    if (!any) return [];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let rows: Row[];
    try {
      await runner.startTransaction();
      // Each part walks the (status, next_attempt_at) index: no scan of the rows already sent.
      rows = rowsOf<Row>(
        await runner.query(
          `WITH due AS (
             SELECT id FROM ${table} WHERE ${due('pending', 'next_attempt_at')} ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
           ), stale AS (
             SELECT id FROM ${table} WHERE ${due('sending', 'locked_until')} LIMIT $2 FOR UPDATE SKIP LOCKED
           )
           SELECT q.id, q.attempts + 1 AS attempts${columns.length ? `, ${columns.join(', ')}` : ''}
             FROM ${table} q${join ? ` JOIN ${join.table} ${join.alias} ON ${join.on}` : ''}
            WHERE q.id IN (SELECT id FROM due UNION ALL SELECT id FROM stale)
            ORDER BY q.next_attempt_at`,
          [now, batch],
        ),
      );
    } catch (error) {
      await this.close(runner, false);
      throw error;
    }
    if (rows.length === 0) {
      await this.close(runner, true);
      return rows;
    }
    const lease: Lease = { runner, chain: Promise.resolve(), open: rows.length, sentIds: [] };
    for (const row of rows) this.leases.set(row.id, lease);
    return rows;
  }

  /** Marks the lease's sent rows and ends its transaction (letting go of the rows neither sent nor retried). */
  private async end(lease: Lease): Promise<void> {
    const { table, onSent } = this.options;
    try {
      await lease.chain;
      if (lease.sentIds.length) {
        await lease.runner.query(
          `UPDATE ${table} SET status = 'sent', attempts = attempts + 1, sent_at = $2, locked_until = NULL, last_error = NULL${onSent ? `, ${onSent}` : ''}
            WHERE id = ANY($1::uuid[])`,
          [lease.sentIds, this.clock.now()],
        );
      }
    } catch (error) {
      await this.close(lease.runner, false);
      throw error;
    }
    await this.close(lease.runner, true);
  }

  private async close(runner: QueryRunner, commit: boolean): Promise<void> {
    try {
      if (runner.isTransactionActive) await (commit ? runner.commitTransaction() : runner.rollbackTransaction());
    } finally {
      await runner.release();
    }
  }

  /**
   * A failed attempt: tried again at `at`, or given up (`failed`) when `at` is null. `set` adds
   * assignments with their parameters numbered from $5. Written in the transaction that holds the
   * row (waiting for another would wait for this sender).
   */
  async retryLater(id: string, at: Date | null, error: string, set?: { sql: string; params: unknown[] }): Promise<void> {
    const lease = this.leases.get(id);
    const sql = `UPDATE ${this.options.table}
          SET status = $2, attempts = attempts + 1, next_attempt_at = coalesce($3, next_attempt_at), locked_until = NULL, last_error = $4${set ? `, ${set.sql}` : ''}
        WHERE id = $1`;
    const params = [id, at ? 'pending' : 'failed', at, error.slice(0, 1000), ...(set?.params ?? [])];
    if (!lease) {
      await this.dataSource.query(sql, params);
      return;
    }
    const written = lease.chain.then(() => lease.runner.query(sql, params));
    lease.chain = written.catch(() => undefined);
    await written;
  }

  /** Makes a row due now again (manual retry); false when there is no such row or a sender holds it. */
  async retryNow(id: string, where = 'true', params: unknown[] = []): Promise<boolean> {
    const { table } = this.options;
    const { affected } = await run(
      this.dataSource.manager,
      `UPDATE ${table} SET status = 'pending', next_attempt_at = $2, locked_until = NULL
        WHERE id = (SELECT id FROM ${table} WHERE id = $1 AND status <> 'sending' AND ${where} FOR UPDATE SKIP LOCKED)`,
      [id, this.clock.now(), ...params],
    );
    return affected === 1;
  }

  /** Retention: sent and failed rows older than `cutoff` (by when they were sent, else written) are deleted. */
  async purge(cutoff: Date): Promise<number> {
    const { affected } = await run(
      this.dataSource.manager,
      `DELETE FROM ${this.options.table} WHERE status IN ('sent', 'failed') AND coalesce(sent_at, created_at) < $1`,
      [cutoff],
    );
    return affected;
  }
}
