// The SMTP sink of the follow-up benchmark, run as its own process (fork): accepts every message,
// counts them, and answers the parent's "count" and "reset" messages over IPC.
import { SMTPServer } from 'smtp-server';

let accepted = 0;
let firstAt = 0;
let lastAt = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      accepted++;
      lastAt = performance.timeOrigin + performance.now();
      if (accepted === 1) firstAt = lastAt;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.server.address().port }));
process.on('message', (message) => {
  if (message.type === 'count') process.send({ type: 'count', id: message.id, accepted, firstAt, lastAt });
  if (message.type === 'reset') {
    accepted = 0;
    firstAt = lastAt = 0;
    process.send({ type: 'reset', id: message.id });
  }
  if (message.type === 'stop') server.close(() => process.exit(0));
});
