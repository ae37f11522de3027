/**
 * Which way the dependencies of the repository may point, checked by dependency-cruiser on the
 * source graph (workspace package names are mapped to their sources by tsconfig.paths.json, so no
 * build is needed). `pnpm test` runs it through the root `deps` task and fails on a violation.
 *
 *   app (packages/app, packages/fastify, apps/exporter) → core → sdk
 *   plugins → sdk (the Jenkins plugin also → jenkins-client)
 *   test kits (testing, testing-postgres, jenkins-simulator) only from tests, bench and deploy
 *   no relative import into another package (its dist/ or src/): only its package name
 *   no circles
 *
 * Test code is what sits in a `*.test.ts` file or in a package's `src/testing/` or `src/e2e/`
 * folder; it may import the test kits on top of what its package may import.
 */
const path = require('node:path');

/** Paths of test code (tests and their helpers). */
const TEST = '(\\.test\\.ts$|/src/testing/|/src/e2e/)';
/** Every module of ours that lives in a workspace package. */
const OURS = '^(packages|plugins|apps|examples|bench|deploy)/';
/** The test kits. */
const KITS = '^packages/(testing|testing-postgres|jenkins-simulator)/';

/**
 * A layering rule: production code under `from` may import, of our packages, only its own
 * package and those matching `allowed` (a path regex).
 */
function only(name, comment, from, allowed) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from, pathNot: TEST },
    to: { path: OURS, pathNot: [allowed, '^$1/$2/'] },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle of imports: split the shared part into a module both sides import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-reaching-into-another-package',
      comment: "A relative import into another package's dist/ or src/: import it by its package name and export what is needed.",
      severity: 'error',
      from: { path: '^((packages|plugins|apps|examples)/[^/]+|bench|deploy)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], path: OURS, pathNot: '^$1/' },
    },
    {
      name: 'no-import-of-a-build-output',
      comment: "A relative import of a dist/ folder (built or not yet): import the package by its name instead.",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['local', 'unknown'], path: '(^|/)dist/', pathNot: '(^|/)node_modules/' },
    },
    {
      name: 'no-unresolved-package-of-ours',
      comment: 'An import of a @muster/ name that is not a workspace package (or a subpath it does not export).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^@muster/' },
    },
    only('sdk-imports-nothing-of-ours', 'The SDK is the bottom layer: it imports no package of ours.', '^(packages)/(sdk)/', '^$'),
    only('core-imports-only-sdk', 'core → sdk only: core never imports an app, a plugin or a test kit.', '^(packages)/(core)/', '^packages/sdk/'),
    only('app-imports-core-and-sdk', 'packages/app embeds core: it imports core and the SDK only.', '^(packages)/(app)/', '^packages/(core|sdk)/'),
    only('fastify-imports-app-core-sdk', 'packages/fastify wraps packages/app.', '^(packages)/(fastify)/', '^packages/(app|core|sdk)/'),
    only('leaf-packages-import-nothing-of-ours', 'jenkins-client and the test kits for servers stand alone.', '^(packages)/(jenkins-client|jenkins-simulator|testing-postgres)/', '^$'),
    only('testing-imports-core-and-sdk', 'The test kit runs a collector with the real core.', '^(packages)/(testing)/', '^packages/(core|sdk)/'),
    only('plugins-import-only-sdk', 'Plugins see only the SDK (the Jenkins plugin also its REST client); never core, an app or another plugin.', '^(plugins)/([^/]+)/', '^packages/(sdk|jenkins-client)/'),
    only('exporter-imports-core-sdk-plugins', 'The exporter hosts core and the built-in plugins.', '^(apps)/(exporter)/', '^(packages/(core|sdk)|plugins/[^/]+)/'),
    {
      name: 'tests-import-kits-not-apps',
      comment: 'Tests of packages and plugins may add the test kits, never an app or (in plugins) core.',
      severity: 'error',
      from: { path: `^(packages|plugins)/[^/]+/.*${TEST}` },
      to: { path: '^(apps|bench|deploy|examples)/' },
    },
    {
      name: 'plugin-tests-import-sdk-and-kits',
      comment: 'A plugin test runs the plugin through the test kits; it does not import core or another plugin.',
      severity: 'error',
      from: { path: `^(plugins)/([^/]+)/.*${TEST}` },
      to: { path: OURS, pathNot: [KITS, '^packages/(sdk|jenkins-client)/', '^$1/$2/'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    exclude: { path: ['(^|/)node_modules/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.paths.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    extraExtensionsToScan: [],
  },
};
