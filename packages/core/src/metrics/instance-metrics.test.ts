import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError, type MusterError } from '../errors.js';
import { FamilyRegistry } from './families.js';
import { MetricStore } from './exposition/store.js';
import { InstanceMetrics, NAME_SET_AFTER } from './instance-metrics.js';
import type { FamilySnapshot, Sample } from './types.js';

function metricsFor(instance: string, plugin = 'app', families = new FamilyRegistry()): InstanceMetrics {
  return new InstanceMetrics({ instance, plugin, families, reservedLabels: new Set(['collector', 'env']) });
}

function family(snapshot: readonly FamilySnapshot[], name: string): FamilySnapshot {
  const found = snapshot.find((f) => f.name === name);
  assert.ok(found !== undefined, `family ${name} in snapshot (${snapshot.map((f) => f.name).join(', ')})`);
  return found;
}

function sampleAt(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

function throwsCode(fn: () => unknown, code: MusterError['code'], pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isMusterError(err, code), `expected ${code}, got ${String(err)}`);
    if (pattern !== undefined) assert.match(err.message, pattern);
    return true;
  });
}

describe('InstanceMetrics declarations', () => {
  it('refuses invalid metric names', () => {
    const m = metricsFor('a');
    for (const name of ['app-requests', '1app', 'app requests', '']) {
      throwsCode(() => m.gauge({ name, help: 'h' }), 'MUSTER_ERR_METRIC_INVALID');
    }
  });

  it('refuses a counter without _total, and _total on anything else', () => {
    const m = metricsFor('a');
    throwsCode(() => m.counter({ name: 'app_requests', help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /must end in "_total"/);
    throwsCode(() => m.gauge({ name: 'app_things_total', help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /only counters/);
  });

  it('refuses an info metric not ending in _info, a _created name, and sample-name clashes', () => {
    const m = metricsFor('a');
    throwsCode(() => m.info({ name: 'app_build', help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /_info/);
    throwsCode(() => m.gauge({ name: 'app_x_created', help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /_created/);
    // promtool rejects _count/_sum/_bucket outside histograms and summaries…
    for (const name of ['app_x_count', 'app_x_sum', 'app_x_bucket']) throwsCode(() => m.gauge({ name, help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /promtool/);
    // …unless a plugin asks for a legacy name, as long as no histogram or summary writes that sample.
    m.gauge({ name: 'app_jobs_count', help: 'h', legacyName: true });
    m.histogram({ name: 'app_latency', help: 'h' });
    throwsCode(() => m.gauge({ name: 'app_latency_count', help: 'h', legacyName: true }), 'MUSTER_ERR_METRIC_CONFLICT', /app_latency_count/);
    throwsCode(() => m.summary({ name: 'app_jobs', help: 'h' }), 'MUSTER_ERR_METRIC_CONFLICT', /app_jobs_count/);
  });

  it('requires a non-empty help', () => {
    const m = metricsFor('a');
    throwsCode(() => m.gauge({ name: 'app_x', help: '  ' }), 'MUSTER_ERR_METRIC_INVALID', /help/);
  });

  it('refuses reserved, malformed, repeated and kind-specific label names', () => {
    const m = metricsFor('a');
    throwsCode(() => m.gauge({ name: 'app_a', help: 'h', labelNames: ['collector'] }), 'MUSTER_ERR_METRIC_INVALID', /collector/);
    throwsCode(() => m.gauge({ name: 'app_b', help: 'h', labelNames: ['env'] }), 'MUSTER_ERR_METRIC_INVALID', /env/);
    throwsCode(() => m.gauge({ name: 'app_c', help: 'h', labelNames: ['__name'] }), 'MUSTER_ERR_METRIC_INVALID');
    throwsCode(() => m.gauge({ name: 'app_d', help: 'h', labelNames: ['bad-label'] }), 'MUSTER_ERR_METRIC_INVALID');
    throwsCode(() => m.gauge({ name: 'app_e', help: 'h', labelNames: ['x', 'x'] }), 'MUSTER_ERR_METRIC_INVALID', /twice/);
    throwsCode(() => m.histogram({ name: 'app_f', help: 'h', labelNames: ['le'] }), 'MUSTER_ERR_METRIC_INVALID', /le/);
    throwsCode(() => m.summary({ name: 'app_g', help: 'h', labelNames: ['quantile'] }), 'MUSTER_ERR_METRIC_INVALID');
    throwsCode(
      () => m.stateSet({ name: 'app_h', help: 'h', labelNames: ['app_h'], states: ['a'] }),
      'MUSTER_ERR_METRIC_INVALID',
    );
  });

  it('refuses declaring the same metric twice in one instance', () => {
    const m = metricsFor('a');
    m.gauge({ name: 'app_x', help: 'h' });
    throwsCode(() => m.gauge({ name: 'app_x', help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /declared twice/);
  });

  it('refuses a name declared twice before and after it keeps a set of the names', () => {
    for (const declared of [NAME_SET_AFTER, NAME_SET_AFTER + 1, NAME_SET_AFTER + 2]) {
      const m = metricsFor('a');
      const names = Array.from({ length: declared }, (_, i) => `app_g${i}`);
      for (const name of names) m.gauge({ name, help: 'h' });
      for (const name of [names[0], names[NAME_SET_AFTER - 1], names.at(-1)] as string[]) {
        throwsCode(() => m.gauge({ name, help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /declared twice/);
        throwsCode(() => m.histogram({ name, help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /declared twice/);
      }
      m.gauge({ name: 'app_next', help: 'h' });
      throwsCode(() => m.gauge({ name: 'app_next', help: 'h' }), 'MUSTER_ERR_METRIC_INVALID', /declared twice/);
      assert.deepEqual(
        m.definitions().map((d) => d.name),
        [...names, 'app_next'],
      );
    }
  });

  it('refuses histogram buckets that are not strictly ascending and empty or repeated states', () => {
    const m = metricsFor('a');
    throwsCode(() => m.histogram({ name: 'app_h', help: 'h', buckets: [1, 1, 2] }), 'MUSTER_ERR_METRIC_INVALID', /ascending/);
    throwsCode(() => m.stateSet({ name: 'app_s', help: 'h', states: [] }), 'MUSTER_ERR_METRIC_INVALID');
    throwsCode(() => m.stateSet({ name: 'app_t', help: 'h', states: ['a', 'a'] }), 'MUSTER_ERR_METRIC_INVALID');
  });

  it('refuses the same family from two different plugins with MUSTER_ERR_METRIC_CONFLICT', () => {
    const families = new FamilyRegistry();
    metricsFor('j1', 'jenkins', families).gauge({ name: 'shared_jobs', help: 'Jobs.' });
    throwsCode(
      () => metricsFor('h1', 'http-health', families).gauge({ name: 'shared_jobs', help: 'Jobs.' }),
      'MUSTER_ERR_METRIC_CONFLICT',
      /jenkins/,
    );
  });

  it('lets two instances of one plugin declare the same family', () => {
    const families = new FamilyRegistry();
    metricsFor('j1', 'jenkins', families).gauge({ name: 'jenkins_jobs', help: 'Jobs.', labelNames: ['folder'] });
    assert.doesNotThrow(() =>
      metricsFor('j2', 'jenkins', families).gauge({ name: 'jenkins_jobs', help: 'Jobs.', labelNames: ['folder'] }),
    );
  });

  it('refuses the muster_ prefix for plugins but allows it for the exporter itself', () => {
    throwsCode(() => metricsFor('a').gauge({ name: 'muster_fake', help: 'h' }), 'MUSTER_ERR_METRIC_CONFLICT', /muster_/);
    const system = new InstanceMetrics({
      instance: 'muster',
      plugin: 'muster',
      families: new FamilyRegistry(),
      reservedLabels: new Set(),
      system: true,
    });
    assert.doesNotThrow(() => system.gauge({ name: 'muster_real', help: 'h' }));
  });
});

describe('InstanceMetrics writes', () => {
  it('keeps the state sets of instances sharing one list of states apart, across cycles', async () => {
    const families = new FamilyRegistry();
    const STATES = ['up', 'down', 'unknown'] as const;
    const [a, b] = [metricsFor('a', 'app', families), metricsFor('b', 'app', families)];
    const [sa, sb] = [a, b].map((m) => m.stateSet({ name: 'app_state', help: 'state', states: STATES }));
    for (const [cycle, [va, vb]] of [['up', 'down'], ['unknown', 'up']].entries()) {
      a.beginCycle();
      b.beginCycle();
      sa?.set(va as (typeof STATES)[number]);
      sb?.set(vb as (typeof STATES)[number]);
      const [fa, fb] = [family(await a.snapshot(), 'app_state'), family(await b.snapshot(), 'app_state')];
      for (const st of STATES) {
        assert.equal(sampleAt(fa.samples, 'app_state', { app_state: st }), st === va ? 1 : 0, `a, cycle ${cycle}, ${st}`);
        assert.equal(sampleAt(fb.samples, 'app_state', { app_state: st }), st === vb ? 1 : 0, `b, cycle ${cycle}, ${st}`);
      }
      assert.equal(fa.samples.length, 3);
    }
  });

  it('records gauge, counter, histogram, summary, state set and info values', async () => {
    const m = metricsFor('a');
    const g = m.gauge({ name: 'app_temp_celsius', help: 'h', labelNames: ['room'] });
    const c = m.counter({ name: 'app_checks_total', help: 'h' });
    const h = m.histogram({ name: 'app_latency_seconds', help: 'h', buckets: [0.1, 1] });
    const s = m.summary({ name: 'app_size_bytes', help: 'h', percentiles: [0.5] });
    const info = m.info({ name: 'app_build_info', help: 'h', labelNames: ['version'] });
    m.beginCycle();
    g.set({ room: 'kitchen' }, 21.5);
    g.inc({ room: 'kitchen' }, 0.5);
    g.set({ room: 'hall' }, 3);
    g.dec({ room: 'hall' });
    c.inc();
    c.inc(2);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    s.observe(10);
    info.set({ version: '1.2.3' });
    const snap = await m.snapshot();
    const temp = family(snap, 'app_temp_celsius');
    assert.equal(temp.kind, 'gauge');
    assert.equal(sampleAt(temp.samples, 'app_temp_celsius', { room: 'kitchen' }), 22);
    assert.equal(sampleAt(temp.samples, 'app_temp_celsius', { room: 'hall' }), 2);
    assert.equal(sampleAt(family(snap, 'app_checks_total').samples, 'app_checks_total'), 3);
    const lat = family(snap, 'app_latency_seconds');
    assert.equal(lat.kind, 'histogram');
    assert.equal(sampleAt(lat.samples, 'app_latency_seconds_bucket', { le: '0.1' }), 1);
    assert.equal(sampleAt(lat.samples, 'app_latency_seconds_bucket', { le: '1' }), 2);
    assert.equal(sampleAt(lat.samples, 'app_latency_seconds_bucket', { le: '+Inf' }), 3);
    assert.equal(sampleAt(lat.samples, 'app_latency_seconds_count'), 3);
    assert.equal(sampleAt(lat.samples, 'app_latency_seconds_sum'), 5.55);
    const size = family(snap, 'app_size_bytes');
    assert.equal(size.kind, 'summary');
    assert.equal(sampleAt(size.samples, 'app_size_bytes', { quantile: '0.5' }), 10);
    const build = family(snap, 'app_build_info');
    assert.equal(build.kind, 'info');
    assert.deepEqual(build.samples, [{ name: 'app_build_info', labels: { version: '1.2.3' }, value: 1 }]);
  });

  it('converts number label values to strings', async () => {
    const m = metricsFor('a');
    const g = m.gauge({ name: 'app_port_open', help: 'h', labelNames: ['port'] });
    g.set({ port: 443 }, 1);
    const snap = await m.snapshot();
    assert.deepEqual(family(snap, 'app_port_open').samples[0]?.labels, { port: '443' });
  });

  it('writes exactly one 1 in a state set, the state under a label named like the metric', async () => {
    const m = metricsFor('a');
    const state = m.stateSet({ name: 'app_status', help: 'h', labelNames: ['target'], states: ['healthy', 'degraded', 'down'] });
    state.set({ target: 't1' }, 'degraded');
    state.set({ target: 't1' }, 'down');
    const samples = family(await m.snapshot(), 'app_status').samples;
    assert.equal(samples.length, 3);
    assert.deepEqual(
      samples.filter((s) => s.value === 1).map((s) => s.labels),
      [{ target: 't1', app_status: 'down' }],
    );
    assert.deepEqual(samples.map((s) => s.labels.app_status).sort(), ['degraded', 'down', 'healthy']);
    assert.equal(family(await m.snapshot(), 'app_status').kind, 'stateset');
  });

  it('accepts a state set without labels', async () => {
    const m = metricsFor('a');
    const state = m.stateSet({ name: 'app_mode', help: 'h', states: ['on', 'off'] });
    state.set('off');
    const samples = family(await m.snapshot(), 'app_mode').samples;
    assert.equal(sampleAt(samples, 'app_mode', { app_mode: 'off' }), 1);
    assert.equal(sampleAt(samples, 'app_mode', { app_mode: 'on' }), 0);
  });

  it('empties current-state metrics at beginCycle while histograms and counters keep accumulating', async () => {
    const m = metricsFor('a');
    const jobs = m.gauge({ name: 'app_job_color', help: 'h', labelNames: ['task'] });
    const checks = m.counter({ name: 'app_checks_total', help: 'h' });
    const latency = m.histogram({ name: 'app_latency_seconds', help: 'h', buckets: [1] });
    const state = m.stateSet({ name: 'app_state', help: 'h', states: ['up', 'down'] });
    const kept = m.gauge({ name: 'app_kept', help: 'h', accumulate: true });

    m.beginCycle();
    jobs.set({ task: 'deleted-upstream' }, 1);
    jobs.set({ task: 'still-there' }, 2);
    checks.inc();
    latency.observe(0.5);
    state.set('up');
    kept.set(9);

    m.beginCycle();
    jobs.set({ task: 'still-there' }, 3);
    checks.inc();
    latency.observe(2);

    const snap = await m.snapshot();
    assert.deepEqual(family(snap, 'app_job_color').samples, [{ name: 'app_job_color', labels: { task: 'still-there' }, value: 3 }]);
    assert.equal(sampleAt(family(snap, 'app_checks_total').samples, 'app_checks_total'), 2);
    assert.equal(sampleAt(family(snap, 'app_latency_seconds').samples, 'app_latency_seconds_count'), 2);
    assert.equal(sampleAt(family(snap, 'app_latency_seconds').samples, 'app_latency_seconds_sum'), 2.5);
    const stateSamples = snap.find((f) => f.name === 'app_state')?.samples ?? [];
    assert.equal(stateSamples.length, 0, 'a state set not written this cycle has no series');
    assert.equal(sampleAt(family(snap, 'app_kept').samples, 'app_kept'), 9, 'accumulate: true keeps a gauge');
  });

  it('leaves out an unlabelled current-state gauge the cycle did not write, but keeps an unwritten counter at 0', async () => {
    const m = metricsFor('a');
    const g = m.gauge({ name: 'app_maybe', help: 'h' });
    m.counter({ name: 'app_events_total', help: 'h' });
    m.beginCycle();
    g.set(4);
    assert.equal(sampleAt(family(await m.snapshot(), 'app_maybe').samples, 'app_maybe'), 4);
    m.beginCycle();
    const second = await m.snapshot();
    assert.equal(second.find((f) => f.name === 'app_maybe'), undefined, 'not written this cycle: no sample at all');
    assert.equal(sampleAt(family(second, 'app_events_total').samples, 'app_events_total'), 0);
  });

  it('marks writes with an undeclared label as invalid output', () => {
    const m = metricsFor('inst');
    const g = m.gauge({ name: 'app_x', help: 'h', labelNames: ['a'] });
    assert.equal(m.invalidOutput, undefined);
    throwsCode(() => g.set({ a: '1', b: '2' } as unknown as Record<'a', string>, 1), 'MUSTER_ERR_INVALID_OUTPUT', /label "b" is not declared/);
    const invalid: unknown = m.invalidOutput;
    assert.ok(isMusterError(invalid, 'MUSTER_ERR_INVALID_OUTPUT'));
    assert.match(invalid.message, /instance "inst"/);
  });

  it('marks writes with a missing label as invalid output', () => {
    const m = metricsFor('a');
    const g = m.gauge({ name: 'app_x', help: 'h', labelNames: ['a', 'b'] });
    throwsCode(() => g.set({ a: '1' }, 1), 'MUSTER_ERR_INVALID_OUTPUT', /label "b" is missing/);
    assert.ok(m.invalidOutput !== undefined);
  });

  it('marks a non-number value, a bad label value type, a bad state and a decreasing counter as invalid output', () => {
    const bad: [string, (m: InstanceMetrics) => void][] = [
      ['string value', (m) => m.gauge({ name: 'app_x', help: 'h' }).set('7' as unknown as number)],
      ['missing value', (m) => m.gauge({ name: 'app_x', help: 'h', labelNames: ['a'] }).set({ a: 'x' } as unknown as number)],
      ['object label value', (m) => m.gauge({ name: 'app_x', help: 'h', labelNames: ['a'] }).set({ a: {} as string }, 1)],
      ['unknown state', (m) => m.stateSet({ name: 'app_x', help: 'h', states: ['a', 'b'] }).set('c' as 'a')],
      ['negative counter', (m) => m.counter({ name: 'app_x_total', help: 'h' }).inc(-1)],
      ['observation of a string', (m) => m.histogram({ name: 'app_x', help: 'h' }).observe('1' as unknown as number)],
    ];
    for (const [what, write] of bad) {
      const m = metricsFor('a');
      assert.throws(() => write(m), (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_OUTPUT'), what);
      assert.ok(m.invalidOutput !== undefined, what);
    }
  });

  it('refuses NaN and +Inf on a counter, and NaN observations, as invalid output', () => {
    const bad: [string, (m: InstanceMetrics) => void][] = [
      ['counter NaN', (m) => m.counter({ name: 'app_x_total', help: 'h' }).inc(Number.NaN)],
      ['counter +Inf', (m) => m.counter({ name: 'app_x_total', help: 'h' }).inc(Number.POSITIVE_INFINITY)],
      ['labelled counter +Inf', (m) => m.counter({ name: 'app_x_total', help: 'h', labelNames: ['a'] }).inc({ a: 'x' }, Number.POSITIVE_INFINITY)],
      ['histogram NaN', (m) => m.histogram({ name: 'app_x', help: 'h' }).observe(Number.NaN)],
      ['summary NaN', (m) => m.summary({ name: 'app_x', help: 'h' }).observe(Number.NaN)],
    ];
    for (const [what, write] of bad) {
      const m = metricsFor('a');
      assert.throws(() => write(m), (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_OUTPUT'), what);
      assert.ok(m.invalidOutput !== undefined, what);
    }
  });

  it('refuses bad summary options at declaration', () => {
    const m = metricsFor('a');
    throwsCode(() => m.summary({ name: 'app_s1', help: 'h', percentiles: [1.5] }), 'MUSTER_ERR_METRIC_INVALID', /percentiles/);
    throwsCode(() => m.summary({ name: 'app_s2', help: 'h', maxAgeSeconds: -1 }), 'MUSTER_ERR_METRIC_INVALID', /maxAgeSeconds/);
    throwsCode(() => m.summary({ name: 'app_s3', help: 'h', maxAgeSeconds: 60, ageBuckets: 0 }), 'MUSTER_ERR_METRIC_INVALID', /ageBuckets/);
  });

  it('keeps the first invalid write of a cycle and clears it at the next beginCycle', () => {
    const m = metricsFor('a');
    const g = m.gauge({ name: 'app_x', help: 'h', labelNames: ['a'] });
    assert.throws(() => g.set({ first: '1' } as unknown as Record<'a', string>, 1));
    assert.throws(() => g.set({ second: '1' } as unknown as Record<'a', string>, 1));
    assert.match(m.invalidOutput?.message ?? '', /"first"/);
    m.beginCycle();
    assert.equal(m.invalidOutput, undefined);
    g.set({ a: 'ok' }, 1);
    assert.equal(m.invalidOutput, undefined);
  });

  it('drops a last +Inf bucket bound (no second le="+Inf" series); refuses NaN bounds and repeated percentiles', async () => {
    for (const buckets of [[1, Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY]]) {
      const m = metricsFor('a');
      m.histogram({ name: 'app_b_seconds', help: 'h', buckets }).observe(0.5);
      const store = new MetricStore();
      await store.commit('a', await m.snapshot(), { constLabels: { collector: 'a' } });
      const inf = store.body('openmetrics').split('\n').filter((l) => l.startsWith('app_b_seconds_bucket{collector="a",le="+Inf"}'));
      assert.deepEqual(inf, ['app_b_seconds_bucket{collector="a",le="+Inf"} 1'], `buckets ${buckets.join(', ')}`);
    }
    throwsCode(() => metricsFor('a').histogram({ name: 'app_n_seconds', help: 'h', buckets: [Number.NaN] }), 'MUSTER_ERR_METRIC_INVALID', /app_n_seconds.*NaN/);
    throwsCode(() => metricsFor('a').histogram({ name: 'app_m_seconds', help: 'h', buckets: [Number.POSITIVE_INFINITY, 1] }), 'MUSTER_ERR_METRIC_INVALID', /ascending/);
    throwsCode(() => metricsFor('a').summary({ name: 'app_q_bytes', help: 'h', percentiles: [0.5, 0.9, 0.5] }), 'MUSTER_ERR_METRIC_INVALID', /app_q_bytes.*repeat/);
    throwsCode(() => metricsFor('a').histogram({ name: 'app_i_seconds', help: 'h', buckets: [1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY] }), 'MUSTER_ERR_METRIC_INVALID', /ascending/);
  });

  it('never exposes two series for label values that differ only in lone UTF-16 surrogates', async () => {
    // A lone surrogate cannot be encoded in UTF-8: it goes out as U+FFFD, so "x\ud800" and
    // "x\udbff" are the same label value on the wire and must be one series, not two.
    const m = metricsFor('a');
    const g = m.gauge({ name: 'app_g', help: 'h', labelNames: ['v'] });
    const h = m.histogram({ name: 'app_h_seconds', help: 'h', labelNames: ['v'], buckets: [1] });
    const s = m.summary({ name: 'app_s_bytes', help: 'h', labelNames: ['v'] });
    for (const v of ['x\ud800', 'x\udbff', 'x\udc00', 'x\ufffd']) {
      g.set({ v }, 1);
      h.observe({ v }, 0.5);
      s.observe({ v }, 2);
    }
    const store = new MetricStore();
    await store.commit('a', await m.snapshot(), { constLabels: { collector: 'a' } });
    for (const format of ['text', 'openmetrics'] as const) {
      const series = store
        .body(format)
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.slice(0, l.lastIndexOf(' ')));
      assert.deepEqual(series.filter((l, i) => series.indexOf(l) !== i), [], `no duplicate series (${format})`);
      assert.ok(series.includes('app_g{collector="a",v="x\ufffd"}'));
      assert.ok(series.includes('app_h_seconds_count{collector="a",v="x\ufffd"}'));
    }
    assert.match(store.body('text'), /^app_h_seconds_count\{collector="a",v="x\ufffd"\} 4$/m);
    assert.match(store.body('text'), /^app_s_bytes_count\{collector="a",v="x\ufffd"\} 4$/m);
  });

  it('times a histogram with startTimer', async () => {
    const m = metricsFor('a');
    const h = m.histogram({ name: 'app_wait_seconds', help: 'h', labelNames: ['op'] });
    const end = h.startTimer({ op: 'read' });
    await new Promise((r) => setTimeout(r, 20));
    const seconds = end();
    assert.ok(seconds >= 0.015, `measured ${seconds}: at least the time waited`);
    const samples = family(await m.snapshot(), 'app_wait_seconds').samples;
    assert.equal(sampleAt(samples, 'app_wait_seconds_count', { op: 'read' }), 1);
  });

  it('writes to a private registry, and release() frees its family names', () => {
    const families = new FamilyRegistry();
    const m = metricsFor('a', 'app', families);
    m.gauge({ name: 'app_x', help: 'h' });
    assert.ok(families.get('app_x') !== undefined);
    m.release();
    assert.equal(families.get('app_x'), undefined);
    assert.doesNotThrow(() => metricsFor('b', 'other', families).gauge({ name: 'app_x', help: 'h' }));
  });
});

describe('InstanceMetrics handles', () => {
  it('keep their methods on shared prototypes and no state a plugin can see', () => {
    const families = new FamilyRegistry();
    const [a, b] = [metricsFor('a', 'app', families), metricsFor('b', 'app', families)];
    const declare = (m: InstanceMetrics) => ({
      gauge: m.gauge({ name: 'app_g', help: 'h' }),
      counter: m.counter({ name: 'app_c_total', help: 'h' }),
      histogram: m.histogram({ name: 'app_h_seconds', help: 'h' }),
      summary: m.summary({ name: 'app_s_seconds', help: 'h' }),
      stateSet: m.stateSet({ name: 'app_state', help: 'h', states: ['x', 'y'] }),
      info: m.info({ name: 'app_build_info', help: 'h', labelNames: ['version'] }),
    });
    const [ha, hb] = [declare(a), declare(b)];
    assert.equal(ha.gauge.set, hb.gauge.set);
    assert.equal(ha.gauge.dec, hb.gauge.dec);
    assert.equal(ha.counter.inc, hb.counter.inc);
    assert.equal(ha.histogram.observe, hb.summary.observe);
    assert.equal(ha.histogram.startTimer, hb.histogram.startTimer);
    assert.equal(ha.stateSet.set, hb.stateSet.set);
    assert.equal(ha.info.set, hb.info.set);
    for (const handle of Object.values(ha)) assert.deepEqual(Object.keys(handle), []);
  });

  it('write to their own instance only, and mark the cycle of that instance invalid', async () => {
    const families = new FamilyRegistry();
    const [a, b] = [metricsFor('a', 'app', families), metricsFor('b', 'app', families)];
    const [ga, gb] = [a.gauge({ name: 'app_g', help: 'h', labelNames: ['k'] }), b.gauge({ name: 'app_g', help: 'h', labelNames: ['k'] })];
    ga.set({ k: 'one' }, 1);
    gb.inc({ k: 'two' }, 2);
    gb.dec({ k: 'two' });
    assert.deepEqual(family(await a.snapshot(), 'app_g').samples.map((s) => [s.labels.k, s.value]), [['one', 1]]);
    assert.deepEqual(family(await b.snapshot(), 'app_g').samples.map((s) => [s.labels.k, s.value]), [['two', 1]]);
    throwsCode(() => gb.set({ j: 'x' } as never, 1), 'MUSTER_ERR_INVALID_OUTPUT', /label "j" is not declared/);
    assert.equal(a.invalidOutput, undefined);
    assert.match(b.invalidOutput?.message ?? '', /instance "b"/);
  });
});

describe('InstanceMetrics definitions', () => {
  it('are shared by the instances of a plugin that declare a family alike, and kept as declared', async () => {
    const families = new FamilyRegistry();
    const names = ['site'];
    const [a, b, c] = [metricsFor('a', 'app', families), metricsFor('b', 'app', families), metricsFor('c', 'app', families)];
    a.gauge({ name: 'app_g', help: 'h', labelNames: names });
    names.push('extra');
    b.gauge({ name: 'app_g', help: 'h', labelNames: ['site'] }).set({ site: 'x' }, 2);
    c.gauge({ name: 'app_g', help: 'h', labelNames: names }).set({ site: 'y', extra: 'z' }, 3);
    const [da, db, dc] = [a.definitions()[0], b.definitions()[0], c.definitions()[0]];
    assert.equal(da, db);
    assert.notEqual(dc, da);
    assert.deepEqual(da?.labelNames, ['site']);
    assert.deepEqual(dc?.labelNames, ['site', 'extra']);
    assert.deepEqual(family(await b.snapshot(), 'app_g').samples, [{ name: 'app_g', labels: { site: 'x' }, value: 2 }]);
    assert.deepEqual(family(await c.snapshot(), 'app_g').samples, [{ name: 'app_g', labels: { site: 'y', extra: 'z' }, value: 3 }]);
  });
});

describe('InstanceMetrics state sets without labels', () => {
  it('keeps the states as declared when the plugin changes its array afterwards, with many distinct lists too', async () => {
    const families = new FamilyRegistry();
    for (let i = 0; i < 300; i++) {
      const states = [`s${i}`, 'other'];
      const m = metricsFor(`i${i}`, 'app', families);
      const plain = m.stateSet({ name: 'app_mode', help: 'h', states });
      const labelled = m.stateSet({ name: 'app_role', help: 'h', labelNames: ['site'], states });
      states.splice(0, 2, 'changed');
      plain.set(`s${i}`);
      labelled.set({ site: 'x' }, 'other');
      throwsCode(() => plain.set('changed'), 'MUSTER_ERR_INVALID_OUTPUT', /is not one of/);
      if (i % 100 !== 99) continue;
      const snapshot = await m.snapshot();
      assert.deepEqual(
        family(snapshot, 'app_mode').samples.map((s) => [s.labels.app_mode, s.value]),
        [
          [`s${i}`, 1],
          ['other', 0],
        ],
      );
      assert.deepEqual(
        family(snapshot, 'app_role').samples.map((s) => [s.labels.site, s.labels.app_role, s.value]),
        [
          ['x', `s${i}`, 0],
          ['x', 'other', 1],
        ],
      );
    }
  });
  it('labels each state by the states it was declared with, even when a plugin reuses and refills one states array', async () => {
    const families = new FamilyRegistry();
    const states = ['up', 'down'];
    const first = metricsFor('a', 'app', families);
    first.stateSet({ name: 'app_mode', help: 'h', states }).set('up');
    // The same array, refilled for the next instance.
    states.splice(0, states.length, 'on', 'off');
    const second = metricsFor('b', 'app', families);
    second.stateSet({ name: 'app_mode', help: 'h', states }).set('off');
    const samples = family(await second.snapshot(), 'app_mode').samples;
    assert.deepEqual(
      samples.map((s) => [s.labels.app_mode, s.value]),
      [
        ['on', 0],
        ['off', 1],
      ],
    );
    assert.deepEqual(
      family(await first.snapshot(), 'app_mode').samples.map((s) => [s.labels.app_mode, s.value]),
      [
        ['up', 1],
        ['down', 0],
      ],
    );
  });
});
