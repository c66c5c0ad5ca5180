import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder, found from this module whether it runs from src/ or dist/src/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pame-conformance') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('pame-conformance: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();
export const schemasDir = join(packageRoot, 'schemas');
/** True when this code runs compiled (an installed package), false when vitest runs the TypeScript sources. */
export const runsCompiled = fileURLToPath(import.meta.url).endsWith('.js');
/** Where the conformance suites live for the way this code runs. */
export const suitesDir = runsCompiled ? join(packageRoot, 'dist', 'suites') : join(packageRoot, 'suites');
export const packageVersion = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

export function readSchemaFile<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(join(schemasDir, relative), 'utf8')) as T;
}
