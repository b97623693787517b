// The receiver of the webhook benchmark, run as its own process (fork): answers every POST 204 after
// reading its body, counts them (and repeats of a webhook-id), and answers the parent's "count" and
// "reset" messages over IPC.
import http from 'node:http';

let received = 0;
let repeats = 0;
let lastAt = 0;
const seen = new Set();
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    received++;
    const id = req.headers['webhook-id'];
    if (id) {
      if (seen.has(id)) repeats++;
      seen.add(id);
    }
    lastAt = performance.timeOrigin + performance.now();
    res.writeHead(204);
    res.end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));
process.on('message', (message) => {
  if (message.type === 'count') process.send({ type: 'count', id: message.id, received, repeats, lastAt });
  if (message.type === 'reset') {
    received = repeats = 0;
    lastAt = 0;
    seen.clear();
    process.send({ type: 'reset', id: message.id });
  }
  if (message.type === 'stop') server.close(() => process.exit(0));
});
