import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser, GlobalRole } from '../../auth/auth-user.js';

export const IS_PUBLIC = 'isPublic';
export const ROLES = 'roles';
export const OPTIONAL_AUTH = 'optionalAuth';

/** Opts a route out of the global JWT guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Public, but a bearer token, when sent, must be valid and identifies the caller. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/** Restricts a route to callers holding one of these global roles. Per-organisation rights are checked in services. */
export const Roles = (...roles: GlobalRole[]) => SetMetadata(ROLES, roles);

/** The signed-in caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user as AuthUser;
});

/** The caller on an @OptionalAuth() route, or undefined. */
export const MaybeUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest().user as AuthUser | undefined;
});
