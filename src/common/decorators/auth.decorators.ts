import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { AuthUser, GlobalRole, TokenSubject } from '../../auth/auth-user.js';

export const IS_PUBLIC = 'isPublic';
export const ROLES = 'roles';
export const OPTIONAL_AUTH = 'optionalAuth';
export const ACCOUNT_READ_BY_HANDLER = 'accountReadByHandler';
export const API_KEY_ACCESS = 'apiKeyAccess';

/** Opts a route out of the global JWT guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Public, but a bearer token, when sent, must be valid and identifies the caller. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/**
 * The guard checks the token (signature, expiry) but leaves reading the account to the handler,
 * which reads it in a statement it makes anyway and must answer a missing or erased account with
 * `tokenWithoutAccount()`, and an account whose `auth_version` differs from the token's with
 * `tokenRevoked()`, before anything else. The caller is then `@CallerToken()`, not
 * `@CurrentUser()`. Not together with @Roles(), which needs the account before the handler.
 */
export const AccountReadByHandler = () => SetMetadata(ACCOUNT_READ_BY_HANDLER, true);

/**
 * A provider's API key (`Authorization: Bearer klk_…` or `X-Api-Key`) is accepted on this route (or
 * controller): routes where provider staff act. Elsewhere a key is refused with 403. What the key
 * may do on the route is then decided as for staff (ProviderAccess), for its own provider only.
 */
export const ApiKeyAccess = () => applyDecorators(SetMetadata(API_KEY_ACCESS, true), ApiSecurity('apiKey'), ApiBearerAuth());

/** Restricts a route to callers holding one of these global roles. Per-organisation rights are checked in services. */
export const Roles = (...roles: GlobalRole[]) => SetMetadata(ROLES, roles);

/** The signed-in caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user as AuthUser;
});

/** The caller's token (account id and version) on an @AccountReadByHandler() route (see there). */
export const CallerToken = createParamDecorator((_: unknown, ctx: ExecutionContext): TokenSubject => {
  return ctx.switchToHttp().getRequest().user as TokenSubject;
});

/** The caller on an @OptionalAuth() route, or undefined. */
export const MaybeUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest().user as AuthUser | undefined;
});
