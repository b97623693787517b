import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AuthErrorCode } from './auth.errors.js';

/**
 * Limits failed sign-ins per account (guessing one person's password) and per address (trying many
 * accounts). Only failures count, so any number of colleagues signing in correctly from one office
 * address is never blocked. Kept in PostgreSQL so that every instance sees the same counts.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async assertAllowed(accountKey: string, address: string): Promise<void> {
    const windowMs = this.config.loginFailureWindowMinutes * 60_000;
    const since = new Date(this.clock.now().getTime() - windowMs);
    const [row] = (await this.dataSource.query(
      `SELECT
         (SELECT count(*) FROM login_failures WHERE account_key = $1 AND occurred_at > $3)::int AS account,
         (SELECT count(*) FROM login_failures WHERE address = $2 AND occurred_at > $3)::int AS address,
         (SELECT min(occurred_at) FROM login_failures WHERE (account_key = $1 OR address = $2) AND occurred_at > $3) AS oldest`,
      [accountKey, address, since],
    )) as { account: number; address: number; oldest: Date | null }[];
    if (row.account >= this.config.loginMaxFailuresPerAccount || row.address >= this.config.loginMaxFailuresPerAddress) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil(((row.oldest?.getTime() ?? this.clock.now().getTime()) + windowMs - this.clock.now().getTime()) / 1000),
      );
      throw new AppError(429, AuthErrorCode.TOO_MANY_ATTEMPTS, 'Too many failed sign-ins; try again later', {
        retryAfterSeconds,
      });
    }
  }

  async recordFailure(accountKey: string, address: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_failures (account_key, address, occurred_at) VALUES ($1, $2, $3)`,
      [accountKey, address, this.clock.now()],
    );
  }

  /** A correct sign-in clears the account's failures (not the address's). Old rows are pruned here too. */
  async recordSuccess(accountKey: string): Promise<void> {
    const cutoff = new Date(this.clock.now().getTime() - 24 * 3600_000);
    await this.dataSource.query(`DELETE FROM login_failures WHERE account_key = $1 OR occurred_at < $2`, [
      accountKey,
      cutoff,
    ]);
  }
}
