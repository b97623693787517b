import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AuthErrorCode } from './auth.errors.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { toAuthUser, UsersService } from './users.service.js';

@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, email: string, password: string): Promise<AuthUser> {
    const user = await this.auth.validateCredentials({ email: email.trim().toLowerCase(), password }, req.ip ?? 'unknown');
    return toAuthUser(user);
  }
}

@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** The account is read on every request, so an erased account's tokens stop working at once. */
  async validate(payload: { sub?: string }): Promise<AuthUser> {
    const user = typeof payload.sub === 'string' ? await this.users.findActiveById(payload.sub).catch(() => null) : null;
    if (!user) throw AppError.unauthenticated('This token no longer belongs to an account', AuthErrorCode.TOKEN_INVALID);
    return toAuthUser(user);
  }
}
