import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSinkOptions {
  /** Refuse this many messages with 451 (temporary) before accepting. */
  failFirst?: number;
  /** Refuse every message with this permanent code (e.g. 550). */
  rejectAllWith?: number;
  port?: number;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: ParsedMail[];
  /** How many DATA commands were refused. */
  refused: number;
  to(address: string): ParsedMail[];
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  waitForMailTo(address: string, count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** The first email to `address` that `matches`, once it has arrived (the error lists the subjects that did). */
  waitForMailMatching(address: string, matches: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** A real SMTP server on loopback that parses every message it accepts. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const state = { refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.rejectAllWith) {
          state.refused++;
          return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: options.rejectAllWith }));
        }
        if (failuresLeft > 0) {
          failuresLeft--;
          state.refused++;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            messages.push(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const to = (address: string) => messages.filter((m) => recipients(m).includes(address.toLowerCase()));
  /** Polls `read` until it has `count` items; `what` names them in the timeout error (read then). */
  const waitUntil = async <T>(read: () => T[], count: number, timeoutMs: number, what: () => string): Promise<T[]> => {
    const deadline = Date.now() + timeoutMs;
    while (read().length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} ${what()}; have ${read().length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return read();
  };
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get refused() {
      return state.refused;
    },
    to,
    waitFor: (count, timeoutMs = 10_000) => waitUntil(() => messages, count, timeoutMs, () => 'emails'),
    waitForMailTo: (address, count = 1, timeoutMs = 10_000) =>
      waitUntil(() => to(address), count, timeoutMs, () => `emails to ${address}`),
    async waitForMailMatching(address, matches, timeoutMs = 10_000) {
      const [found] = await waitUntil(() => to(address).filter(matches), 1, timeoutMs, () =>
        `matching emails to ${address} (got: ${to(address).map((m) => m.subject).join(' / ')})`);
      return found;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
