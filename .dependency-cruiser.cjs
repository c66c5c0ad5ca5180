// The dependency rule of docs/architecture.md, enforced by test/architecture.test.ts
// (`npx depcruise src suites` shows the same). Data flows one way, down this list:
// a module may import from its own folder and from folders in earlier layers,
// never from a later layer nor from a sibling in its own layer.
const LAYERS = [
  ['src/generated', 'src/paths.ts'], // what the schemas and the package layout give
  ['src/protocol'], // the protocol model
  ['src/client'], // the wire: sends, records exchanges, judges nothing
  ['src/validator'], // judges requests, replies and recorded exchanges
  ['src/hive'], // the reference Hive
  ['src/peer', 'src/proxy'], // servers the runner or the CLI start
  ['src/checks'], // the check machinery
  ['src/fuzz'], // fuzzing checks' machinery
  ['suites', 'src/runner'], // the catalog of checks; the runner, which takes it as input
  ['src/reports'], // consumers of a run's results
  ['src/scan'], // many runs: pame scan, its fleet outputs, shards and merging
  ['src/compare'], // comparing runs and rerunning one: pame diff, --rerun-failed
  ['src/cli', 'src/index.ts'], // entry points
];

const escape = (path) => path.replace(/[.]/g, '\\.');
/** A path pattern for a folder (everything under it) or a single file. */
const pattern = (path) => (path.endsWith('.ts') ? `^${escape(path)}$` : `^${escape(path)}/`);

const against = LAYERS.flatMap((layer, index) =>
  layer.map((from) => {
    const later = LAYERS.slice(index + 1).flat();
    const siblings = layer.filter((other) => other !== from);
    const forbidden = [...later, ...siblings];
    return {
      name: `layer:${from}`,
      comment: `${from} may import only from earlier layers (docs/architecture.md); not from ${forbidden.join(', ')}`,
      severity: 'error',
      from: { path: pattern(from) },
      to: { path: forbidden.map(pattern) },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...against,
    {
      name: 'no-circular',
      comment: 'no import cycle, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'suite-imports-suite',
      // A suite is a file (suites/ping.ts) or a folder (suites/wire/): $1 names it, and its modules may import one another.
      comment: 'a suite declares its own checks; what two suites share lives in src/checks or src/client',
      severity: 'error',
      from: { path: '^suites/([^/]+?)(/|\\.ts$)', pathNot: ['^suites/(catalog|harness)\\.ts$', '\\.test\\.ts$'] },
      to: { path: '^suites/', pathNot: '^suites/$1/' },
    },
    {
      name: 'catalog-is-input',
      comment: 'only the CLI (and the vitest binding) load the catalog; the runner and the reports take it as input',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^suites/' },
    },
    {
      name: 'product-imports-no-tests',
      comment: 'the shipped code never loads the project\'s own tests, fixtures or benchmarks',
      severity: 'error',
      from: { path: '^(src|suites)/' },
      to: { path: '^(test|fixtures|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
