import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AuthUser } from './auth-user.js';
import { rows } from '../database/sql.js';
import { UserDto } from './dto/auth.dto.js';
import { User } from './user.entity.js';

export const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    globalRole: user.globalRole,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toAuthUser(user: User): AuthUser {
  return { id: user.id, email: user.email, name: user.name, globalRole: user.globalRole, locale: user.locale };
}

/** Users: the account table behind sign-in. Other modules read people through this service. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  findActiveById(id: string, manager?: EntityManager): Promise<User | null> {
    return (manager?.getRepository(User) ?? this.users).findOneBy({ id, erasedAt: IsNull() });
  }

  /** The active account of an address, row-locked for the caller's transaction. */
  lockActiveByEmail(manager: EntityManager, email: string): Promise<User | null> {
    return manager
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.email = :email AND u.erased_at IS NULL', { email: email.trim().toLowerCase() })
      .setLock('pessimistic_write')
      .getOne();
  }

  /**
   * Creates a verified account for a person who proved the address with an invitation link; null
   * when an account for the address appeared meanwhile (the caller then locks and re-decides).
   */
  async createVerified(manager: EntityManager, account: { email: string; name: string; passwordHash: string; locale: 'sv' | 'en'; at: Date }): Promise<User | null> {
    const created = rows<{ id: string }>(
      await manager.query(
        `INSERT INTO users (email, name, password_hash, locale, email_verified_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ON CONSTRAINT uq_users_email DO NOTHING RETURNING id`,
        [account.email, account.name, account.passwordHash, account.locale, account.at],
      ),
    );
    return created.length ? manager.getRepository(User).findOneByOrFail({ id: created[0].id }) : null;
  }

  /**
   * The holder of a link to an unverified account's address becomes its owner: the name and password
   * are theirs, the address is verified, and every token issued before stops working.
   */
  async takeOverUnverified(manager: EntityManager, id: string, owner: { name: string; passwordHash: string; locale: 'sv' | 'en'; at: Date }): Promise<User> {
    await manager.query(
      `UPDATE users SET name = $2, password_hash = $3, locale = $4, email_verified_at = $5, auth_version = auth_version + 1, updated_at = now()
        WHERE id = $1 AND email_verified_at IS NULL`,
      [id, owner.name, owner.passwordHash, owner.locale, owner.at],
    );
    await manager.query('DELETE FROM magic_link_tokens WHERE user_id = $1', [id]);
    return manager.getRepository(User).findOneByOrFail({ id });
  }

  /** An anonymous sign-in link completed for an unverified account: the registrant's password is void, their tokens too. */
  async claimUnverifiedByLink(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE users SET password_hash = NULL, auth_version = auth_version + 1, email_verified_at = $2, updated_at = now()
        WHERE id = $1 AND email_verified_at IS NULL`,
      [id, at],
    );
  }

  /** A completed link flow proved the address. */
  async markVerified(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL`, [id, at]);
  }

  /** A new password: every token issued before stops working. `verify`: the change came through an emailed link. */
  async setPassword(manager: EntityManager, id: string, passwordHash: string, options: { verify?: boolean } = { verify: true }): Promise<void> {
    await manager.query(
      `UPDATE users SET password_hash = $2, auth_version = auth_version + 1, updated_at = now(),
              email_verified_at = CASE WHEN $3::boolean THEN coalesce(email_verified_at, now()) ELSE email_verified_at END
        WHERE id = $1`,
      [id, passwordHash, options.verify ?? false],
    );
  }

  /** Every token issued before stops working. */
  async bumpAuthVersion(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE users SET auth_version = auth_version + 1 WHERE id = $1`, [id]);
  }

  findActiveByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return (manager?.getRepository(User) ?? this.users).findOneBy({ email: email.trim().toLowerCase(), erasedAt: IsNull() });
  }

  /** Names and addresses by id, for views that name who did something (erased accounts are left out). */
  async namesByIds(ids: string[]): Promise<Map<string, { name: string | null; email: string }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const found = await this.users.createQueryBuilder('u').select(['u.id', 'u.name', 'u.email']).whereInIds(unique).andWhere('u.erased_at IS NULL').getMany();
    return new Map(found.map((u) => [u.id, { name: u.name, email: u.email }]));
  }

  hashPassword(password: string): Promise<string> {
    return argon2.hash(password, HASH_OPTIONS);
  }

  /** Anonymises the account row (last step of erasure): only the id remains, the email is free again. */
  async erase(manager: EntityManager, user: User): Promise<void> {
    await manager.query('DELETE FROM magic_link_tokens WHERE user_id = $1', [user.id]);
    await manager.query('DELETE FROM login_failures WHERE account_key = $1', [user.email]);
    await manager.query('DELETE FROM idempotency_keys WHERE scope = $1', [user.id]);
    await manager.query(
      `UPDATE users SET email = 'erased-' || id || '@invalid.invalid', name = NULL, password_hash = NULL,
              global_role = NULL, email_verified_at = NULL, auth_version = auth_version + 1, erased_at = now() WHERE id = $1`,
      [user.id],
    );
  }

  /** BOOTSTRAP_ADMIN_EMAIL/PASSWORD: create the first coordinator once; an existing account is left as it is. */
  async onApplicationBootstrap(): Promise<void> {
    const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = this.config;
    if (!email || !password) return;
    const result = await this.users
      .createQueryBuilder()
      .insert()
      .values({ email, name: 'Samordnare', passwordHash: await this.hashPassword(password), globalRole: 'coordinator' })
      .orIgnore()
      .returning('id')
      .execute();
    if (result.raw.length > 0) this.logger.log('created the bootstrap coordinator account');
  }
}
