import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, findSamples, parseExposition } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

/** ~12 cheap instances: the fixture plugin sleeping 1 ms per cycle. */
const NAMES = [
  'orders-api', 'billing-api', 'shop-frontend', 'search', 'ci', 'ci-nightly',
  'orders-db', 'billing-db', 'host', 'self', 'queue-a', 'queue-b',
];
const CONFIG = `defaults:
  schedule: 1s
  timeout: 500ms
plugins:
${NAMES.map((n) => `  - { name: ${n}, use: ${join(FIXTURES, 'sleepy.mjs')}, config: { sleepMs: 1 } }`).join('\n')}
`;

/** The `collector` label values of muster_collector_up in an exposition. */
function collectors(body: string): string[] {
  return findSamples(parseExposition(body), 'muster_collector_up').map((s) => s.labels.collector ?? '');
}

describe('sharding across replicas', { timeout: 300_000 }, () => {
  const config = writeConfig(CONFIG);
  let whole: Exporter;
  const shards: Exporter[] = [];

  before(async () => {
    const settled = await Promise.allSettled([
      startExporter(config),
      ...[0, 1, 2].map((i) => startExporter(config, { args: ['--shard-index', String(i), '--shard-count', '3'] })),
    ]);
    // Keep every process that started, so that after() stops them even when another did not start.
    const started = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    whole = started[0] as Exporter;
    shards.push(...started.slice(1).filter((e): e is Exporter => e !== undefined));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  });
  after(async () => {
    for (const e of [whole, ...shards]) assert.equal(await e?.stop(), 0);
  });

  it('three shards together run exactly the instances of one unsharded process, none twice', async () => {
    for (const e of [whole, ...shards]) {
      assert.ok(await eventually(async () => (await e.scrape('/readyz')).status === 200, 10_000), 'ready');
    }
    const all = collectors((await whole.scrape()).body);
    assert.deepEqual([...all].sort(), [...NAMES].sort());
    const parts = await Promise.all(shards.map(async (s) => collectors((await s.scrape()).body)));
    const union = parts.flat();
    assert.equal(union.length, NAMES.length, `no instance twice: ${JSON.stringify(parts)}`);
    assert.deepEqual([...union].sort(), [...all].sort());
    assert.ok(parts.every((p) => p.length > 0), `every shard has work: ${JSON.stringify(parts)}`);
    // Each shard also serves its instances' own series, and only theirs.
    // (Ready means serving: each instance runs at its own phase within its 1 s interval.)
    const series = async () => findSamples(parseExposition((await shards[0]!.scrape()).body), 'fixture_sleepy_cycles_total').map((s) => s.labels.collector);
    assert.ok(await eventually(async () => new Set(await series()).size === parts[0]?.length, 30_000), 'every instance of shard 0 ran');
    assert.deepEqual(new Set(await series()), new Set(parts[0]));
    // And logs which instances it runs.
    assert.match(shards[1]!.output(), /"shard":1,"shardCount":3,"indexFrom":"option"/);
  });

  it('muster once takes the same shards, from flags, env or a StatefulSet pod name', async () => {
    const started = await Promise.all(shards.map(async (s) => collectors((await s.scrape()).body).sort()));
    for (const [i, expected] of started.entries()) {
      const flags = await runCli(['once', '--config', config, '--shard-index', String(i), '--shard-count', '3']);
      assert.equal(flags.code, 0, flags.stderr);
      assert.deepEqual(collectors(flags.stdout).sort(), expected);
      const pod = await runCli(['once', '--config', config], { env: { MUSTER_SHARD_COUNT: '3', HOSTNAME: `muster-${i}` } });
      assert.equal(pod.code, 0, pod.stderr);
      assert.deepEqual(collectors(pod.stdout).sort(), expected, `HOSTNAME=muster-${i}`);
    }
    const env = await runCli(['once', '--config', config], { env: { MUSTER_SHARD_INDEX: '2', MUSTER_SHARD_COUNT: '3' } });
    assert.deepEqual(collectors(env.stdout).sort(), started[2]);
  });

  it('going from 3 to 4 shards moves only the instances the new shard takes', async () => {
    const of = async (count: number) => {
      const owner = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const { code, stdout, stderr } = await runCli(['once', '--config', config, '--shard-index', String(i), '--shard-count', String(count)]);
        assert.equal(code, 0, stderr);
        for (const c of collectors(stdout)) owner.set(c, i);
      }
      return owner;
    };
    const [three, four] = [await of(3), await of(4)];
    assert.equal(four.size, NAMES.length);
    const moved = NAMES.filter((n) => three.get(n) !== four.get(n));
    for (const n of moved) assert.equal(four.get(n), 3, `${n} moved, and only to the new shard`);
    assert.ok(moved.length < NAMES.length / 2, `moved ${moved.length} of ${NAMES.length}`);
  });

  it('rejects bad shard options with a clear message and exit 1', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--shard-index', '3', '--shard-count', '3'], {}, /--shard-index: expected an integer from 0 to 2 .*found 3/],
      [['--shard-index', 'x', '--shard-count', '3'], {}, /--shard-index: expected an integer from 0 to 2, found "x"/],
      [['--shard-count', '0', '--shard-index', '0'], {}, /--shard-count: expected an integer from 1 to 1024, found "0"/],
      [['--shard-index', '1'], {}, /--shard-index needs --shard-count/],
      [['--shard-count', '3'], { HOSTNAME: 'laptop' }, /expected a host name ending in "-<ordinal>"/],
    ];
    for (const [args, env, message] of cases) {
      for (const command of ['once', 'start']) {
        const { code, stdout, stderr } = await runCli([command, '--config', config, ...args], { env });
        assert.equal(code, 1, `${command} ${args.join(' ')}`);
        assert.equal(stdout, '');
        assert.match(stderr, message);
      }
    }
  });

  it('validates the whole config on every shard, not only its own instances', async () => {
    const bad = writeConfig(`${CONFIG}  - { name: broken, use: ${join(FIXTURES, 'sleepy.mjs')}, config: { sleepMs: -1 } }\n`);
    for (const i of [0, 1, 2]) {
      const { code, stderr } = await runCli(['once', '--config', bad, '--shard-index', String(i), '--shard-count', '3']);
      assert.equal(code, 1);
      assert.match(stderr, /plugins\[12\]\.config\.sleepMs/);
    }
  });
});
