import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseMemAvailable, readMemAvailable, readMemory } from './memory.js';

const MEMINFO = 'MemTotal:       24684092 kB\nMemFree:        23556872 kB\nMemAvailable:   24220412 kB\nBuffers:           42580 kB\n';
const linux = process.platform === 'linux';

test('parseMemAvailable reads the MemAvailable line, in bytes', () => {
  assert.equal(parseMemAvailable(MEMINFO), 24220412 * 1024);
  assert.equal(parseMemAvailable('MemTotal:       24684092 kB\nMemFree:        23556872 kB\n'), undefined);
  assert.equal(parseMemAvailable(''), undefined);
});

describe('readMemAvailable', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'muster-system-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const live = () => new AbortController().signal;

  test('reads a meminfo file', async () => {
    const path = join(dir, 'meminfo');
    await writeFile(path, MEMINFO);
    assert.equal(await readMemAvailable(live(), path), 24220412 * 1024);
  });

  test('a missing file, or a file without MemAvailable, is undefined (the caller falls back)', async () => {
    assert.equal(await readMemAvailable(live(), join(dir, 'missing')), undefined);
    const old = join(dir, 'old-kernel');
    await writeFile(old, 'MemTotal:       24684092 kB\nMemFree:        23556872 kB\n');
    assert.equal(await readMemAvailable(live(), old), undefined);
  });

  test("an aborted signal rejects with the signal's reason, it does not fall back", async () => {
    const path = join(dir, 'meminfo');
    const reason = new Error('cycle deadline');
    await assert.rejects(readMemAvailable(AbortSignal.abort(reason), path), (err) => err === reason);
  });

  test('/proc/meminfo on this host', { skip: !linux && 'Linux only' }, async () => {
    const available = await readMemAvailable(live());
    assert.ok(available !== undefined && available > 0 && available <= totalmem());
  });
});

test('readMemory: used + available = total, total = os.totalmem()', async () => {
  const memory = await readMemory(new AbortController().signal);
  assert.equal(memory.used + memory.available, memory.total);
  assert.equal(memory.total, totalmem());
  assert.ok(memory.available > 0 && memory.used >= 0);
});
