// docs/options.md lists every Server option: every key of the ServerOptions type (and of the 0.9
// protocol's options) has a row, and every row names a key of that type. Where the drop-in's defaults
// differ from core's, the table says so, and nowhere else.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import ts from 'typescript';
import { read, root, tableRows } from '../markdown.mjs';

const coreSources = join(root, 'packages', 'core', 'src');
const options = read(join(root, 'docs', 'options.md'));

const sources = {
  server: join(coreSources, 'server', 'server-options.ts'),
  legacy: join(coreSources, 'engine', 'legacy', 'legacy-options.ts'),
};
// Only the names of properties are read, so no @types are needed (what they would type is `any`); the lib is,
// for the keys ServerOptions takes through its utility types (`Partial<SocketLimits>`).
const program = ts.createProgram(Object.values(sources), {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  types: [],
});

/** The property names of an exported interface, inherited ones included, as the type checker sees them. */
function propertiesOf(file, name) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const declaration = source.statements.find((node) => ts.isInterfaceDeclaration(node) && node.name.text === name);
  assert.ok(declaration, `${name} is declared in ${file}`);
  return checker.getPropertiesOfType(checker.getTypeAtLocation(declaration.name)).map((symbol) => symbol.name).sort();
}

/** The options named in the first column of a table of docs/options.md (`name`, in backticks). */
function namesInTable(firstHeader) {
  const rows = tableRows(options, firstHeader);
  assert.ok(rows, `docs/options.md has a table whose first column is "${firstHeader}"`);
  return rows.map((cells) => {
    const name = /^`([A-Za-z0-9]+)`$/.exec(cells[0])?.[1];
    assert.ok(name, `"${cells[0]}" is one option name in backticks`);
    return name;
  });
}

/** The keys `withSocketIoDefaults` puts under the user's options in the drop-in, with their values' text. */
function dropInDefaults() {
  const file = join(root, 'packages', 'socket.io', 'src', 'index.ts');
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true);
  const fn = source.statements.find((node) => ts.isFunctionDeclaration(node) && node.name?.text === 'withSocketIoDefaults');
  assert.ok(fn, 'the drop-in has withSocketIoDefaults');
  let literal;
  const visit = (node) => {
    if (literal === undefined && ts.isObjectLiteralExpression(node)) literal = node;
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return new Map(literal.properties.filter(ts.isPropertyAssignment).map((p) => [p.name.getText(source), p.initializer.getText(source)]));
}

function assertSameSet(documented, declared, what) {
  const missing = declared.filter((name) => !documented.includes(name));
  const unknown = documented.filter((name) => !declared.includes(name));
  const repeated = documented.filter((name, i) => documented.indexOf(name) !== i);
  assert.deepEqual({ missing, unknown, repeated }, { missing: [], unknown: [], repeated: [] }, what);
}

describe('docs/options.md', () => {
  it('has a row for every ServerOptions key, and no other', () => {
    const declared = propertiesOf(sources.server, 'ServerOptions');
    assert.ok(
      ['pingInterval', 'protocol09', 'maxRoomsPerSocket'].every((key) => declared.includes(key)),
      'the type checker saw inherited, own and mapped (Partial<…>) keys',
    );
    assertSameSet(namesInTable('option'), declared, 'the Server options table against ServerOptions');
  });

  it('has a row for every protocol09 option, and no other', () => {
    const declared = propertiesOf(sources.legacy, 'LegacyEngineOptions');
    assertSameSet(namesInTable('protocol09 option'), declared, 'the protocol09 table against LegacyEngineOptions');
  });

  it("gives the drop-in's own defaults exactly where it has them", () => {
    const defaults = dropInDefaults();
    assert.ok(defaults.size > 0);
    const rows = tableRows(options, 'option');
    const differing = rows.filter((cells) => cells[1] !== cells[2]).map((cells) => cells[0].replaceAll('`', ''));
    assert.deepEqual(differing.sort(), [...defaults.keys()].sort());
    for (const [name, value] of defaults) {
      const row = rows.find((cells) => cells[0] === `\`${name}\``);
      assert.ok(row[2].startsWith(`\`${value}\``), `the drop-in's default of ${name} is documented as ${value}`);
    }
  });
});
