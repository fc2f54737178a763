// A TypeDoc plugin: each entry point's module is named after the package export it is (`@switchyard/core`,
// `@switchyard/core/testing`) instead of its folder (`core/src`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

/** The package folder that holds `file`, and its manifest. */
function packageOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return { dir, name: JSON.parse(readFileSync(manifest, 'utf8')).name };
  }
  return undefined;
}

/** `src/index.ts` → the package's name; `src/testing/index.ts` or `src/testing.ts` → `<name>/testing`. */
export function exportNameOf(file) {
  const found = packageOf(file);
  if (found === undefined) return undefined;
  const sub = relative(join(found.dir, 'src'), file).replace(/\\/g, '/').replace(/(\/index)?\.ts$/, '');
  return sub === 'index' ? found.name : `${found.name}/${sub}`;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const file = module.sources?.[0]?.fullFileName;
      const name = file === undefined ? undefined : exportNameOf(file);
      if (name !== undefined) module.name = name;
    }
  });
}
