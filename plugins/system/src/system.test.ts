import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, loadavg, platform, release, totalmem, uptime } from 'node:os';
import { after, describe, test } from 'node:test';
import { createHarness, findSamples, type Harness, type HarnessOptions, type ParsedExposition, parseExposition, promtoolCheck, sampleValue, toolSkip } from '@muster/testing';
import plugin from './index.js';

const harnesses: Harness[] = [];
after(() => Promise.all(harnesses.map((h) => h.close())));

async function harness(config: Record<string, unknown> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const h = await createHarness(plugin, config, options);
  harnesses.push(h);
  return h;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const names = (e: ParsedExposition) => new Set(e.families.filter((f) => f.samples.length > 0).map((f) => f.name));
const value = (e: ParsedExposition, name: string, labels?: Record<string, string>): number => {
  const v = sampleValue(e, name, labels);
  assert.ok(v !== undefined, `${name} ${JSON.stringify(labels ?? {})} is exported`);
  return v;
};

describe('system on this host', { timeout: 30_000 }, () => {
  test('one cycle exports every default family, each series labelled with its collector', async () => {
    const h = await harness({}, { labels: { site: 'lab' } });
    const before = uptime();
    const { health, exposition: e } = await h.cycle();
    assert.equal(health.up, true);
    assert.deepEqual(e.problems, []);
    assert.deepEqual(
      [...names(e)].sort(),
      ['system_cpu_usage_ratio', 'system_cpus', 'system_info', 'system_load1', 'system_load15', 'system_load5', 'system_memory_bytes', 'system_uptime_seconds'],
    );
    for (const s of e.samples) assert.deepEqual([s.labels.collector, s.labels.site], ['test', 'lab'], s.name);
    assert.equal(value(e, 'system_cpus'), cpus().length);
    const up = value(e, 'system_uptime_seconds');
    assert.ok(up >= before && up <= uptime(), `uptime ${up}`);
    assert.equal(value(e, 'system_info', { hostname: hostname(), platform: platform(), arch: arch(), release: release() }), 1);
    // The first cycle measures since boot, so it has a value at once.
    const ratio = value(e, 'system_cpu_usage_ratio');
    assert.ok(ratio >= 0 && ratio <= 1, `ratio ${ratio}`);
  });

  test('CPU usage after two cycles is within [0, 1], and a busy loop shows in it', async () => {
    const h = await harness();
    await h.cycle();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    while (performance.now() - started < 300) Math.sqrt(Math.random());
    const burnt = process.cpuUsage(cpuBefore);
    const { exposition: e } = await h.cycle();
    const windowMs = performance.now() - started;
    const ratio = value(e, 'system_cpu_usage_ratio');
    assert.ok(ratio >= 0 && ratio <= 1, `ratio ${ratio}`);
    // The machine was busy at least while this process burnt CPU: busy time >= our CPU time.
    const ownShare = (burnt.user + burnt.system) / 1000 / (windowMs * cpus().length);
    assert.ok(ratio >= ownShare * 0.5, `ratio ${ratio} while this process alone used ${ownShare} of the CPUs`);
  });

  test('memory: used + available = total, and total = os.totalmem()', async () => {
    const { exposition: e } = await (await harness()).cycle();
    const used = value(e, 'system_memory_bytes', { state: 'used' });
    const available = value(e, 'system_memory_bytes', { state: 'available' });
    const total = value(e, 'system_memory_bytes', { state: 'total' });
    assert.equal(used + available, total);
    assert.equal(total, totalmem());
    assert.ok(available > 0 && used > 0);
    assert.equal(findSamples(e, 'system_memory_bytes').length, 3);
  });

  test('on Linux, available is /proc/meminfo MemAvailable', { skip: platform() !== 'linux' && 'Linux only' }, async () => {
    const { exposition: e } = await (await harness()).cycle();
    const meminfo = await readFile('/proc/meminfo', 'utf8');
    const memAvailable = Number(/^MemAvailable:\s+(\d+) kB$/m.exec(meminfo)?.[1]) * 1024;
    const available = value(e, 'system_memory_bytes', { state: 'available' });
    // Memory moves between the two reads; a few percent of the total is plenty.
    assert.ok(Math.abs(available - memAvailable) < totalmem() * 0.05, `${available} vs MemAvailable ${memAvailable}`);
  });

  test('load averages are os.loadavg() (read before and after the cycle bracket them)', async () => {
    const h = await harness();
    const before = loadavg();
    const { exposition: e } = await h.cycle();
    const afterwards = loadavg();
    for (const [i, minutes] of [1, 5, 15].entries()) {
      const v = value(e, `system_load${minutes}`);
      const low = Math.min(before[i] ?? 0, afterwards[i] ?? 0);
      const high = Math.max(before[i] ?? 0, afterwards[i] ?? 0);
      assert.ok(v >= 0 && v >= low - 1e-9 && v <= high + 1e-9, `load${minutes} ${v} not in [${low}, ${high}]`);
    }
  });

  test('perCpu: true adds one series per CPU; without it there are none', async () => {
    const h = await harness({ perCpu: true });
    await h.cycle();
    await sleep(50); // so that CPU time is accounted between the two cycles
    const { exposition: e } = await h.cycle();
    const cores = findSamples(e, 'system_cpu_core_usage_ratio');
    assert.deepEqual(
      cores.map((s) => s.labels.cpu),
      cpus().map((_, i) => String(i)),
    );
    for (const s of cores) assert.ok(s.value >= 0 && s.value <= 1, `cpu ${s.labels.cpu}: ${s.value}`);
    assert.ok(sampleValue(e, 'system_cpu_usage_ratio') !== undefined, 'the whole-machine ratio stays');

    const { exposition: plain } = await (await harness({ perCpu: false })).cycle();
    assert.deepEqual(findSamples(plain, 'system_cpu_core_usage_ratio'), []);
  });

  test('memory: false and load: false remove those families, headers included', async () => {
    const h = await harness({ memory: false, load: false }, { name: 'lean' });
    const { health, exposition: e } = await h.cycle();
    assert.equal(health.up, true);
    assert.deepEqual([...names(e)].sort(), ['system_cpu_usage_ratio', 'system_cpus', 'system_info', 'system_uptime_seconds']);
    const text = await h.text();
    for (const gone of ['system_memory_bytes', 'system_load1', 'system_load5', 'system_load15']) {
      assert.ok(!text.includes(`# TYPE ${gone} `), `${gone} is not in the exposition`);
    }
  });

  test('the whole exposition, self metrics included, has no problems in either format', async () => {
    const h = await harness({ perCpu: true });
    await h.cycle();
    await sleep(50); // so that CPU time is accounted between the two cycles
    await h.cycle();
    for (const format of ['text', 'openmetrics'] as const) {
      const text = await h.text(format);
      const parsed = parseExposition(text);
      assert.deepEqual(parsed.problems, [], format);
      assert.ok(parsed.families.some((f) => f.name === 'system_cpu_usage_ratio'), format);
      assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'test' }), 1, format);
    }
  });

  test('promtool check metrics accepts the exposition', { skip: toolSkip('promtool') }, async () => {
    const h = await harness({ perCpu: true });
    await h.cycle();
    await sleep(50);
    await h.cycle();
    const check = promtoolCheck(await h.text());
    assert.equal(check.code, 0, check.output);
  });
});
