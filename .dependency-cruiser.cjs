/**
 * Import rules (issue 17), checked by `npm run lint:deps` and by test/dependency-rules.test.ts.
 * - No import cycle, type-only imports included.
 * - Areas import one way: an area may import only areas listed before it in LAYERS, so the system
 *   under test never imports the harness that measures it and shared vocabulary lives in core.
 * - Tests (*.test.ts) are exempt from the two rules below, not from the first.
 * - Across areas, import an area's index.ts; within an area, import the module itself. No exceptions
 *   are listed (no known-violations baseline): every deep import fails.
 */
// Lowest first. Folders on one line are peers: they may not import each other.
const LAYERS = [
  ['core'],
  ['docker', 'sql-audit'],
  ['stack'],
  ['reference-system'],
  ['scenarios', 'analyzers', 'reports'],
  ['chaos'],
  ['assess'],
  ['cli'],
  ['bench', 'test', 'bin'],
];
const AREAS = LAYERS.flat();
// Tests may reach up and in: an integration test drives the platform with the harness's fixtures.
// They still may not form a cycle.
const TESTS = '\\.test\\.ts$';
const alt = (names) => `(${names.join('|')})`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return layer.map((area) => {
    const forbidden = [...above, ...layer.filter((a) => a !== area)];
    return {
      name: `layer-${area}`,
      comment: `${area} may import only ${LAYERS.slice(0, i).flat().join(', ') || 'nothing else in brink'} (lower layers)`,
      severity: 'error',
      from: { path: `^${area}/`, pathNot: TESTS },
      to: { path: `^${alt(forbidden)}/` },
    };
  }).filter((r) => r.to.path !== '^()/');
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle: the modules cannot be understood, tested or loaded one without the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'cross-area-through-index',
      comment: "another area's modules are reached through its index.ts",
      severity: 'error',
      from: { path: `^${alt(AREAS)}/`, pathNot: TESTS },
      to: {
        path: `^${alt(AREAS)}/`,
        pathNot: [`^$1/`, `^${alt(AREAS)}/index\\.ts$`],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.tools|\\.brink)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
