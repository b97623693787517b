import type { DataSource } from 'typeorm';
import { rows as rowsOf, run } from '../database/sql.js';
import type { Clock } from './clock.js';

/** The life of an outbox row: written pending, claimed (sending), then sent or given up (failed). */
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
  /** How long a claim holds: longer than any send's timeout, so that a live sender is never overtaken. */
  claimMs: number;
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

/**
 * The claiming, retrying and clean-up shared by the outboxes (mail, webhooks): rows are written in
 * the caller's transaction; any number of instances claim due ones with FOR UPDATE SKIP LOCKED; a
 * crashed sender's claims expire and are claimed again (at-least-once, with a stable id for the
 * receiver to drop repeats). What sending means, and how a failure is judged, is the caller's.
 */
export class OutboxQueue<Row extends ClaimedRow> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly options: OutboxQueueOptions,
  ) {}

  /**
   * Claims and sends due rows until none are left (or `stopped()`): `parallel` workers take rows one
   * by one from what this sender holds, and the next batch is claimed while half of the last is still
   * waiting, so that no worker idles at a batch's end. `send` returns whether the row was sent (a
   * failing `send` must have called `retryLater`); sent rows are marked a batch at a time while
   * sending goes on (one marking at a time, all done before drain returns), then `afterSent` runs.
   * At `stopped()` the rows held but not sent are handed back. Returns how many were sent.
   */
  async drain(work: {
    send: (row: Row) => Promise<boolean>;
    stopped: () => boolean;
    afterSent?: () => Promise<void>;
  }): Promise<number> {
    const { send, stopped, afterSent } = work;
    const { batch, parallel } = this.options;
    const held: Row[] = [];
    const sentIds: string[] = [];
    let sent = 0;
    let exhausted = false;
    let claiming: Promise<void> | null = null;
    let marking: Promise<unknown> = Promise.resolve();
    let failure: unknown;
    const refill = () =>
      (claiming ??= this.claim()
        .then(
          (rows) => {
            held.push(...rows);
            if (rows.length < batch) exhausted = true;
          },
          (error: unknown) => {
            // Thrown once the workers have finished what they hold.
            failure ??= error;
            exhausted = true;
          },
        )
        .finally(() => (claiming = null)));
    const flush = async () => {
      if (sentIds.length === 0) return;
      const ids = sentIds.splice(0);
      await marking;
      marking = this.markSent(ids).then(() => afterSent?.());
      marking.catch(() => undefined); // awaited (and thrown) by the next flush or at the end, not lost meanwhile
    };
    const worker = async () => {
      for (;;) {
        if (stopped()) return;
        if (held.length < batch / 2 && !exhausted) void refill();
        const row = held.shift();
        if (!row) {
          if (claiming) {
            await claiming;
            continue;
          }
          return;
        }
        if (await send(row)) {
          sentIds.push(row.id);
          sent++;
          if (sentIds.length >= batch) await flush();
        }
      }
    };
    await refill();
    await Promise.all(Array.from({ length: parallel }, worker));
    await claiming;
    if (held.length) await this.release(held.splice(0));
    await flush();
    await marking;
    if (failure) throw failure;
    return sent;
  }

  /** Due rows (pending and due, or claimed by a sender whose claim expired), claimed for this sender. */
  async claim(): Promise<Row[]> {
    const { table, columns, batch, claimMs, claimable, join } = this.options;
    const now = this.clock.now();
    return rowsOf<Row>(
      await this.dataSource.query(
        `UPDATE ${table} q
            SET status = 'sending', attempts = q.attempts + 1, locked_until = $2${join ? `
           FROM ${join.table} ${join.alias}` : ''}
          WHERE ${join ? `${join.on} AND ` : ''}q.id IN (
            SELECT id FROM ${table}
             WHERE ((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND locked_until <= $1))${claimable ? ` AND ${claimable}` : ''}
             ORDER BY next_attempt_at
             LIMIT $3
             FOR UPDATE SKIP LOCKED)
          RETURNING q.id, q.attempts${columns.length ? `, ${columns.join(', ')}` : ''}`,
        [now, new Date(now.getTime() + claimMs), batch],
      ),
    );
  }

  async markSent(ids: string[]): Promise<void> {
    const { table, onSent } = this.options;
    await this.dataSource.query(
      `UPDATE ${table} SET status = 'sent', sent_at = $2, locked_until = NULL, last_error = NULL${onSent ? `, ${onSent}` : ''}
        WHERE id = ANY($1::uuid[])`,
      [ids, this.clock.now()],
    );
  }

  /**
   * A failed attempt: tried again at `at`, or given up (`failed`) when `at` is null. `set` adds
   * assignments with their parameters numbered from $5.
   */
  async retryLater(id: string, at: Date | null, error: string, set?: { sql: string; params: unknown[] }): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.options.table}
          SET status = $2, next_attempt_at = coalesce($3, next_attempt_at), locked_until = NULL, last_error = $4${set ? `, ${set.sql}` : ''}
        WHERE id = $1`,
      [id, at ? 'pending' : 'failed', at, error.slice(0, 1000), ...(set?.params ?? [])],
    );
  }

  /** Makes a row due now again (manual retry); false when there is no such row or it is being sent. */
  async retryNow(id: string, where = 'true', params: unknown[] = []): Promise<boolean> {
    const { affected } = await run(
      this.dataSource.manager,
      `UPDATE ${this.options.table} SET status = 'pending', next_attempt_at = $2, locked_until = NULL
        WHERE id = $1 AND status <> 'sending' AND ${where}`,
      [id, this.clock.now(), ...params],
    );
    return affected === 1;
  }

  /** Hands claimed but unsent rows back at shutdown, so that another instance sends them at once. */
  async release(rows: Row[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.options.table} SET status = 'pending', attempts = attempts - 1, locked_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [rows.map((row) => row.id)],
    );
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
