import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stateless CSRF tokens: HMAC-SHA256 of what the form is bound to (the web session's id once signed
 * in, otherwise the browser's pre-session cookie) under a key derived from the app's secret. A
 * token from another session, another browser or a signed-out session does not verify.
 */
export class Csrf {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('kompetenslyft web csrf v1').digest();
  }

  token(boundTo: string): string {
    return createHmac('sha256', this.key).update(boundTo).digest('base64url');
  }

  verify(boundTo: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length !== 43) return false;
    return timingSafeEqual(Buffer.from(this.token(boundTo)), Buffer.from(token));
  }
}
