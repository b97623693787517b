import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AuthUser } from './auth-user.js';
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

  findActiveById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id, erasedAt: IsNull() });
  }

  findActiveByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase(), erasedAt: IsNull() });
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
              global_role = NULL, erased_at = now() WHERE id = $1`,
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
