import { AppError } from '../common/errors/app-error.js';

export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'AUTH_INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS = 'AUTH_TOO_MANY_ATTEMPTS',
  EMAIL_TAKEN = 'AUTH_EMAIL_TAKEN',
  MAGIC_LINK_INVALID = 'AUTH_MAGIC_LINK_INVALID',
  TOKEN_INVALID = 'AUTH_TOKEN_INVALID',
}

/** A valid token whose account is gone (erased): its tokens stop working at once. */
export function tokenWithoutAccount(): AppError {
  return AppError.unauthenticated('This token no longer belongs to an account', AuthErrorCode.TOKEN_INVALID);
}
