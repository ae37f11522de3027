/**
 * muster's own plugins by short name → package: the exporter's built-ins, and what an embedding
 * app passes as `builtins` to let its config say `use: http-health`. The one such map in the
 * repository. Core imports none of these packages: a short name resolves at load time, and only
 * where its package is installed.
 */
export const STANDARD_PLUGINS: Readonly<Record<string, string>> = Object.freeze({
  'http-health': '@muster/plugin-http-health',
  jenkins: '@muster/plugin-jenkins',
  system: '@muster/plugin-system',
  postgres: '@muster/plugin-postgres',
});
