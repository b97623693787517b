import { randomBytes } from 'node:crypto';
import { IdentityCipher } from './identity-cipher.js';

describe('IdentityCipher', () => {
  const cipher = new IdentityCipher(randomBytes(32));
  const user = '7f1b8a52-0c0e-4a8e-9d55-0b7a1d2b9c11';

  it('round-trips, with a fresh IV each time and no plaintext in the stored bytes', () => {
    const a = cipher.encrypt('198507092388', user);
    const b = cipher.encrypt('198507092388', user);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('198507092388');
    expect(cipher.decrypt(a, user)).toBe('198507092388');
  });

  it('refuses another person\'s row, another key and tampered bytes', () => {
    const stored = cipher.encrypt('198507092388', user);
    expect(() => cipher.decrypt(stored, '00000000-0000-4000-8000-000000000000')).toThrow();
    expect(() => new IdentityCipher(randomBytes(32)).decrypt(stored, user)).toThrow();
    const tampered = Buffer.from(stored);
    tampered[tampered.length - 1] ^= 1;
    expect(() => cipher.decrypt(tampered, user)).toThrow();
  });

  it('names its key by a hash and hashes codes with a key of its own', () => {
    expect(cipher.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(cipher.codeHash('r1', '123456')).toBe(cipher.codeHash('r1', '123456'));
    expect(cipher.codeHash('r1', '123456')).not.toBe(cipher.codeHash('r2', '123456'));
  });

  it('calls a key loader once, on first use, not when made', () => {
    const key = randomBytes(32);
    let calls = 0;
    const lazy = new IdentityCipher(() => {
      calls += 1;
      return key;
    });
    expect(calls).toBe(0);
    const stored = lazy.encrypt('198507092388', user);
    expect(new IdentityCipher(key).decrypt(stored, user)).toBe('198507092388');
    expect(lazy.keyId).toBe(new IdentityCipher(key).keyId);
    expect(calls).toBe(1);
  });
});
