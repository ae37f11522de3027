/** What the scaffold needs to fill its templates. */
export interface TemplateVars {
  /** Plugin name, kebab-case: `weather-station`. */
  readonly name: string;
  /** Metric prefix, snake_case: `weather_station`. */
  readonly prefix: string;
  /** npm package name: `muster-plugin-weather-station`. */
  readonly packageName: string;
  /** Version specs of `@muster/sdk` and `@muster/testing` (`link:…` to a local muster, or a range). */
  readonly sdkSpec: string;
  readonly testingSpec: string;
}

export function packageJson(v: TemplateVars): string {
  const pkg = {
    name: v.packageName,
    version: '0.1.0',
    description: `muster collector plugin: ${v.name}`,
    type: 'module',
    license: 'MIT',
    keywords: ['muster', 'muster-plugin', 'prometheus'],
    engines: { node: '>=22' },
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    files: ['dist', '!dist/**/*.test.*', 'sample.yaml', 'README.md'],
    scripts: {
      build: 'tsc -p tsconfig.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      test: 'node --test --test-reporter=spec "dist/**/*.test.js"',
      prepack: 'tsc -p tsconfig.json',
    },
    peerDependencies: { '@muster/sdk': '^0.1.0' },
    devDependencies: {
      '@muster/sdk': v.sdkSpec,
      '@muster/testing': v.testingSpec,
      '@types/node': '^24.0.0',
      typescript: '~5.9.3',
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": true,
    "declaration": true,
    "sourceMap": true,
    "verbatimModuleSyntax": true,
    "types": ["node"],
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
`;

export const GITIGNORE = 'node_modules/\ndist/\n';

export function indexTs(v: TemplateVars): string {
  return `import { API_VERSION, CollectError, definePlugin, z } from '@muster/sdk';

/**
 * The instance's \`config\` block: its TypeScript type, validation and JSON Schema in one.
 * Describe every key with \`.describe('…')\` (or \`.meta({ description, examples })\`): the text
 * becomes the comment of \`muster config\`, the hover text of \`muster schema\` in an editor, and
 * the docs; an example becomes the placeholder of a required key. (A JSDoc comment on a key is
 * seen by TypeScript only.)
 */
const configSchema = z
  .object({
    url: z
      .url()
      .meta({
        description: 'A JSON endpoint answering an object of numbers, e.g. { "queued": 3, "running": 1 }.',
        examples: ['http://127.0.0.1:8080/stats.json'],
      }),
    keys: z
      .array(z.string())
      .optional()
      .describe('Which keys to export; all numeric keys when absent (keep label values bounded).'),
  })
  .strict();

export default definePlugin({
  name: '${v.name}',
  apiVersion: API_VERSION,
  description: 'Exports the numbers of a JSON endpoint.',
  configSchema,
  defaults: { schedule: '30s', timeout: '10s' },
  create(ctx) {
    // Declare metrics once. A gauge is current-state: rebuilt every cycle, so a key that
    // disappears from the endpoint disappears from /metrics.
    const value = ctx.metrics.gauge({
      name: '${v.prefix}_value',
      help: 'Numeric values read from the endpoint, by key.',
      labelNames: ['key'],
    });
    return {
      async collect(signal) {
        // ctx.http is got: no retries, a timeout under the deadline. Pass the signal.
        const body = await ctx.http.get(ctx.config.url, { signal }).json<unknown>();
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          throw new CollectError('bad-response', 'expected a JSON object of numbers');
        }
        for (const [key, v] of Object.entries(body)) {
          if (typeof v !== 'number') continue;
          if (ctx.config.keys !== undefined && !ctx.config.keys.includes(key)) continue;
          value.set({ key }, v);
        }
      },
    };
  },
});
`;
}

export function indexTestTs(v: TemplateVars): string {
  return `import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { assertValidExposition, createHarness, findSamples, sampleValue } from '@muster/testing';
import plugin from './index.js';

describe('${v.name}', () => {
  let answer: unknown = { queued: 3, running: 1 };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/\`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('exports every number of the endpoint, and drops keys that vanish', async () => {
    const h = await createHarness(plugin, { url });
    try {
      const first = await h.cycle();
      assert.equal(first.health.up, true, first.health.lastError);
      assert.equal(sampleValue(first.exposition, '${v.prefix}_value', { key: 'queued' }), 3);
      answer = { queued: 5 };
      const second = await h.cycle();
      assert.equal(sampleValue(second.exposition, '${v.prefix}_value', { key: 'queued' }), 5);
      assert.equal(findSamples(second.exposition, '${v.prefix}_value', { key: 'running' }).length, 0);
      assertValidExposition(await h.text());
    } finally {
      await h.close();
    }
  });

  it('fails the cycle with reason bad-response on a JSON array', async () => {
    answer = [1, 2];
    const h = await createHarness(plugin, { url });
    try {
      const { health } = await h.cycle();
      assert.equal(health.up, false);
      assert.equal(health.reason, 'bad-response');
    } finally {
      await h.close();
    }
  });

  it('validates its config and its sample config', () => {
    assert.equal(plugin.configSchema.safeParse({ url: 'not a url' }).success, false);
    assert.equal(plugin.configSchema.safeParse({ url, extra: 1 }).success, false);
    const sample = readFileSync(new URL('../sample.yaml', import.meta.url), 'utf8');
    const config = /url: (\\S+)/.exec(sample)?.[1];
    assert.equal(plugin.configSchema.safeParse({ url: config }).success, true);
  });
});
`;
}

export function sampleYaml(v: TemplateVars, dirName: string): string {
  return `plugins:
  - name: ${v.name}
    use: ./${dirName}          # or the package name once installed: ${v.packageName}
    schedule: 30s
    timeout: 10s
    config:
      url: http://127.0.0.1:8080/stats.json
      # keys: [queued, running]
`;
}

export function readme(v: TemplateVars, dirName: string): string {
  return `# ${v.packageName}

A collector plugin for muster, the Prometheus exporter for many backends (\`@muster/exporter\`):
exports the numbers of a JSON endpoint.

## Configuration

\`\`\`yaml
${sampleYaml(v, dirName).trim()}
\`\`\`

| option | type | default | meaning |
| --- | --- | --- | --- |
| \`url\` | URL | required | A JSON endpoint answering an object of numbers. |
| \`keys\` | list of strings | all numeric keys | Which keys to export. |

## Metrics

| metric | type | labels | meaning |
| --- | --- | --- | --- |
| \`${v.prefix}_value\` | gauge | \`key\` | The endpoint's numeric values, by key. |

Every series also carries \`collector="<instance name>"\` and the instance's labels.

## Develop

\`\`\`sh
pnpm install && pnpm build && pnpm test
\`\`\`

Then name the folder in a muster config (\`use: ./${dirName}\`) and run \`muster once\`.
\`muster config ./${dirName}\` prints a starter config of it, its keys described by the schema's
\`.describe()\` texts.
`;
}
