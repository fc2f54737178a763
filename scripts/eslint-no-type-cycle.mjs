// An ESLint rule that finds import cycles through relative imports, `import type` and `export … from`
// included. import-x's no-cycle skips type-only imports, so a cycle held by types alone went unseen;
// types that point both ways still tie two modules together (and their layers).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File → the project files it imports (relative specifiers only), read once per lint run. */
const importsOf = new Map();

function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.(m|c)?js$/, '.$1ts'), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((file) => file.endsWith('.ts') && existsSync(file));
}

function imports(file) {
  let found = importsOf.get(file);
  if (found === undefined) {
    const text = readFileSync(file, 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    found = [...new Set(importedFiles.map((ref) => resolveSpecifier(file, ref.fileName)).filter((path) => path !== undefined))];
    importsOf.set(file, found);
  }
  return found;
}

/** A path of imports from `start` back to `start` (not through an `allowed` edge), or undefined. */
function cycleThrough(start, allowed) {
  const follow = (from) => imports(from).filter((to) => !allowed.has(`${from}\0${to}`));
  const seen = new Set([start]);
  const queue = follow(start).map((next) => [next]);
  while (queue.length > 0) {
    const route = queue.shift();
    const last = route.at(-1);
    if (last === start) return route;
    if (seen.has(last)) continue;
    seen.add(last);
    for (const next of follow(last)) queue.push([...route, next]);
  }
  return undefined;
}

export const noTypeCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles, type-only imports included.' },
    messages: { cycle: 'Import cycle (type imports included): {{route}}' },
    schema: [
      {
        type: 'object',
        properties: {
          // Edges known and explained: { from, to, reason }, paths relative to the working directory of the lint.
          allow: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' } }, required: ['from', 'to', 'reason'] } },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const file = context.physicalFilename;
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return {};
    const root = context.settings['switchyard/root'] ?? context.cwd;
    const allowed = new Set((context.options[0]?.allow ?? []).map(({ from, to }) => `${resolve(root, from)}\0${resolve(root, to)}`));
    return {
      Program(node) {
        const route = cycleThrough(file, allowed);
        if (route === undefined) return;
        const shown = [file, ...route].map((path) => relative(dirname(file), path) || '.').join(' → ');
        // Reported on the import that starts the cycle.
        const first = node.body.find((statement) => statement.source?.value !== undefined && resolveSpecifier(file, statement.source.value) === route[0]);
        context.report({ node: first ?? node, messageId: 'cycle', data: { route: shown } });
      },
    };
  },
};
