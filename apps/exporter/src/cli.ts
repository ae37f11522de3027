#!/usr/bin/env node
import { Command, Option } from 'commander';
import { flushAndExit } from './exit.js';
import { VERSION } from './version.js';

// Each command's module is imported when it runs: `muster start` does not load the schema,
// starter-config and scaffold code of the other commands.

const program = new Command()
  .name('muster')
  .description('One Prometheus exporter for many backends.')
  .version(VERSION)
  .showHelpAfterError();

const configOption = () =>
  new Option('-c, --config <file>', 'config file (default: muster.yaml, .musterrc*, muster.config.* or package.json "muster" in the current folder)');
const shardIndexOption = () =>
  new Option('--shard-index <i>', 'run only the instances of shard i (0-based; default: the ordinal ending HOSTNAME, e.g. muster-2)').env('MUSTER_SHARD_INDEX');
const shardCountOption = () => new Option('--shard-count <n>', 'split the instances over n shards by a stable hash of their names').env('MUSTER_SHARD_COUNT');

program
  .command('start')
  .description('validate the config, start every instance and serve /metrics')
  .addOption(configOption())
  .option('-p, --port <port>', 'port to listen on (overrides server.port)')
  .option('-H, --host <host>', 'address to listen on (overrides server.host)')
  .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
  .option('--web-config <file>', 'web config file: TLS, client certificates, basic auth, headers (exporter-toolkit format; overrides server.webConfig)')
  .addOption(shardIndexOption())
  .addOption(shardCountOption())
  .action(async (opts) => finish(await (await import('./commands/start.js')).startCommand(opts)));

program
  .command('validate')
  .description('check the whole config and the web config; print every error with its path')
  .addOption(configOption())
  .option('--web-config <file>', 'also check this web config file (default: server.webConfig)')
  .option('-v, --verbose', "show each instance's effective settings and where they came from")
  .action(async (opts) => finish(await (await import('./commands/validate.js')).validateCommand(opts)));

program
  .command('once')
  .description('run every instance once and print the exposition; exit 1 if any cycle failed')
  .addOption(configOption())
  .addOption(new Option('--format <format>', 'exposition format').choices(['text', 'openmetrics']).default('text'))
  .addOption(shardIndexOption())
  .addOption(shardCountOption())
  .action(async (opts) => finish(await (await import('./commands/once.js')).onceCommand(opts)));

program
  .command('new-plugin <name>')
  .description('write a ready collector plugin package (typed config, one metric, a test, README, sample config)')
  .option('-d, --dir <dir>', 'where to write it (default: ./muster-plugin-<name>)')
  .option('--in-workspace', 'write it inside a pnpm or npm workspace, and add it to the workspace\'s packages')
  .action(async (name: string, opts) => finish(await (await import('./commands/new-plugin.js')).newPluginCommand(name, opts)));

program
  .command('plugins')
  .description('list the built-in plugins')
  .action(async () => finish(await (await import('./commands/plugins.js')).pluginsCommand()));

program
  .command('schema')
  .description("print the config file's JSON Schema (core keys and every plugin's config) for editor completion")
  .option('-c, --config <file>', 'also describe the plugins (packages, ./paths) this config file names')
  .option('-o, --output <file>', 'write the schema to this file instead of stdout')
  .action(async (opts) => finish(await (await import('./commands/schema.js')).schemaCommand(opts)));

program
  .command('config [plugins...]')
  .description('print a starter config: every option of the named plugins (default: every built-in) at its default, commented')
  .option('--schema <ref>', 'what the yaml-language-server $schema comment points at ("" for none)', 'muster.schema.json')
  .option('--module <plugins...>', 'print starter modules for GET /probe instead (plugins that take targets: http-health, postgres, jenkins)')
  .action(async (plugins: string[], opts) => finish(await (await import('./commands/config.js')).configCommand(plugins, opts)));

async function finish(code: number): Promise<void> {
  await flushAndExit(code);
}

await program.parseAsync(process.argv);
