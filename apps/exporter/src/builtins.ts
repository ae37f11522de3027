/** Plugins that ship with the exporter: short name → package. */
export const BUILTIN_PLUGINS: Readonly<Record<string, string>> = {
  'http-health': '@muster/plugin-http-health',
  jenkins: '@muster/plugin-jenkins',
  system: '@muster/plugin-system',
  postgres: '@muster/plugin-postgres',
};
