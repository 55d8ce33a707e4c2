// The import graph of src/, read with the TypeScript compiler API, for the architecture tests
// (no cycles, the front doors). What counts as an edge: `import … from` and `export … from`,
// type-only ones included, and dynamic `import('…')` with a string literal. Only relative
// specifiers naming a `.ts` file are edges; packages and JSON data are leaves.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const SRC = path.resolve(import.meta.dirname, '../src');

export type Graph = ReadonlyMap<string, readonly string[]>;

/** Every `.ts` file under `dir`, recursively, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The module specifiers `file` imports: static imports and re-exports (type-only too) and literal dynamic imports. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The import graph of every file under `root`, keyed by path relative to `root`. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root).sort()) {
    const edges = specifiers(file)
      .filter((specifier) => specifier.startsWith('.') && specifier.endsWith('.ts'))
      .map((specifier) =>
        path
          .relative(root, path.resolve(path.dirname(file), specifier))
          .split(path.sep)
          .join('/'),
      );
    graph.set(path.relative(root, file).split(path.sep).join('/'), [...new Set(edges)]);
  }
  return graph;
}
