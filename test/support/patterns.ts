// Every regular expression the project holds: the literals in its TypeScript
// (read with the TypeScript parser, so none is missed or misread) and the
// patterns of its JSON Schemas (which ajv and the protocol modules apply to
// what a Hive or a client sent).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface ProjectPattern {
  /** Where it is: file and line, or schema file and JSON pointer. */
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath, entry.name));
}

function literalsIn(file: string): ProjectPattern[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: ProjectPattern[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf('/');
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ where: `${relative(ROOT, file)}:${line}`, source: literal.slice(1, end), flags: literal.slice(end + 1) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function schemaPatterns(file: string): ProjectPattern[] {
  const found: ProjectPattern[] = [];
  const visit = (value: unknown, pointer: string): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'pattern' && typeof item === 'string') found.push({ where: `${relative(ROOT, file)}#${pointer}/pattern`, source: item, flags: 'u' });
      else if (key === 'patternProperties' && item !== null && typeof item === 'object') {
        for (const name of Object.keys(item)) found.push({ where: `${relative(ROOT, file)}#${pointer}/patternProperties`, source: name, flags: 'u' });
        visit(item, `${pointer}/${key}`);
      } else visit(item, `${pointer}/${key}`);
    }
  };
  visit(JSON.parse(readFileSync(file, 'utf8')), '');
  return found;
}

/**
 * The regular expressions of src/, suites/ and schemas/: the code that reads a Hive's or a client's bytes.
 * schemas/vendor/ is left out: verbatim copies of others' schemas (GitHub's action metadata), which only
 * the project's own files are checked against, and which stay as published.
 */
export function projectPatterns(): ProjectPattern[] {
  return [
    ...['src', 'suites'].flatMap((dir) => filesUnder(dir, '.ts')).filter((file) => !file.includes('/generated/')).flatMap(literalsIn),
    ...filesUnder('schemas', '.json').filter((file) => !file.includes('/schemas/vendor/')).flatMap(schemaPatterns),
  ];
}
