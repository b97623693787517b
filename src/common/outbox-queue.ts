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
   * Claims and sends due rows until none are left (or `stopped()`): `send` is called for each row,
   * `parallel` at a time, and returns whether it was sent; sent rows are marked in one statement per
   * batch. A failing `send` must have called `retryLater`. `prepare` runs once per batch before its
   * rows are sent (to read what they need in one query), `afterSent` after they are marked. Returns
   * how many were sent.
   */
  async drain(work: {
    send: (row: Row) => Promise<boolean>;
    stopped: () => boolean;
    prepare?: (rows: Row[]) => Promise<void>;
    afterSent?: (ids: string[]) => Promise<void>;
  }): Promise<number> {
    const { send, stopped, prepare, afterSent } = work;
    let sent = 0;
    let next = this.claim();
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      if (stopped()) {
        await this.release(rows);
        break;
      }
      // Claim the next batch while this one is on the wire.
      next = rows.length === this.options.batch ? this.claim() : Promise.resolve([]);
      await prepare?.(rows);
      const sentIds = await this.sendAll(rows, send);
      if (sentIds.length) {
        await this.markSent(sentIds);
        await afterSent?.(sentIds);
      }
      sent += sentIds.length;
    }
    return sent;
  }

  /** Due rows (pending and due, or claimed by a sender whose claim expired), claimed for this sender. */
  async claim(): Promise<Row[]> {
    const { table, columns, batch, claimMs, claimable } = this.options;
    const now = this.clock.now();
    return rowsOf<Row>(
      await this.dataSource.query(
        `UPDATE ${table} q
            SET status = 'sending', attempts = q.attempts + 1, locked_until = $2
          WHERE q.id IN (
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

  /** `parallel` workers pull from the batch; returns the ids sent. */
  private async sendAll(rows: Row[], send: (row: Row) => Promise<boolean>): Promise<string[]> {
    const sentIds: string[] = [];
    let index = 0;
    const worker = async () => {
      while (index < rows.length) {
        const row = rows[index++];
        if (await send(row)) sentIds.push(row.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.parallel, rows.length) }, worker));
    return sentIds;
  }
}
