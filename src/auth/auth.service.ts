import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock } from '../common/clock.js';
import { hashToken, newLinkToken } from '../common/crypto.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { magicLinkMail } from '../mail/templates/magic-link.template.js';
import { AuthErrorCode } from './auth.errors.js';
import { LoginDto, RegisterDto, RegisterResponseDto, TokenResponseDto } from './dto/auth.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { MagicLinkToken } from './magic-link-token.entity.js';
import { User } from './user.entity.js';
import { HASH_OPTIONS, toUserDto, UsersService } from './users.service.js';

/** Compared against when the account does not exist, so that timing does not reveal accounts. */
const DUMMY_HASH = argon2.hash('not-a-real-password', HASH_OPTIONS);
const MAGIC_LINKS_PER_HOUR = 5;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    private readonly mail: MailService,
    private readonly clock: Clock,
  ) {}

  async register(dto: RegisterDto): Promise<RegisterResponseDto> {
    try {
      const user = await this.dataSource.getRepository(User).save({
        email: dto.email,
        name: dto.name,
        passwordHash: await this.users.hashPassword(dto.password),
        locale: dto.locale ?? 'sv',
      });
      return { user: toUserDto(user), accessToken: this.sign(user) };
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw AppError.conflict(AuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
      }
      throw error;
    }
  }

  /** Used by the local strategy: checks the limit first, then the password. */
  async validateCredentials(dto: LoginDto, address: string): Promise<User> {
    await this.throttle.assertAllowed(dto.email, address);
    const user = await this.users.findActiveByEmail(dto.email);
    const ok = await argon2.verify(user?.passwordHash ?? (await DUMMY_HASH), dto.password);
    if (!user || !user.passwordHash || !ok) {
      await this.throttle.recordFailure(dto.email, address);
      throw AppError.unauthenticated('Wrong email or password', AuthErrorCode.INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(dto.email);
    return user;
  }

  issueToken(user: User): TokenResponseDto {
    return { accessToken: this.sign(user), expiresIn: this.config.jwtTtlSeconds, user: toUserDto(user) };
  }

  /** Always succeeds from the caller's view (no account probing); mails a single-use link if the account exists. */
  async requestMagicLink(email: string): Promise<void> {
    const user = await this.users.findActiveByEmail(email);
    if (!user) return;
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      // Serialise requests for one account so that the hourly cap holds under concurrency.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
      const [{ count }] = (await manager.query(
        `SELECT count(*)::int AS count FROM magic_link_tokens WHERE user_id = $1 AND created_at > $2`,
        [user.id, new Date(now.getTime() - 3600_000)],
      )) as { count: number }[];
      if (count >= MAGIC_LINKS_PER_HOUR) return;
      const { token, hash } = newLinkToken();
      const saved = await manager.getRepository(MagicLinkToken).save({
        userId: user.id,
        tokenHash: hash,
        expiresAt: new Date(now.getTime() + this.config.magicLinkTtlMinutes * 60_000),
        createdAt: now,
      });
      await this.mail.enqueue(manager, {
        dedupeKey: `magic-link:${saved.id}`,
        to: user.email,
        template: 'magic-link',
        locale: user.locale,
        content: magicLinkMail(user.locale, {
          name: user.name,
          url: `${this.config.publicBaseUrl}/magic-link?token=${token}`,
          validMinutes: this.config.magicLinkTtlMinutes,
        }),
      });
    });
  }

  /** Consumes the token atomically: a second use, or a use after expiry, is refused. */
  async verifyMagicLink(token: string): Promise<TokenResponseDto> {
    const [rows] = (await this.dataSource.query(
      `UPDATE magic_link_tokens SET used_at = $2
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING user_id`,
      [hashToken(token), this.clock.now()],
    )) as [{ user_id: string }[], number];
    const user = rows.length ? await this.users.findActiveById(rows[0].user_id) : null;
    if (!user) throw AppError.unauthenticated('This sign-in link is used, expired or unknown', AuthErrorCode.MAGIC_LINK_INVALID);
    return this.issueToken(user);
  }

  private sign(user: User): string {
    return this.jwt.sign({ sub: user.id }, { expiresIn: this.config.jwtTtlSeconds });
  }
}
