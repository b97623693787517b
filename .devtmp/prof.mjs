// Summarise a .cpuprofile: self time by function and by package/file; inclusive time for chosen frames.
import fs from 'node:fs';
const file = process.argv[2];
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let total = 0; for (const v of self.values()) total += v;
const idle = [...nodes.values()].filter((n) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName)).reduce((s, n) => s + (self.get(n.id) ?? 0), 0);
const busy = total - [...nodes.values()].filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + (self.get(n.id) ?? 0), 0);
console.log('total ms', (total / 1000).toFixed(0), 'busy ms', (busy / 1000).toFixed(0));
const byKey = (key) => { const m = new Map(); for (const n of nodes.values()) { const k = key(n); m.set(k, (m.get(k) ?? 0) + (self.get(n.id) ?? 0)); } return [...m.entries()].sort((a, b) => b[1] - a[1]); };
const pkg = (url) => { if (!url) return '(native)'; const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url); if (m) return m[1]; if (url.includes('/dist/')) return 'app:' + url.split('/dist/')[1]; return url.startsWith('node:') ? url : url; };
console.log('\n-- self by package');
for (const [k, v] of byKey((n) => n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : pkg(n.callFrame.url)).slice(0, 25)) console.log((100 * v / busy).toFixed(1).padStart(5), k);
console.log('\n-- self by function');
for (const [k, v] of byKey((n) => `${n.callFrame.functionName || '(anon)'} ${pkg(n.callFrame.url)}:${n.callFrame.lineNumber}`).slice(0, 40)) console.log((100 * v / busy).toFixed(1).padStart(5), k);
// inclusive by function name pattern
const incl = (pred) => { let s = 0; for (const n of nodes.values()) { let p = n.id, hit = false; while (p !== undefined) { if (pred(nodes.get(p))) { hit = true; break; } p = parent.get(p); } if (hit) s += self.get(n.id) ?? 0; } return s; };
for (const pat of (process.argv[3] ?? '').split(',').filter(Boolean)) console.log('incl', pat, (100 * incl((n) => n.callFrame.functionName === pat || n.callFrame.url.includes(pat)) / busy).toFixed(1));
