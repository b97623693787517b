import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Clock } from '../common/clock.js';
import { hashToken, newLinkToken } from '../common/crypto.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { rows } from '../database/sql.js';
import { MailService } from '../mail/mail.service.js';
import { passwordResetMail, verifyEmailMail } from '../mail/templates/account.template.js';
import type { RenderedMail } from '../mail/templates/layout.js';
import { magicLinkMail } from '../mail/templates/magic-link.template.js';
import type { AuthUser } from './auth-user.js';
import { AuthErrorCode } from './auth.errors.js';
import { LoginDto, RegisterDto, RegisterResponseDto, TokenResponseDto } from './dto/auth.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { MagicLinkToken } from './magic-link-token.entity.js';
import { User } from './user.entity.js';
import { HASH_OPTIONS, toUserDto, UsersService } from './users.service.js';

/** Compared against when the account does not exist, so that timing does not reveal accounts. */
const DUMMY_HASH = argon2.hash('not-a-real-password', HASH_OPTIONS);
/** Emailed links (sign-in, verification, reset) per account and hour, together. */
const LINKS_PER_HOUR = 5;

/** What an access token carries: the account and its token version (`users.auth_version`). */
export interface TokenPayload {
  sub: string;
  ver: number;
}

type LinkKind = 'magic-link' | 'verify-email' | 'password-reset';
type LinkPurpose = 'sign-in' | 'verify' | 'reset';

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

  /**
   * Creates an unverified account (throttled per address and per email). Until a link proves the
   * address, an invitation accepted for it makes the link holder the owner (see InvitationsService).
   */
  async register(dto: RegisterDto, address: string): Promise<RegisterResponseDto> {
    await this.throttle.reserve('register', dto.email, address);
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

  /** Used by the local strategy: reserves the attempt first (429 past the limit), then checks the password. */
  async validateCredentials(dto: LoginDto, address: string): Promise<User> {
    const reservation = await this.throttle.reserve('login', dto.email, address);
    const user = await this.users.findActiveByEmail(dto.email);
    const ok = await argon2.verify(user?.passwordHash ?? (await DUMMY_HASH), dto.password);
    if (!user || !user.passwordHash || !ok) {
      // The reservation stays: it is the failure.
      throw AppError.unauthenticated('Wrong email or password', AuthErrorCode.INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(reservation, dto.email);
    return user;
  }

  issueToken(user: User): TokenResponseDto {
    return { accessToken: this.sign(user), expiresIn: this.config.jwtTtlSeconds, user: toUserDto(user) };
  }

  /**
   * Always succeeds from the caller's view (no account probing); mails a single-use link if the
   * account exists. `next` (a path of the web front end) is where the link's page goes after signing in.
   */
  async requestMagicLink(email: string, next?: string): Promise<void> {
    const user = await this.users.findActiveByEmail(email);
    if (user) await this.sendLink(user, 'magic-link', next);
  }

  /** Mails the signed-in person a link that proves their address (a sign-in link); 409 when already verified. */
  async requestEmailVerification(caller: AuthUser): Promise<void> {
    const user = await this.users.findActiveById(caller.id);
    if (!user) throw AppError.unauthenticated('This token no longer belongs to an account', AuthErrorCode.TOKEN_INVALID);
    if (user.emailVerifiedAt) throw AppError.conflict(AuthErrorCode.EMAIL_ALREADY_VERIFIED, 'This address is already verified');
    await this.sendLink(user, 'verify-email');
  }

  /** Always succeeds from the caller's view; mails a single-use reset link if the account exists. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.users.findActiveByEmail(email);
    if (user) await this.sendLink(user, 'password-reset');
  }

  /** Consumes the token atomically: a second use, or a use after expiry, is refused. The link proves the address. */
  async verifyMagicLink(token: string): Promise<TokenResponseDto> {
    const userId = await this.consumeLink(token, ['sign-in', 'verify']);
    const user = userId ? await this.users.findActiveById(userId) : null;
    if (!user) throw AppError.unauthenticated('This sign-in link is used, expired or unknown', AuthErrorCode.MAGIC_LINK_INVALID);
    return this.issueToken(user);
  }

  /**
   * Sets a new password from an emailed reset link (once): every token issued before stops working,
   * failed sign-ins of the account are forgotten, and the address counts as verified. No token is issued.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    const passwordHash = await this.users.hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.consumeLink(token, ['reset'], manager);
      const user = userId ? await this.users.findActiveById(userId, manager) : null;
      if (!user) throw AppError.unauthenticated('This reset link is used, expired or unknown', AuthErrorCode.RESET_LINK_INVALID);
      await this.users.setPassword(manager, user.id, passwordHash);
      await this.throttle.clearAccount(user.email);
    });
  }

  /**
   * Changes the password after checking the current one (throttled like a sign-in): every other
   * token stops working; the answer carries a new token for this client.
   */
  async changePassword(caller: AuthUser, currentPassword: string, newPassword: string, address: string): Promise<TokenResponseDto> {
    const reservation = await this.throttle.reserve('login', caller.email, address);
    const user = await this.users.findActiveById(caller.id);
    const ok = await argon2.verify(user?.passwordHash ?? (await DUMMY_HASH), currentPassword);
    if (!user || !user.passwordHash || !ok) {
      throw AppError.unauthenticated('The current password is wrong', AuthErrorCode.INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(reservation, caller.email);
    const passwordHash = await this.users.hashPassword(newPassword);
    const updated = await this.dataSource.transaction(async (manager) => {
      await this.users.setPassword(manager, user.id, passwordHash, { verify: false });
      return (await this.users.findActiveById(user.id, manager))!;
    });
    return this.issueToken(updated);
  }

  /** Every access token of the account stops working, this one included. */
  async signOutEverywhere(caller: AuthUser): Promise<void> {
    await this.dataSource.transaction((manager) => this.users.bumpAuthVersion(manager, caller.id));
  }

  sign(user: Pick<User, 'id' | 'authVersion'>): string {
    const payload: TokenPayload = { sub: user.id, ver: user.authVersion };
    return this.jwt.sign(payload, { expiresIn: this.config.jwtTtlSeconds });
  }

  /**
   * Marks a link token used (once, unexpired, of one of these purposes) and verifies the address;
   * answers the account id. A sign-in link asked for anonymously that verifies an unverified
   * account proves the address but not the password someone set when registering it: that
   * password is cleared and earlier tokens revoked (a reset link sets a new one anyway; a
   * verification link was asked for by the signed-in account itself).
   */
  private async consumeLink(token: string, purposes: LinkPurpose[], manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const now = this.clock.now();
    const [used] = rows<{ user_id: string; purpose: LinkPurpose }>(
      await manager.query(
        `UPDATE magic_link_tokens SET used_at = $2
          WHERE token_hash = $1 AND purpose = ANY($3::varchar[]) AND used_at IS NULL AND expires_at > $2
          RETURNING user_id, purpose`,
        [hashToken(token), now, purposes],
      ),
    );
    if (!used) return null;
    if (used.purpose === 'sign-in') await this.users.claimUnverifiedByLink(manager, used.user_id, now);
    await this.users.markVerified(manager, used.user_id, now);
    return used.user_id;
  }

  private async sendLink(user: User, kind: LinkKind, next?: string): Promise<void> {
    const now = this.clock.now();
    const minutes = this.config.magicLinkTtlMinutes;
    await this.dataSource.transaction(async (manager) => {
      // Serialise requests for one account so that the hourly cap holds under concurrency.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
      const [{ count }] = rows<{ count: number }>(
        await manager.query(`SELECT count(*)::int AS count FROM magic_link_tokens WHERE user_id = $1 AND created_at > $2`, [
          user.id,
          new Date(now.getTime() - 3600_000),
        ]),
      );
      if (count >= LINKS_PER_HOUR) return;
      const { token, hash } = newLinkToken();
      const saved = await manager.getRepository(MagicLinkToken).save({
        userId: user.id,
        tokenHash: hash,
        purpose: kind === 'password-reset' ? 'reset' : kind === 'verify-email' ? 'verify' : 'sign-in',
        expiresAt: new Date(now.getTime() + minutes * 60_000),
        createdAt: now,
      });
      const content: RenderedMail =
        kind === 'password-reset'
          ? passwordResetMail(user.locale, { name: user.name, url: `${this.config.publicBaseUrl}/reset-password?token=${token}`, validMinutes: minutes })
          : (kind === 'verify-email' ? verifyEmailMail : magicLinkMail)(user.locale, {
              name: user.name,
              url: `${this.config.publicBaseUrl}/magic-link?token=${token}${next && next !== '/' ? `&next=${encodeURIComponent(next)}` : ''}`,
              validMinutes: minutes,
            });
      await this.mail.enqueue(manager, { dedupeKey: `${kind}:${saved.id}`, to: user.email, template: kind, locale: user.locale, content });
    });
  }
}
