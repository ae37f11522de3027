import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { describe, test } from 'node:test';
import { type CpuTimes, cpuUsage, readCpuTimes } from './cpu.js';

const t = (busy: number, idle: number): CpuTimes => ({ busy, idle });

describe('cpuUsage', () => {
  test('compares each CPU with its previous reading; the total weighs every CPU by its time', () => {
    const usage = cpuUsage([t(100, 900), t(50, 950)], [t(200, 1000), t(50, 1050)]);
    assert.deepEqual(usage.perCpu, [0.5, 0]);
    assert.equal(usage.total, 100 / 300);
  });

  test('without a previous reading it measures since boot', () => {
    const usage = cpuUsage(undefined, [t(300, 700), t(100, 900)]);
    assert.deepEqual(usage.perCpu, [0.3, 0.1]);
    assert.equal(usage.total, 0.2);
  });

  test('when the number of CPUs changed it measures since boot', () => {
    const usage = cpuUsage([t(100, 100)], [t(300, 700), t(100, 900)]);
    assert.deepEqual(usage.perCpu, [0.3, 0.1]);
  });

  test('no time accounted (readings less than a tick apart) is undefined, not 0', () => {
    const same = [t(100, 900), t(50, 950)];
    assert.deepEqual(cpuUsage(same, same), { total: undefined, perCpu: [undefined, undefined] });
  });

  test('a CPU without accounted time is left out of the total', () => {
    const usage = cpuUsage([t(100, 900), t(50, 950)], [t(100, 900), t(80, 960)]);
    assert.deepEqual(usage.perCpu, [undefined, 0.75]);
    assert.equal(usage.total, 0.75);
  });

  test('times going backwards (another CPU behind the same index) are undefined', () => {
    const usage = cpuUsage([t(500, 500), t(50, 950)], [t(400, 600), t(60, 960)]);
    assert.equal(usage.perCpu[0], undefined);
    assert.equal(usage.total, 0.5);
  });

  test('no CPUs at all: nothing to tell', () => {
    assert.deepEqual(cpuUsage(undefined, []), { total: undefined, perCpu: [] });
  });
});

test('readCpuTimes reads one entry per os.cpus() entry, and times only grow', async () => {
  const first = readCpuTimes();
  assert.equal(first.length, cpus().length);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = readCpuTimes();
  for (const [i, now] of second.entries()) {
    const then = first[i] as CpuTimes;
    assert.ok(now.busy >= then.busy && now.idle >= then.idle, `cpu ${i}`);
    assert.ok(then.busy >= 0 && then.idle > 0, `cpu ${i}`);
  }
});
