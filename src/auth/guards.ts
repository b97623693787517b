import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ACCOUNT_READ_BY_HANDLER, API_KEY_ACCESS, IS_PUBLIC, OPTIONAL_AUTH, ROLES } from '../common/decorators/auth.decorators.js';
import { AppError } from '../common/errors/app-error.js';
import { validationError } from '../common/validation.js';
import { ApiKeysService, isApiKey } from './api-keys.service.js';
import { AuthErrorCode } from './auth.errors.js';
import type { AuthUser, GlobalRole } from './auth-user.js';
import { LoginDto } from './dto/auth.dto.js';

/** An API key sent as `X-Api-Key`, or as the bearer token (`Authorization: Bearer klk_…`). */
function apiKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const bearer = /^Bearer (\S+)$/i.exec(typeof headers.authorization === 'string' ? headers.authorization : '')?.[1];
  return bearer && isApiKey(bearer) ? bearer : undefined;
}

/**
 * Global: every route needs a valid bearer token unless marked @Public(). A provider's API key is
 * accepted instead on @ApiKeyAccess() routes (an unknown or revoked key is 401 anywhere, a valid
 * key on any other route 403).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest();
    const apiKey = apiKeyOf(req.headers);
    if (apiKey !== undefined) {
      req.user = await this.apiKeys.authenticate(apiKey);
      if (!this.reflector.getAllAndOverride<boolean>(API_KEY_ACCESS, [context.getHandler(), context.getClass()])) {
        throw AppError.forbidden('An API key may not be used here: only where provider staff act', AuthErrorCode.API_KEY_NOT_ALLOWED);
      }
      return true;
    }
    if (optional && !req.headers.authorization) return true;
    // Read by the JWT strategy: give the handler only the token's subject (see AccountReadByHandler).
    req.accountReadByHandler = this.reflector.getAllAndOverride<boolean>(ACCOUNT_READ_BY_HANDLER, [context.getHandler(), context.getClass()]) ?? false;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (error) throw error;
    if (!user) {
      const reason = info instanceof Error ? info.message : '';
      throw AppError.unauthenticated(
        reason.includes('No auth token') ? 'Sign in required' : 'The access token is invalid or expired',
        reason.includes('No auth token') ? undefined : AuthErrorCode.TOKEN_INVALID,
      );
    }
    return user;
  }
}

/** Global: @Roles('coordinator') refuses callers without that global role (403). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<GlobalRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest().user as AuthUser | undefined;
    if (!user?.globalRole || !roles.includes(user.globalRole)) {
      throw AppError.forbidden(`This needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}

/** Validates the login body before passport-local reads it, so a bad body is a 400, not a 401. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest();
    const dto = plainToInstance(LoginDto, req.body ?? {});
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw validationError(errors);
    req.body = dto;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw AppError.unauthenticated('Wrong email or password', AuthErrorCode.INVALID_CREDENTIALS);
    return user;
  }
}
