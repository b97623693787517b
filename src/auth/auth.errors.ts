import { AppError } from '../common/errors/app-error.js';

export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'AUTH_INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS = 'AUTH_TOO_MANY_ATTEMPTS',
  EMAIL_TAKEN = 'AUTH_EMAIL_TAKEN',
  MAGIC_LINK_INVALID = 'AUTH_MAGIC_LINK_INVALID',
  TOKEN_INVALID = 'AUTH_TOKEN_INVALID',
  TOKEN_REVOKED = 'AUTH_TOKEN_REVOKED',
  EMAIL_ALREADY_VERIFIED = 'AUTH_EMAIL_ALREADY_VERIFIED',
  RESET_LINK_INVALID = 'AUTH_RESET_LINK_INVALID',
  API_KEY_INVALID = 'AUTH_API_KEY_INVALID',
  API_KEY_NOT_ALLOWED = 'AUTH_API_KEY_NOT_ALLOWED',
  API_KEY_NOT_FOUND = 'AUTH_API_KEY_NOT_FOUND',
}

/** A valid token whose account is gone (erased): its tokens stop working at once. */
export function tokenWithoutAccount(): AppError {
  return AppError.unauthenticated('This token no longer belongs to an account', AuthErrorCode.TOKEN_INVALID);
}

/** A token issued before the account's token version was bumped (password change, sign-out everywhere, reset). */
export function tokenRevoked(): AppError {
  return AppError.unauthenticated('This token was revoked; sign in again', AuthErrorCode.TOKEN_REVOKED);
}
