import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import type { Logger } from '@muster/sdk';
import { createCoreContainer } from '../../container.js';
import { Runtime } from '../../runtime/runtime.js';
import { scrape } from './scrape.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** A runtime with no instances and a few hundred application series. */
function runtime(): Runtime {
  const container = createCoreContainer({ logger: silent, build: { version: '0.0.0-test' }, plugins: { builtins: {}, hostUrls: [import.meta.url] } });
  const rt = container.resolve(Runtime);
  const jobs = rt.appMetrics().gauge({ name: 'app_jobs', help: 'Jobs by queue.', labelNames: ['queue'] });
  for (let i = 0; i < 300; i++) jobs.set({ queue: `q${i}` }, i);
  return rt;
}

describe('scrape(): the one answer to GET /metrics', () => {
  it('answers text 0.0.4 with a content length matching the bytes', async () => {
    const answer = await scrape(runtime(), {});
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(Number(answer.headers['content-length']), answer.body.length);
    assert.match(answer.body.toString(), /^app_jobs\{queue="q299"\} 299$/m);
    assert.match(answer.body.toString(), /^# HELP app_jobs Jobs by queue\.$/m);
  });

  it('answers the OpenMetrics version asked for, with # EOF last', async () => {
    const rt = runtime();
    for (const version of ['1.0.0', '0.0.1']) {
      const answer = await scrape(rt, { accept: `application/openmetrics-text;version=${version}` });
      assert.equal(answer.headers['content-type'], `application/openmetrics-text; version=${version}; charset=utf-8`);
      assert.ok(answer.body.toString().endsWith('# EOF\n'));
    }
  });

  it('sends one gzip member holding the same bytes when gzip is preferred', async () => {
    const rt = runtime();
    const plain = (await scrape(rt, {})).body;
    const zipped = await scrape(rt, { acceptEncoding: 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
    const inflated = inflateRawSync(zipped.body.subarray(10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    assert.equal(10 + inflated.engine.bytesWritten + 8, zipped.body.length, 'one member: its trailer ends the body');
    // Self metrics may move between the two scrapes (process CPU…): compare the app's lines.
    const appLines = (b: Buffer) => b.toString().split('\n').filter((l) => l.includes('app_jobs'));
    assert.deepEqual(appLines(gunzipSync(zipped.body)), appLines(plain));
    assert.equal((await scrape(rt, { acceptEncoding: 'gzip;q=0.1, identity' })).headers['content-encoding'], undefined);
  });

  it('answers 404 for an unknown collector', async () => {
    const answer = await scrape(runtime(), { collector: ['nope'] });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.toString(), 'no instance named "nope"\n');
    assert.equal(answer.headers['content-length'], String(answer.body.length));
  });
});
