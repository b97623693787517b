import fs from 'node:fs';
const [file, root] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file));
const self = new Map(); p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const out = new Map();
function walk(id, inside) {
  const n = byId.get(id);
  const k = `${n.callFrame.functionName || '(anon)'} ${(n.callFrame.url.split('node_modules/')[1] ?? n.callFrame.url.split('/').pop())}:${n.callFrame.lineNumber}`;
  const now = inside || n.callFrame.functionName === root;
  if (now) out.set(k, (out.get(k) ?? 0) + (self.get(id) ?? 0));
  for (const c of n.children ?? []) walk(c, now);
}
walk(p.nodes[0].id, false);
const total = [...out.values()].reduce((a, b) => a + b, 0);
console.log('total', (total / 1000).toFixed(0), 'ms');
for (const [k, v] of [...out].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((100 * v / total).toFixed(1).padStart(5), k);
