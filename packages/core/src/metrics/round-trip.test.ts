import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { renderHeader } from './exposition/format.js';
import { FamilyRegistry } from './families.js';
import { InstanceMetrics } from './instance-metrics.js';

/** A small seeded generator: the same writes on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The exposition text of one instance's current families, as a scrape renders them. */
async function exposition(m: InstanceMetrics, instance: string): Promise<string> {
  let text = '';
  for (const family of await m.snapshot()) {
    assert.ok(family.chunks !== undefined, family.name);
    text += renderHeader(family, 'text');
    for (const chunk of family.chunks(`collector="${instance}"`)) text += chunk;
  }
  return text;
}

/** Sample lines (`name{labels}` → value) of an exposition text. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

function promtoolPath(t: { skip: (message: string) => void }): string | undefined {
  const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
  if (promtool !== '') return promtool;
  // CI installs promtool and never skips (as @muster/testing's requireTool does).
  assert.notEqual(process.env.CI, 'true', 'promtool is required in CI (Debian package "prometheus")');
  t.skip('SKIPPED: promtool is not installed (Debian package "prometheus")');
  return undefined;
}

describe('metric maps through the exposition text', () => {
  it('render exactly the values written, over cycles that grow, empty, refill and fail', async (t) => {
    const promtool = promtoolPath(t);
    const random = seeded(21);
    const families = new FamilyRegistry();
    const m = new InstanceMetrics({ instance: 'a', plugin: 'p', families, reservedLabels: new Set(['collector']) });
    const gauge = m.gauge({ name: 'rt_value', help: 'h', labelNames: ['k', 'j'] });
    const counter = m.counter({ name: 'rt_events_total', help: 'h', labelNames: ['k'] });
    const histogram = m.histogram({ name: 'rt_seconds', help: 'h', labelNames: ['k'], buckets: [1, 2] });
    const perCycle = m.histogram({ name: 'rt_cycle_seconds', help: 'h', labelNames: ['k'], buckets: [1], accumulate: false });
    const summary = m.summary({ name: 'rt_size_bytes', help: 'h', labelNames: ['k'], accumulate: false });
    const state = m.stateSet({ name: 'rt_mode', help: 'h', labelNames: ['k'], states: ['x', 'y'] });
    // Another instance sharing the state set without labels, writing other states.
    const states = ['on', 'off'] as const;
    const other = new InstanceMetrics({ instance: 'b', plugin: 'p', families, reservedLabels: new Set(['collector']) });
    const otherPower = other.stateSet({ name: 'rt_power', help: 'h', states });
    const power = m.stateSet({ name: 'rt_power', help: 'h', states });

    const counts = new Map<string, number>();
    const buckets = new Map<string, [number, number, number]>();
    let rendered = 0;
    for (let cycle = 0; cycle < 150; cycle++) {
      m.beginCycle();
      other.beginCycle();
      // Mostly a few label sets, now and then none (the family empties) or hundreds (it grows past several doublings).
      const writes = cycle % 25 === 24 ? 0 : Math.floor(random() ** 3 * (cycle < 100 ? 300 : 3000));
      const gauges = new Map<string, number>();
      const written = new Map<string, { observations: number; mode: 'x' | 'y' }>();
      for (let i = 0; i < writes; i++) {
        const k = String(Math.floor(random() * (cycle < 100 ? 500 : 5000)));
        const j = String(Math.floor(random() * 3));
        const v = Math.floor(random() * 100);
        gauge.set({ k, j }, v);
        gauges.set(`rt_value{collector="a",k="${k}",j="${j}"}`, v);
        counter.inc({ k });
        counts.set(k, (counts.get(k) ?? 0) + 1);
        const seconds = random() * 3;
        histogram.observe({ k }, seconds);
        const b = buckets.get(k) ?? [0, 0, 0];
        b[seconds <= 1 ? 0 : seconds <= 2 ? 1 : 2]++;
        buckets.set(k, b);
        perCycle.observe({ k }, 0.5);
        summary.observe({ k }, 7);
        const mode = random() < 0.5 ? 'x' : 'y';
        state.set({ k }, mode);
        written.set(k, { observations: (written.get(k)?.observations ?? 0) + 1, mode });
      }
      const mine = cycle % 2 === 0 ? 'on' : 'off';
      power.set(mine);
      otherPower.set(mine === 'on' ? 'off' : 'on');
      // A failed cycle is never rendered: the next one sweeps what it left.
      if (random() < 0.2) continue;
      rendered++;
      const text = await exposition(m, 'a');
      const got = parse(text);
      const label = `cycle ${cycle}`;
      assert.equal([...got.keys()].filter((key) => key.startsWith('rt_value{')).length, gauges.size, `${label}: gauge label sets`);
      for (const [key, v] of gauges) assert.equal(got.get(key), v, `${label}: ${key}`);
      for (const [k, n] of counts) assert.equal(got.get(`rt_events_total{collector="a",k="${k}"}`), n, `${label}: counter ${k}`);
      for (const [k, [le1, le2, above]] of buckets) {
        const at = (le: string) => got.get(`rt_seconds_bucket{collector="a",k="${k}",le="${le}"}`);
        assert.deepEqual([at('1'), at('2'), at('+Inf')], [le1, le1 + le2, le1 + le2 + above], `${label}: histogram ${k}`);
        assert.equal(got.get(`rt_seconds_count{collector="a",k="${k}"}`), le1 + le2 + above);
      }
      assert.equal([...got.keys()].filter((key) => key.startsWith('rt_cycle_seconds_count{')).length, written.size, `${label}: per-cycle histogram`);
      assert.equal([...got.keys()].filter((key) => key.startsWith('rt_size_bytes_count{')).length, written.size, `${label}: summary`);
      for (const [k, { observations, mode }] of written) {
        assert.equal(got.get(`rt_cycle_seconds_count{collector="a",k="${k}"}`), observations, `${label}: per-cycle ${k}`);
        assert.equal(got.get(`rt_size_bytes_count{collector="a",k="${k}"}`), observations, `${label}: summary ${k}`);
        assert.equal(got.get(`rt_size_bytes{collector="a",k="${k}",quantile="0.5"}`), 7);
        assert.equal(got.get(`rt_mode{collector="a",k="${k}",rt_mode="${mode}"}`), 1, `${label}: state ${k}`);
        assert.equal(got.get(`rt_mode{collector="a",k="${k}",rt_mode="${mode === 'x' ? 'y' : 'x'}"}`), 0);
      }
      assert.equal([...got.keys()].filter((key) => key.startsWith('rt_mode{')).length, 2 * written.size, `${label}: state sets`);
      assert.equal(got.get(`rt_power{collector="a",rt_power="${mine}"}`), 1);
      const theirs = parse(await exposition(other, 'b'));
      assert.equal(theirs.get(`rt_power{collector="b",rt_power="${mine}"}`), 0, `${label}: the other instance's state`);
      if (promtool !== undefined && cycle % 30 === 0) {
        const check = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
        assert.equal(check.status, 0, check.stdout + check.stderr);
      }
    }
    assert.ok(rendered > 100, `rendered ${rendered} cycles`);
  });
});
