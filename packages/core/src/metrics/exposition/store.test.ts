import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricStore } from './store.js';
import type { FamilySnapshot, Sample } from '../types.js';

function gauge(name: string, samples: readonly Sample[], help = `Help of ${name}.`): FamilySnapshot {
  return { name, help, kind: 'gauge', samples };
}

function sample(name: string, labels: Record<string, string>, value: number): Sample {
  return { name, labels, value };
}

const scheduled = (collector: string) => ({ constLabels: { collector }, cached: true });
const onScrape = (collector: string) => ({ constLabels: { collector }, cached: false });

function lines(body: string, prefix: string): string[] {
  return body.split('\n').filter((l) => l.startsWith(prefix));
}

describe('MetricStore', () => {
  it('starts empty', async () => {
    const store = new MetricStore();
    assert.equal(store.body('text'), '');
    assert.equal(store.has('a'), false);
    assert.equal(store.seriesCount('a'), 0);
  });

  it('prints one HELP/TYPE for a family two instances commit, with both instances\' series', async () => {
    const store = new MetricStore();
    await store.commit('j1', [gauge('jenkins_jobs', [sample('jenkins_jobs', { folder: 'a' }, 3)])], onScrape('j1'));
    await store.commit('j2', [gauge('jenkins_jobs', [sample('jenkins_jobs', { folder: 'b' }, 5)])], onScrape('j2'));
    const body = store.body('text');
    assert.equal(lines(body, '# HELP jenkins_jobs ').length, 1);
    assert.equal(lines(body, '# TYPE jenkins_jobs ').length, 1);
    assert.deepEqual(lines(body, 'jenkins_jobs'), [
      'jenkins_jobs{collector="j1",folder="a"} 3',
      'jenkins_jobs{collector="j2",folder="b"} 5',
    ]);
    // The header comes before the samples of both instances.
    assert.ok(body.indexOf('# TYPE jenkins_jobs gauge') < body.indexOf('jenkins_jobs{collector="j1"'));
  });

  it('puts every const label on every series, collector first', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('x_up', [sample('x_up', { target: 't' }, 1)])], {
      constLabels: { collector: 'a', env: 'prod' },
      cached: false,
    });
    assert.deepEqual(lines(store.body('text'), 'x_up'), ['x_up{collector="a",env="prod",target="t"} 1']);
  });

  it('replaces an instance\'s previous series entirely: vanished series and families vanish', async () => {
    const store = new MetricStore();
    await store.commit(
      'j',
      [
        gauge('jenkins_job_color', [sample('jenkins_job_color', { job: 'a' }, 1), sample('jenkins_job_color', { job: 'b' }, 2)]),
        gauge('jenkins_queue', [sample('jenkins_queue', {}, 4)]),
      ],
      onScrape('j'),
    );
    assert.equal(store.seriesCount('j'), 3);
    await store.commit('j', [gauge('jenkins_job_color', [sample('jenkins_job_color', { job: 'a' }, 7)])], onScrape('j'));
    const body = store.body('text');
    assert.deepEqual(lines(body, 'jenkins_job_color'), ['jenkins_job_color{collector="j",job="a"} 7']);
    assert.equal(body.includes('jenkins_queue'), false, 'a family no longer committed loses its header too');
    assert.equal(store.seriesCount('j'), 1);
  });

  it('leaves other instances alone when one commits or is dropped', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('x_v', [sample('x_v', {}, 1)])], onScrape('a'));
    await store.commit('b', [gauge('x_v', [sample('x_v', {}, 2)])], onScrape('b'));
    await store.commit('a', [gauge('x_v', [sample('x_v', {}, 3)])], onScrape('a'));
    assert.deepEqual(lines(store.body('text'), 'x_v').sort(), ['x_v{collector="a"} 3', 'x_v{collector="b"} 2']);
    store.drop('a');
    assert.deepEqual(lines(store.body('text'), 'x_v'), ['x_v{collector="b"} 2']);
    assert.equal(store.has('a'), false);
    assert.equal(store.seriesCount('a'), 0);
    assert.equal(store.has('b'), true);
  });

  it('drop() removes every series of the instance, and headers nobody else uses', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('x_v', [sample('x_v', {}, 1)]), gauge('x_w', [sample('x_w', {}, 1)])], onScrape('a'));
    store.drop('a');
    assert.equal(store.body('text'), '');
    assert.equal(store.body('openmetrics'), '');
  });

  it('skips families without samples', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('x_empty', []), gauge('x_v', [sample('x_v', {}, 1)])], onScrape('a'));
    assert.equal(store.body('text').includes('x_empty'), false);
    assert.equal(store.seriesCount('a'), 1);
  });

  it('caches the body between commits and renders it again after one', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('x_v', [sample('x_v', {}, 1)])], onScrape('a'));
    const generation = store.generation;
    const first = store.body('text');
    assert.equal(store.body('text'), first);
    assert.equal(store.generation, generation, 'reading does not change the generation');
    store.drop('nobody');
    assert.equal(store.generation, generation, 'dropping an unknown instance changes nothing');

    await store.commit('a', [gauge('x_v', [sample('x_v', {}, 2)])], onScrape('a'));
    assert.ok(store.generation > generation);
    const second = store.body('text');
    assert.notEqual(second, first);
    assert.match(second, /^x_v\{collector="a"\} 2$/m);

    const beforeDrop = store.generation;
    store.drop('a');
    assert.ok(store.generation > beforeDrop);
    assert.equal(store.body('text'), '');
  });

  it('caches each format separately', async () => {
    const store = new MetricStore();
    const counter: FamilySnapshot = { name: 'x_runs_total', help: 'Runs.', kind: 'counter', samples: [sample('x_runs_total', {}, 2)] };
    await store.commit('a', [counter], onScrape('a'));
    const text = store.body('text');
    const om = store.body('openmetrics');
    assert.match(text, /^# TYPE x_runs_total counter$/m);
    assert.match(om, /^# TYPE x_runs counter$/m);
    assert.equal(store.body('text'), text);
    assert.equal(store.body('openmetrics'), om);
    assert.equal(om.includes('# EOF'), false, 'the store leaves # EOF to the caller');
  });

  it('body(format, instance) returns only that instance\'s series', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('x_v', [sample('x_v', {}, 1)]), gauge('x_only_a', [sample('x_only_a', {}, 1)])], onScrape('a'));
    await store.commit('b', [gauge('x_v', [sample('x_v', {}, 2)]), gauge('x_only_b', [sample('x_only_b', {}, 1)])], onScrape('b'));
    const onlyB = store.body('text', 'b');
    assert.deepEqual(lines(onlyB, 'x_'), ['x_v{collector="b"} 2', 'x_only_b{collector="b"} 1']);
    assert.equal(lines(onlyB, '# TYPE').length, 2);
    assert.equal(store.body('text', 'nobody'), '');
    // And asking for one instance does not poison the cache of the whole body.
    assert.equal(lines(store.body('text'), 'x_').length, 4);
  });

  it('prints HELP as declared, for scheduled and on-scrape commits alike', async () => {
    const store = new MetricStore();
    await store.commit('sched', [gauge('x_sched', [sample('x_sched', {}, 1)], 'Scheduled value.')], scheduled('sched'));
    await store.commit('live', [gauge('x_live', [sample('x_live', {}, 1)], 'Live value.')], onScrape('live'));
    const body = store.body('text');
    assert.deepEqual(lines(body, '# HELP'), ['# HELP x_sched Scheduled value.', '# HELP x_live Live value.']);
  });

  it('prints one HELP as declared for a family shared by scheduled and on-scrape instances', async () => {
    const store = new MetricStore();
    await store.commit('sched', [gauge('x_v', [sample('x_v', {}, 1)], 'Value.')], scheduled('sched'));
    await store.commit('live', [gauge('x_v', [sample('x_v', {}, 2)], 'Value.')], onScrape('live'));
    assert.deepEqual(lines(store.body('text'), '# HELP'), ['# HELP x_v Value.']);
    store.drop('sched');
    assert.deepEqual(lines(store.body('text'), '# HELP'), ['# HELP x_v Value.']);
  });

  it('prints HELP as declared in body(format, instance) too', async () => {
      const store = new MetricStore();
      await store.commit('sched', [gauge('x_v', [sample('x_v', {}, 1)], 'Value.')], scheduled('sched'));
      await store.commit('live', [gauge('x_v', [sample('x_v', {}, 2)], 'Value.')], onScrape('live'));
      assert.deepEqual(lines(store.body('text', 'live'), '# HELP'), ['# HELP x_v Value.']);
      assert.deepEqual(lines(store.body('text', 'sched'), '# HELP'), ['# HELP x_v Value.']);
  });
});

describe('MetricStore with large commits', () => {
  it('renders a big commit in slices, letting the event loop run, and swaps it in whole', async () => {
    const { SeriesMap } = await import('../series.js');
    const map = new SeriesMap('big_value', ['a', 'b']);
    for (let i = 0; i < 60_000; i++) map.set([`x${i % 10}`, `y${i}`], i);
    const view = map.view();
    const family = { name: 'big_value', help: 'Big.', kind: 'gauge' as const, count: view.size, get samples() { return view.samples(); }, chunks: (c: string) => view.chunks(c) };
    const store = new MetricStore();
    await store.commit('big', [gauge('small_value', [sample('small_value', {}, 1)])], { constLabels: { collector: 'big' }, cached: true });
    const before = store.body('text');
    let ticks = 0;
    let sawHalf = false;
    const timer = setInterval(() => {
      ticks++;
      // A scrape in the middle of the commit sees the previous cycle, whole.
      if (store.body('text') !== before) sawHalf = true;
    }, 1);
    const generation = store.generation;
    await store.commit('big', [family], { constLabels: { collector: 'big' }, cached: true });
    clearInterval(timer);
    assert.ok(ticks > 0, 'timers ran while the commit rendered');
    assert.equal(sawHalf, false);
    assert.equal(store.generation, generation + 1);
    const body = store.body('text');
    assert.equal(body.split('\n').filter((l) => l.startsWith('big_value{')).length, 60_000);
    assert.ok(!body.includes('small_value'), 'the previous cycle is gone whole');
    assert.match(body, /^big_value\{collector="big",a="x7",b="y59997"\} 59997$/m);
  });

  it('gzips the body once per commit and format', async () => {
    const { gunzipSync } = await import('node:zlib');
    const store = new MetricStore();
    await store.commit('a', [gauge('x_up', [sample('x_up', { t: '1' }, 1)])], { constLabels: { collector: 'a' }, cached: false });
    const first = store.gzipBuffer('text');
    assert.equal(store.gzipBuffer('text'), first, 'the same promise until the next commit');
    assert.equal(gunzipSync(await first).toString(), store.body('text'));
    await store.commit('a', [gauge('x_up', [sample('x_up', { t: '1' }, 0)])], { constLabels: { collector: 'a' }, cached: false });
    assert.notEqual(store.gzipBuffer('text'), first);
  });
});

describe('MetricStore.assembled (the body a scrape copies in slices)', () => {
  const one = (value: number) => [gauge('x_value', [sample('x_value', {}, value)])] as const;

  it('equals the committed body, and is kept as it when no commit landed meanwhile', async () => {
    const store = new MetricStore();
    for (let i = 0; i < 600; i++) await store.commit(`i${i}`, [...one(i)], scheduled(`i${i}`));
    const body = await store.assembled('text', 0);
    assert.equal(body.bytes.toString('utf8'), store.body('text'));
    assert.equal(store.committed('text'), body);
    assert.equal(await store.assembled('openmetrics', 0), store.committed('openmetrics'));
  });

  it('lets the event loop run while copying, and stays whole when a commit lands meanwhile', async () => {
    const store = new MetricStore();
    // 600 instances: more pieces than one batch, so a zero-length slice yields between batches.
    for (let i = 0; i < 600; i++) await store.commit(`i${i}`, [...one(1)], scheduled(`i${i}`));
    const before = store.body('text');
    const copying = store.assembled('text', 0);
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    // Lands while the copy is under way: one instance changes, one vanishes.
    await store.commit('i0', [...one(2)], scheduled('i0'));
    store.drop('i599');
    const body = await copying;
    assert.ok(ranMeanwhile, 'the event loop ran before the copy ended');
    assert.equal(body.bytes.toString('utf8'), before);
    // Its compressed form is made from the same pieces.
    assert.equal((await body.deflated()).length, body.bytes.length);
    // The next scrape sees the commit.
    const next = (await store.assembled('text', 0)).bytes.toString('utf8');
    assert.equal(next, store.body('text'));
    assert.ok(next.includes('x_value{collector="i0"} 2\n'));
    assert.ok(!next.includes('collector="i599"'));
  });
});
