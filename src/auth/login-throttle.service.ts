import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { rows } from '../database/sql.js';
import { AuthErrorCode } from './auth.errors.js';

export type AttemptKind = 'login' | 'register';

/** Advisory-lock namespaces (the two-key form, so that they never collide with other locks). */
const ACCOUNT_LOCK = 24_001;
const ADDRESS_LOCK = 24_002;

/**
 * Limits attempts per account (guessing one person's password) and per client address (trying many
 * accounts), in a sliding window, for sign-ins and for registrations. Kept in PostgreSQL so that
 * every instance sees the same counts.
 *
 * An attempt is RESERVED before it is evaluated: under two transaction-scoped advisory locks (the
 * account's, then the address's: one order, so no deadlock) a row is inserted only while the counts
 * are below the limits. So 40 concurrent wrong passwords with a limit of 5 evaluate exactly 5, on
 * any number of instances. A correct sign-in removes its reservation and the account's failures;
 * a wrong one leaves the reservation as the failure. Registrations always count.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Reserves one attempt or answers 429; returns the reservation's id. */
  async reserve(kind: AttemptKind, accountKey: string, address: string): Promise<string> {
    const now = this.clock.now();
    const windowMs = this.config.loginFailureWindowMinutes * 60_000;
    const since = new Date(now.getTime() - windowMs);
    const perAccount = this.config.loginMaxFailuresPerAccount;
    const perAddress = kind === 'login' ? this.config.loginMaxFailuresPerAddress : this.config.registrationsMaxPerAddress;
    return this.dataSource.transaction(async (manager) => {
      // A statement of its own: under READ COMMITTED the INSERT below then takes its snapshot after
      // the lock is held, and so sees every reservation committed by the previous holder.
      await manager.query(
        `SELECT pg_advisory_xact_lock($1::int, hashtext($3::text || ':' || $4::text)), pg_advisory_xact_lock($2::int, hashtext($3::text || ':' || $5::text))`,
        [ACCOUNT_LOCK, ADDRESS_LOCK, kind, accountKey, address],
      );
      const reserved = rows<{ id: string }>(
        await manager.query(
          `INSERT INTO login_failures (kind, account_key, address, occurred_at)
           SELECT $1::varchar, $2::varchar, $3::varchar, $4::timestamptz
            WHERE (SELECT count(*) FROM login_failures WHERE kind = $1 AND account_key = $2 AND occurred_at > $5) < $6::int
              AND (SELECT count(*) FROM login_failures WHERE kind = $1 AND address = $3 AND occurred_at > $5) < $7::int
           RETURNING id`,
          [kind, accountKey, address, now, since, perAccount, perAddress],
        ),
      );
      if (reserved.length) return reserved[0].id;
      const [{ oldest }] = rows<{ oldest: Date | null }>(
        await manager.query(
          `SELECT min(occurred_at) AS oldest FROM login_failures
            WHERE kind = $1 AND (account_key = $2 OR address = $3) AND occurred_at > $4`,
          [kind, accountKey, address, since],
        ),
      );
      const retryAfterSeconds = Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + windowMs - now.getTime()) / 1000));
      throw new AppError(
        429,
        AuthErrorCode.TOO_MANY_ATTEMPTS,
        kind === 'login' ? 'Too many failed sign-ins; try again later' : 'Too many registrations; try again later',
        { retryAfterSeconds },
      );
    });
  }

  /** A correct sign-in: its reservation and the account's failures go (not the address's). Old rows are pruned here too. */
  async recordSuccess(reservationId: string, accountKey: string): Promise<void> {
    const cutoff = new Date(this.clock.now().getTime() - 24 * 3600_000);
    await this.dataSource.query(
      `DELETE FROM login_failures WHERE id = $1 OR (kind = 'login' AND account_key = $2) OR occurred_at < $3`,
      [reservationId, accountKey, cutoff],
    );
  }

  /** A password reset by email: the account's failed sign-ins no longer count. */
  async clearAccount(accountKey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failures WHERE kind = 'login' AND account_key = $1`, [accountKey]);
  }
}
