// Builds the web front end's assets after tsc (npm run build): compiles the stylesheet with a
// content hash in its name (served from /assets/ with a year's cache) and copies the templates
// (*.njk beside the code in src/) into dist/, so that the built app runs from dist/ alone.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web', 'public');

const { css } = sass.compile(path.join(root, 'src', 'web', 'assets', 'kompetenslyft.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
});
const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const name = `kompetenslyft.${hash}.css`;
fs.writeFileSync(path.join(out, name), css);
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ css: name }, null, 2));

let templates = 0;
function copyTemplates(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) copyTemplates(full);
    else if (entry.name.endsWith('.njk')) {
      const target = path.join(root, 'dist', path.relative(path.join(root, 'src'), full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
      templates++;
    }
  }
}
copyTemplates(path.join(root, 'src'));
console.log(`web assets: ${name} (${css.length} bytes), ${templates} templates`);
