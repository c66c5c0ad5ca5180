// The dependency rule of docs/architecture.md, as `npm test` enforces it: the
// real source tree has no import against the flow, no cycle (type-only imports
// included) and no suite importing another suite; and the same configuration,
// cruising a small tree built to break each rule, reports every breach.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

const CONFIG = join(packageRoot, '.dependency-cruiser.cjs');

async function violationsIn(baseDir: string, roots: string[], withTsConfig: boolean): Promise<{ modules: number; violations: IViolation[] }> {
  const options = await extractDepcruiseOptions(CONFIG);
  const transpile = withTsConfig ? { tsConfig: extractTSConfig(join(packageRoot, 'tsconfig.json')) } : {};
  // baseDir: the rules' paths are relative to the cruised tree's root.
  const result = await cruise(roots, { ...options, baseDir, ...(withTsConfig ? {} : { tsConfig: undefined }) }, {}, transpile);
  const { summary } = result.output as ICruiseResult;
  return { modules: summary.totalCruised, violations: summary.violations };
}

const describeViolation = (v: IViolation): string => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((step) => step.name).join(' → ')})` : ''}`;

describe('the dependency rule', () => {
  it('holds for src/ and suites/', async () => {
    const { modules, violations } = await violationsIn(packageRoot, ['src', 'suites'], true);
    expect(modules).toBeGreaterThan(100);
    expect(violations.map(describeViolation)).toEqual([]);
  }, 60_000);

  describe('catches each kind of breach', () => {
    let tree: string;
    const files: Record<string, string> = {
      // against the flow: the protocol model reaching up into the runner
      'src/protocol/model.ts': "import { run } from '../runner/start';\nexport const model = run;\n",
      'src/runner/start.ts': 'export const run = 1;\n',
      // siblings in one layer: the peer server using the proxy
      'src/peer/server.ts': "import { proxy } from '../proxy/proxy';\nexport const server = proxy;\n",
      'src/proxy/proxy.ts': 'export const proxy = 1;\n',
      // a cycle made only of type imports
      'src/checks/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
      'src/checks/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
      // a suite importing another suite, and the runner importing the catalog
      'suites/one.ts': "import { two } from './two';\nexport const one = two;\n",
      'suites/two.ts': 'export const two = 2;\n',
      // a suite that is a folder: its modules share steps, yet it imports no other suite
      'suites/three/index.ts': "import { steps } from './steps';\nimport { two } from '../two';\nexport const three = [steps, two];\n",
      'suites/three/steps.ts': 'export const steps = 3;\n',
      'suites/catalog.ts': "import { one } from './one';\nexport const CATALOG = [one];\n",
      'src/runner/run.ts': "import { CATALOG } from '../../suites/catalog';\nexport const all = CATALOG;\n",
    };
    beforeAll(async () => {
      tree = await mkdtemp(join(tmpdir(), 'pame-layers-'));
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(tree, path)), { recursive: true });
        await writeFile(join(tree, path), text);
      }
    });
    afterAll(() => rm(tree, { recursive: true, force: true }));

    it('reports an import against the flow, between siblings, through a type-only cycle, between suites (a file or a folder), and of the catalog by the runner', async () => {
      const found = (await violationsIn(tree, ['src', 'suites'], false)).violations.map(describeViolation);
      expect(found).toContain('layer:src/protocol: src/protocol/model.ts → src/runner/start.ts');
      expect(found).toContain('layer:src/peer: src/peer/server.ts → src/proxy/proxy.ts');
      expect(found.some((v) => v.startsWith('no-circular: src/checks/a.ts → src/checks/b.ts'))).toBe(true);
      expect(found).toContain('suite-imports-suite: suites/one.ts → suites/two.ts');
      expect(found).toContain('suite-imports-suite: suites/three/index.ts → suites/two.ts');
      expect(found).not.toContain('suite-imports-suite: suites/three/index.ts → suites/three/steps.ts');
      expect(found).toContain('catalog-is-input: src/runner/run.ts → suites/catalog.ts');
      expect(found).not.toContain('suite-imports-suite: suites/catalog.ts → suites/one.ts');
    }, 60_000);
  });
});
