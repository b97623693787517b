import fs from 'node:fs';
const [file, fn = 'writev', depth = '14'] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file));
const self = new Map(); p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
const par = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) par.set(c, n);
const chain = new Map();
for (const n of p.nodes) if (n.callFrame.functionName === fn) {
  let q = n; const names = [];
  for (let i = 0; i < Number(depth) && q; i++) { q = par.get(q.id); if (q) names.push(q.callFrame.functionName + ':' + (q.callFrame.url.split('node_modules/')[1] ?? q.callFrame.url.split('/').pop()).slice(0, 30)); }
  const k = names.join(' < '); chain.set(k, (chain.get(k) ?? 0) + (self.get(n.id) ?? 0));
}
for (const [k, v] of [...chain].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log((v / 1000).toFixed(0), k, '\n');
