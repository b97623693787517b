import { Writable } from 'node:stream';
import { AppLogger, createLogger, redactUrl } from './logging.js';

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
