import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for identity numbers at rest. A stored value is `version ‖ iv ‖ tag ‖ ciphertext`
 * (one bytea), with the row's user id as associated data, so that a value copied onto another
 * person's row does not decrypt. `keyId` (a hash of the key, not the key) names the key a row was
 * written with, so that a wrong PARTICIPANT_ID_KEY is told apart from damaged data. The key may be
 * given as a loader, called on first use: the default local run makes its key file in DATA_DIR only
 * when an identity number is first stored or read, so that a server that never handles one (every
 * run without ESF programmes, and any run with DATABASE_URL) writes nothing there.
 */
export class IdentityCipher {
  private loaded?: { key: Buffer; keyId: string; codeKey: Buffer };

  constructor(private readonly source: Buffer | (() => Buffer)) {
    if (Buffer.isBuffer(source)) this.keys();
  }

  get keyId(): string {
    return this.keys().keyId;
  }

  private keys(): { key: Buffer; keyId: string; codeKey: Buffer } {
    if (!this.loaded) {
      const key = Buffer.isBuffer(this.source) ? this.source : this.source();
      if (key.length !== 32) throw new Error('IdentityCipher needs a 32-byte key');
      this.loaded = {
        key,
        keyId: createHash('sha256').update('kl-participant-id-key-id').update(key).digest('hex').slice(0, 16),
        codeKey: createHmac('sha256', key).update('kl-certification-codes').digest(),
      };
    }
    return this.loaded;
  }

  encrypt(plain: string, userId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys().key, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(stored: Buffer, userId: string): string {
    if (stored[0] !== VERSION) throw new Error('unknown identity number format');
    const iv = stored.subarray(1, 1 + IV_BYTES);
    const tag = stored.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.keys().key, iv);
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(stored.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** A keyed hash of a one-time code (6 digits are guessable from a plain hash), bound to its report. */
  codeHash(reportId: string, code: string): string {
    return createHmac('sha256', this.keys().codeKey).update(`${reportId}:${code}`).digest('hex');
  }
}
