// Writes the licences of every package bundled into the editor (read from esbuild's
// metafile) next to the bundle: the MIT licence asks that its notice travel with copies.
// Usage: node licenses.js META_JSON OUT_TXT
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [meta, out] = process.argv.slice(2);
const inputs = Object.keys(JSON.parse(readFileSync(meta, "utf8")).inputs);
const roots = new Set();
for (const file of inputs) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (m) roots.add(m[1]);
}
const parts = [...roots].sort().map((root) => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file ? readFileSync(join(root, file), "utf8").trim() : `License: ${pkg.license}`;
  return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
});
writeFileSync(
  out,
  `Third-party code in editor.js, built by scripts/web-build.sh from web/package-lock.json.\n\n` +
    parts.join(`\n${"-".repeat(78)}\n\n`),
);
console.log(`wrote ${out.replace(/^.*\/src\//, "src/")} (${roots.size} packages)`);
