import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@muster/sdk';
import type { Plan } from '../config/plan.js';
import { isMusterError } from '../errors.js';
import { Host, type HostOptions } from './host.js';

/** A plugin of core's test fixtures: writes `fixture_value` = its `x`. */
const GOOD = fileURLToPath(new URL('../../test-fixtures/plugins/good.mjs', import.meta.url));

/** A logger that keeps each line as JSON text, as a JSON-lines sink would write it. */
function recordingLogger(lines: string[], fields: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      const own = typeof a === 'string' ? { msg: a } : { ...a, ...(b === undefined ? {} : { msg: b }) };
      lines.push(JSON.stringify({ level, ...fields, ...own }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => recordingLogger(lines, { ...fields, ...more }) };
}

/** A config file of `fixture` instances, each `name: x`, on-scrape so that a scrape runs them. */
function configText(instances: Record<string, number | string>, extra = ''): string {
  const entries = Object.entries(instances).map(([name, x]) => `  - name: ${name}\n    use: ${GOOD}\n    schedule: on-scrape\n    config: { x: ${x}${extra} }\n`);
  return `plugins:\n${entries.join('')}`;
}

function host(options: Partial<HostOptions> & { lines?: string[] } = {}): Host {
  return new Host({ logger: recordingLogger(options.lines ?? []), version: 'test', builtins: {}, resolveFrom: [import.meta.url], ...options });
}

/** The value of `name{collector}` in a text exposition, or undefined. */
function sample(text: string, name: string, collector?: string): number | undefined {
  const selector = collector === undefined ? name : `${name}{collector="${collector}"}`;
  const line = text.split('\n').find((l) => l.startsWith(`${selector} `));
  return line === undefined ? undefined : Number(line.slice(selector.length + 1));
}

describe('Host', () => {
  it('reads the config it finds, runs the plan narrowed by select, and a reload re-reads that file, narrowed again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    writeFileSync(join(dir, 'muster.yaml'), configText({ a1: 1, a2: 2, b1: 3 }));
    const lines: string[] = [];
    const onlyA = (plan: Plan): Plan => ({ ...plan, instances: plan.instances.filter((i) => i.name.startsWith('a')) });
    const h = host({ config: { cwd: dir }, select: onlyA, lines });
    try {
      const whole = await h.readPlan();
      assert.equal(whole.filepath, join(dir, 'muster.yaml'));
      assert.deepEqual(
        whole.instances.map((i) => i.name),
        ['a1', 'a2', 'b1'],
        'readPlan validates the whole config, not narrowed',
      );
      const plan = h.load(whole);
      assert.deepEqual(
        plan.instances.map((i) => i.name),
        ['a1', 'a2'],
      );
      assert.equal(h.runtime.plan, plan);
      let text = String((await h.scrape()).body);
      assert.equal(sample(text, 'fixture_value', 'a1'), 1);
      assert.equal(sample(text, 'fixture_value', 'b1'), undefined, 'select kept b1 out');

      // A config the search would now prefer (package.json's "muster" key) is not what a reload reads.
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ muster: { plugins: [] } }));
      writeFileSync(join(dir, 'muster.yaml'), configText({ a1: 10, a2: 2, a3: 4, b1: 3, b2: 5 }));
      const outcome = await h.reload();
      assert.deepEqual(outcome, { ok: true, summary: { kept: ['a2'], added: ['a3'], changed: ['a1'], removed: [] } });
      text = String((await h.scrape()).body);
      assert.equal(sample(text, 'fixture_value', 'a1'), 10);
      assert.equal(sample(text, 'fixture_value', 'a3'), 4);
      assert.equal(sample(text, 'fixture_value', 'b2'), undefined, 'the reloaded plan is narrowed too');
      assert.equal(sample(text, 'muster_config_last_reload_successful'), 1);
      assert.ok(lines.some((l) => l.includes('"msg":"configuration reloaded"') && l.includes('"changed":["a1"]')));
    } finally {
      await h.runtime.stop();
    }
  });

  it('refuses a bad file whole: the running plan stays, the reload is recorded as failed, and the answer and log hide the secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    const file = join(dir, 'custom.yaml');
    const secret = 'hunter2-is-the-password';
    writeFileSync(file, configText({ kept: 1 }, ', token: "${TOKEN}"'));
    const lines: string[] = [];
    const h = host({ config: { file, env: { TOKEN: secret } }, lines });
    try {
      h.load(await h.readPlan());
      // The bad file quotes the secret where a number belongs: the error names the path, never the value.
      writeFileSync(file, configText({ kept: `"${secret}"` }));
      const outcome = await h.reload();
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok);
      assert.match(outcome.error, /plugins\[0\]\.config\.x/);
      assert.match(outcome.error, /\[MUSTER_ERR_CONFIG_INVALID\]$/);
      assert.equal(outcome.error.includes(secret), false);
      assert.deepEqual(
        h.runtime.instances.map((i) => i.name),
        ['kept'],
      );
      const text = String((await h.scrape()).body);
      assert.equal(sample(text, 'fixture_value', 'kept'), 1, 'the running plan still answers');
      assert.equal(sample(text, 'muster_config_last_reload_successful'), 0);
      assert.ok(lines.some((l) => l.includes('reload refused: the running configuration stays')));
      // Whatever core or a plugin logs passes through the plan's redactor.
      h.logger.child({ collector: 'kept' }).warn({ header: `Bearer ${secret}` }, `sent ${secret}`);
      assert.equal(lines.join('\n').includes(secret), false, lines.join('\n'));
      assert.ok(lines.join('\n').includes('Bearer [REDACTED]'));
    } finally {
      await h.runtime.stop();
    }
  });

  it('redacts secrets at any depth of a line: nested fields, arrays, errors and child fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    const secret = 'nested-secret-42';
    writeFileSync(join(dir, 'muster.yaml'), configText({ one: 1 }, ', token: "${TOKEN}"'));
    const lines: string[] = [];
    const h = host({ config: { cwd: dir, env: { TOKEN: secret } }, lines });
    try {
      h.load(await h.readPlan());
      // What a plugin may log through ctx.logger: a request it made, an error it caught, a child for its target.
      const child = h.logger.child({ target: { url: `http://u:${secret}@127.0.0.1:1/` } });
      child.warn({ request: { headers: { authorization: `Bearer ${secret}` } }, tried: [`token=${secret}`] }, 'request failed');
      child.error({ err: new Error(`connect failed for password ${secret}`) }, 'ping failed');
      const text = lines.join('\n');
      assert.equal(text.includes(secret), false, text);
      assert.ok(text.includes('Bearer [REDACTED]'), text);
      assert.ok(text.includes('token=[REDACTED]'), text);
      assert.ok(text.includes('connect failed for password [REDACTED]'), text);
      assert.ok(text.includes('http://u:[REDACTED]@127.0.0.1:1/'), text);
    } finally {
      await h.close();
    }
  });

  it('close() waits for a reload under way, which then changes nothing, and later reloads are refused with a code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    const file = join(dir, 'muster.yaml');
    writeFileSync(file, configText({ one: 1 }));
    const lines: string[] = [];
    const h = host({ config: { file }, lines });
    h.load(await h.readPlan());
    h.runtime.start();
    writeFileSync(file, configText({ one: 1, two: 2 }));
    const during = h.reload();
    await h.close();
    const outcome = await during;
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.match(outcome.error, /\[MUSTER_ERR_SHUTTING_DOWN\]$/);
    assert.deepEqual(
      h.runtime.instances.map((i) => i.name),
      ['one'],
      'no instance is created after close()',
    );
    const after = await h.reload();
    assert.ok(!after.ok);
    assert.match(after.error, /\[MUSTER_ERR_SHUTTING_DOWN\]$/);
    assert.ok(lines.some((l) => l.includes('reload not applied: muster is shutting down')), 'the log says why nothing changed');
    assert.equal(h.close(), h.close(), 'close() is idempotent');
  });

  it('reads an inline config again at reload, with the files its ${file:…} values name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    writeFileSync(join(dir, 'url.txt'), 'http://127.0.0.1:1/one');
    const inline = { plugins: [{ name: 'inline', use: GOOD, schedule: 'on-scrape', config: { url: '${file:./url.txt}' } }] };
    const h = host({ config: { inline, cwd: dir, env: {} } });
    try {
      const plan = h.load(await h.readPlan());
      assert.equal(plan.filepath, join(dir, '(inline muster config)'));
      assert.deepEqual(await h.reload(), { ok: true, summary: { kept: ['inline'], added: [], changed: [], removed: [] } });
      writeFileSync(join(dir, 'url.txt'), 'http://127.0.0.1:1/two');
      assert.deepEqual(await h.reload(), { ok: true, summary: { kept: [], added: [], changed: ['inline'], removed: [] } });
      assert.equal((h.runtime.instances[0]?.plan.config as { url?: string } | undefined)?.url, 'http://127.0.0.1:1/two');
    } finally {
      await h.runtime.stop();
    }
  });

  it('loads one plan; later plans go through reload, which has nothing to do before a load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    writeFileSync(join(dir, 'muster.yaml'), configText({ one: 1 }));
    const h = host({ config: { cwd: dir } });
    try {
      const early = await h.reload();
      assert.ok(!early.ok);
      assert.match(early.error, /nothing to reload: no configuration is loaded yet/);
      assert.match(early.error, /\[MUSTER_ERR_INVALID_ARGUMENT\]$/);
      const plan = await h.readPlan();
      h.load(plan);
      assert.throws(
        () => h.load(plan),
        (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /reload\(\)/.test(err.message),
      );
    } finally {
      await h.runtime.stop();
    }
  });

  it('hands a logger that redacts whole lines to core as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-host-'));
    writeFileSync(join(dir, 'muster.yaml'), configText({ one: 1 }, ', token: "${TOKEN}"'));
    const lines: string[] = [];
    const logger = recordingLogger(lines);
    const wrapped = host({ logger, config: { cwd: dir, env: { TOKEN: 'a-secret-token' } } });
    const plain = host({ logger, loggerRedactsLines: true, config: { cwd: dir, env: { TOKEN: 'a-secret-token' } } });
    assert.notEqual(wrapped.logger, logger);
    assert.equal(plain.logger, logger);
    plain.load(await plain.readPlan());
    assert.equal(plain.redact('token a-secret-token'), 'token [REDACTED]', 'the line sink redacts with host.redact()');
    await plain.runtime.stop();
  });
});
