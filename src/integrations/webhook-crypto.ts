import { Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, type KeyObject, randomBytes } from 'node:crypto';
import { type AppConfig, keyFromSource } from '../config/app-config.js';

const keys = new WeakMap<AppConfig, Buffer>();

/**
 * The key that seals webhook secrets at rest (WEBHOOK_SECRET_KEY, derived from JWT_SECRET, or the
 * key file in DATA_DIR, made on first use with a warning), read once per configuration.
 */
export function webhookKey(config: AppConfig): Buffer {
  let key = keys.get(config);
  if (!key) {
    const found = keyFromSource('WEBHOOK_SECRET_KEY', config.webhookSecretKey);
    if (found.generatedFile && config.nodeEnv !== 'test') {
      new Logger('Webhooks').warn(`neither WEBHOOK_SECRET_KEY nor JWT_SECRET is set: webhook secrets are sealed with the key in ${found.generatedFile}`);
    }
    keys.set(config, (key = found.key));
  }
  return key;
}

/** A new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The HMAC key of a `whsec_…` secret: its base64 part decoded. */
export function webhookSigningKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/**
 * The Standard Webhooks signature of one attempt: HMAC-SHA256, keyed with the secret's decoded
 * bytes, over `<webhook-id>.<webhook-timestamp>.<body>`, as `v1,<base64>`.
 */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  return signWebhookWithKey(webhookSigningKey(secret), id, timestamp, body);
}

/** signWebhook with the key already decoded (the dispatcher decodes each secret once); the body as text or its bytes. */
export function signWebhookWithKey(key: Buffer | KeyObject, id: string, timestamp: number | string, body: string | Buffer): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`;
}

/** Secrets at rest: AES-256-GCM with the application key, as `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Throws when the key is not the one that sealed it (or the text was altered). */
export function decryptSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
