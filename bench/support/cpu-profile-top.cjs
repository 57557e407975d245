'use strict';
/**
 * A V8 .cpuprofile as a top-N table of self time by function (name, file:line), as Markdown.
 *
 *   node bench/support/cpu-profile-top.cjs <file.cpuprofile> [N] [from-seconds]
 *
 * Idle and garbage-collector time are listed too, so the shares add up to the whole profile.
 */
const fs = require('node:fs');
const path = require('node:path');

function topN(file, n = 15, { fromSeconds = 0 } = {}) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  // timeDeltas[i] is the time before sample i: attribute it to the sampled node. Samples before
  // `fromSeconds` (start-up: module loading, connections) are left out.
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromSeconds * 1e6) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const rows = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`;
    rows.set(key, (rows.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const lines = [
    `busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s profiled` +
      (fromSeconds ? ` (from ${fromSeconds.toFixed(0)} s on)` : ''),
    '',
    '| self % of busy | self ms | function |',
    '| ---: | ---: | --- |',
  ];
  [...rows]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([key, us]) =>
      lines.push(`| ${((100 * us) / busy).toFixed(1)} | ${(us / 1000).toFixed(0)} | \`${key}\` |`),
    );
  return lines.join('\n');
}

/**
 * The same self time grouped by where the code lives: an npm package, a Node core module, a
 * repository file, or native work (socket writes, the garbage collector) by name.
 */
function byPackage(file, n = 15, { fromSeconds = 0 } = {}) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const groups = new Map();
  let at = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    const { functionName, url } = byId.get(id).callFrame;
    if (at < fromSeconds * 1e6 || functionName === '(idle)') return;
    busy += dt;
    let group;
    if (!url) group = `native: ${functionName}`;
    else if (url.includes('node_modules/')) group = `npm: ${packageOf(url)}`;
    else if (url.startsWith('node:'))
      group = `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`;
    else group = shorten(url);
    groups.set(group, (groups.get(group) ?? 0) + dt);
  });
  const lines = ['| self % of busy | where |', '| ---: | --- |'];
  [...groups]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([group, us]) => lines.push(`| ${((100 * us) / busy).toFixed(1)} | \`${group}\` |`));
  return lines.join('\n');
}

function packageOf(url) {
  const rest = url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** node_modules/<pkg>/... or the repository-relative path, so the table stays readable. */
function shorten(url) {
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length);
  return path.relative(path.resolve(__dirname, '..', '..'), p);
}

module.exports = { topN, byPackage };

if (require.main === module) {
  const [file, n, from] = process.argv.slice(2);
  const opts = { fromSeconds: Number(from ?? 0) };
  process.stdout.write(`${topN(file, Number(n ?? 15), opts)}\n\n${byPackage(file, 15, opts)}\n`);
}
