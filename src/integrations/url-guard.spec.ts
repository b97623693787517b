import { guardedLookup, endpointUrlProblem, isForbiddenAddress } from './url-guard.js';
import { decryptSecret, encryptSecret, newWebhookSecret, signWebhook } from './webhook-crypto.js';
import { randomBytes } from 'node:crypto';

describe('isForbiddenAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fd00:ec2::254', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::169.254.169.254', 'ff02::1', 'not-an-ip'])(
    'refuses %s',
    (address) => expect(isForbiddenAddress(address)).toBe(true),
  );

  it.each(['93.184.215.14', '172.32.0.1', '8.8.8.8', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('endpointUrlProblem', () => {
  const open = { production: false, allowPrivate: false };
  it('refuses localhost, literal private addresses, other schemes and credentials; http only outside production', () => {
    for (const url of ['http://localhost:3000/x', 'http://127.0.0.1/x', 'http://[::1]/x', 'http://10.0.0.7/x', 'http://169.254.169.254/latest', 'ftp://example.se/x', 'https://u:p@example.se/x', 'nonsense']) {
      expect(endpointUrlProblem(url, open)).not.toBeNull();
    }
    expect(endpointUrlProblem('http://kurser.example.se/hook', open)).toBeNull();
    expect(endpointUrlProblem('http://kurser.example.se/hook', { production: true, allowPrivate: false })).toBe('must use https');
    expect(endpointUrlProblem('https://kurser.example.se/hook', { production: true, allowPrivate: false })).toBeNull();
    expect(endpointUrlProblem('http://127.0.0.1:9999/hook', { production: false, allowPrivate: true })).toBeNull();
  });
});

describe('guardedLookup', () => {
  it('refuses a name that resolves to loopback after DNS, unless private addresses are allowed', async () => {
    const lookup = (allow: boolean) =>
      new Promise<unknown>((resolve) => guardedLookup(allow)('localhost', { all: true }, (error, address) => resolve(error ?? address)));
    expect(await lookup(false)).toMatchObject({ code: 'WEBHOOK_ADDRESS_REFUSED' });
    expect(await lookup(true)).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]));
  });
});

describe('webhook secrets and signatures', () => {
  it('seals a secret with the key and opens it only with that key', () => {
    const key = randomBytes(32);
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const sealed = encryptSecret(key, secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(decryptSecret(key, sealed)).toBe(secret);
    expect(() => decryptSecret(randomBytes(32), sealed)).toThrow();
  });

  it('signs as the Standard Webhooks specification shows', () => {
    // The specification's example: secret, id, timestamp, body and the signature it gives.
    const signature = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
