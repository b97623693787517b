import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { UsersService } from '../auth/users.service.js';
import { Clock } from '../common/clock.js';
import { newLinkToken, hashToken } from '../common/crypto.js';
import { PersonalDataRegistry } from '../common/personal-data.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { queryPrepared } from '../database/prepared-query.js';
import { rows } from '../database/sql.js';

/** A session that counts: who is signed in, and the session's id (CSRF tokens are bound to it). */
export interface ActiveWebSession {
  id: string;
  user: AuthUser;
  /** Works for a course provider: the menu shows "Anordnare". */
  providerStaff?: boolean;
}

/** last_seen_at is written at most this often (a page view is a read; the idle time is minutes). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Web sessions: begun by a sign-in (password, emailed link), ended by signing out, by the idle
 * time (WEB_SESSION_IDLE_MINUTES), by erasure of the account and by any bump of its token version
 * (sign out everywhere, password change or reset).
 */
@Injectable()
export class WebSessionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    // Erasure ends every web session of the account in its transaction; the export lists when they began.
    this.personalData.register({
      key: 'webSessions',
      export: async (manager, userId) =>
        rows<{ createdAt: Date; lastSeenAt: Date }>(
          await manager.query(`SELECT created_at AS "createdAt", last_seen_at AS "lastSeenAt" FROM web_sessions WHERE user_id = $1 ORDER BY created_at`, [userId]),
        ),
      erase: async (manager, userId) => {
        await manager.query(`DELETE FROM web_sessions WHERE user_id = $1`, [userId]);
      },
    });
  }

  /** Begins a session for an account; answers the cookie's value (shown to the browser only). */
  async begin(userId: string): Promise<string> {
    const user = await this.users.findActiveById(userId);
    if (!user) throw new Error('no active account to begin a web session for');
    const { token, hash } = newLinkToken();
    const now = this.clock.now();
    await this.dataSource.query(
      `INSERT INTO web_sessions (token_hash, user_id, auth_version, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
      [hash, user.id, user.authVersion, now],
    );
    return token;
  }

  /**
   * The session a cookie value stands for, or null (unknown, idle too long, signed out, account
   * erased or its tokens revoked). Every page view asks, so the session and its account are read
   * in one prepared statement (bench/web).
   */
  async resolve(token: string | undefined): Promise<ActiveWebSession | null> {
    if (!token || token.length < 20 || token.length > 100) return null;
    const now = this.clock.now();
    const [session] = rows<{
      id: string;
      last_seen_at: Date;
      current: boolean;
      user_id: string;
      email: string;
      name: string | null;
      global_role: AuthUser['globalRole'];
      locale: AuthUser['locale'];
      provider_staff: boolean;
    }>(
      await queryPrepared(
        this.dataSource,
        `SELECT s.id, s.last_seen_at, (u.erased_at IS NULL AND u.auth_version = s.auth_version) AS current,
                u.id AS user_id, u.email, u.name, u.global_role, u.locale,
                EXISTS (SELECT 1 FROM provider_staff p WHERE p.user_id = u.id) AS provider_staff
           FROM web_sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1`,
        [hashToken(token)],
      ),
    );
    if (!session) return null;
    const idleMs = this.config.webSessionIdleMinutes * 60_000;
    if (now.getTime() - new Date(session.last_seen_at).getTime() > idleMs || !session.current) {
      await this.end(session.id);
      return null;
    }
    if (now.getTime() - new Date(session.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      await this.dataSource.query(`UPDATE web_sessions SET last_seen_at = $2 WHERE id = $1`, [session.id, now]);
    }
    return {
      id: session.id,
      user: { id: session.user_id, email: session.email, name: session.name, globalRole: session.global_role, locale: session.locale },
      providerStaff: session.provider_staff,
    };
  }

  async end(sessionId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM web_sessions WHERE id = $1`, [sessionId]);
  }

  /** Every session of the account (erasure; sign out everywhere). */
  async endAllOf(userId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM web_sessions WHERE user_id = $1`, [userId]);
  }
}
