import { Writable } from 'node:stream';
import { AppLogger, createLogger, redactUrl, serializeError, withoutAddresses } from './logging.js';

describe('redactUrl', () => {
  it('drops query strings and replaces ids and link tokens', () => {
    expect(redactUrl('/magic-link?token=abc')).toBe('/magic-link');
    expect(redactUrl('/api/v1/organisations/6f1c2a59-8d0e-4a53-9d7e-3b1f2a9c4e11/members')).toBe('/api/v1/organisations/:id/members');
    expect(redactUrl('/api/v1/invitations/q3v0bq1m3oGx2kqk1b7m8JtC0ZbYx3e4d5f6g7h8i9A/accept')).toBe('/api/v1/invitations/:token/accept');
    expect(redactUrl('/api/v1/accessibility-features')).toBe('/api/v1/accessibility-features');
  });
});

function capture(level: string): { logger: AppLogger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = new AppLogger(createLogger(level, stream));
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('withoutAddresses', () => {
  it('masks identity numbers in every written form, and not UUIDs, times or longer numbers', () => {
    for (const written of ['850709-2388', '8507092388', '19850709-2388', '198507092388', '850709+2388']) {
      expect(withoutAddresses(`Key (x)=(${written}) exists`)).toBe('Key (x)=(<identity-number>) exists');
    }
    expect(withoutAddresses('at 1796800000000 id 6f1c2a59-8d0e-4a53-9d7e-3b1f2a9c4e11')).toBe('at 1796800000000 id 6f1c2a59-8d0e-4a53-9d7e-3b1f2a9c4e11');
  });
});

describe('AppLogger', () => {
  it('writes JSON lines with the level as a label, the context and the message; objects and errors as fields', () => {
    const { logger, lines } = capture('info');
    logger.log('sent 2 email(s)', 'MailDispatcher');
    logger.warn('careful', 'Bootstrap');
    logger.error({ err: new Error('boom'), requestId: 'r1' }, 'unhandled error', 'Errors');
    logger.error('Nest failed', 'Error: Nest failed\n    at x (y.js:1:1)', 'ExceptionHandler');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', context: 'MailDispatcher', msg: 'sent 2 email(s)' }),
      expect.objectContaining({ level: 'warn', context: 'Bootstrap', msg: 'careful' }),
      expect.objectContaining({ level: 'error', context: 'Errors', msg: 'unhandled error', requestId: 'r1', err: expect.objectContaining({ message: 'boom' }) }),
      expect.objectContaining({ level: 'error', context: 'ExceptionHandler', msg: 'Nest failed', err: expect.objectContaining({ stack: expect.stringContaining('at x') }) }),
    ]);
  });

  it("writes Nest's route map and module wiring at debug", () => {
    const info = capture('info');
    info.logger.log('Mapped {/api/v1/themes, GET} route', 'RouterExplorer');
    info.logger.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(info.lines()).toEqual([]);
    const debug = capture('debug');
    debug.logger.log('Mapped {/api/v1/themes, GET} route', 'RouterExplorer');
    expect(debug.lines()).toEqual([expect.objectContaining({ level: 'debug', context: 'RouterExplorer' })]);
  });
});

describe('no personal data in logged errors (issue 24, F9)', () => {
  it('drops a failed query’s parameters, text and driver detail; keeps type, message, stack and codes', async () => {
    const { QueryFailedError } = await import('typeorm');
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "uq_users_email"'), {
      code: '23505',
      constraint: 'uq_users_email',
      table: 'users',
      detail: 'Key (email)=(anna@example.se) already exists.',
    });
    const failed = new QueryFailedError(
      'INSERT INTO "users"("email", "password_hash") VALUES ($1, $2)',
      ['anna@example.se', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'],
      driverError,
    );
    const { logger, lines } = capture('info');
    logger.error({ err: failed, requestId: 'r1' }, 'unhandled error', 'AllExceptionsFilter');
    logger.error(failed);
    logger.warn({ parameters: ['anna@example.se'], note: 'kept' }, 'AnyContext');
    const text = JSON.stringify(lines());
    expect(text).not.toContain('anna@example.se');
    expect(text).not.toContain('argon2');
    expect(text).not.toContain('INSERT INTO');
    expect(text).not.toContain('Key (email)');
    const [first, second, third] = lines();
    expect(first.err).toEqual({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "uq_users_email"',
      stack: expect.stringContaining('QueryFailedError'),
      code: '23505',
      constraint: 'uq_users_email',
      table: 'users',
    });
    expect(second.err).toMatchObject({ type: 'QueryFailedError', code: '23505' });
    expect(third).toMatchObject({ note: 'kept' });
    expect(third).not.toHaveProperty('parameters');
  });

  it('masks addresses in messages (SMTP errors quote the recipient) and in causes', () => {
    expect(withoutAddresses('550 5.1.1 <erik.berg@example.se>: Recipient address rejected')).toBe('550 5.1.1 <<address>>: Recipient address rejected');
    const error = new Error('send failed', { cause: new Error('RCPT TO:<kurs@hebyfhsk.se> refused') });
    expect(serializeError(error)).toMatchObject({ message: 'send failed', cause: { message: 'RCPT TO:<<address>> refused' } });
  });
});
