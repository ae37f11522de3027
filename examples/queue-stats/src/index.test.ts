import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { assertValidExposition, createHarness, findSamples, sampleValue } from '@muster/testing';
import plugin from './index.js';

describe('queue-stats (the guide\'s example)', () => {
  let answer: unknown = { mail: 3, render: 0, note: 'ignored' };
  let status = 200;
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/queues.json`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('exports each queue\'s depth, counts polls, and forgets a queue that goes away', async () => {
    const h = await createHarness(plugin, { url }, { labels: { site: 'lab' } });
    try {
      const first = await h.cycle();
      assert.equal(first.health.up, true, first.health.lastError);
      assert.equal(sampleValue(first.exposition, 'queue_depth', { queue: 'mail', site: 'lab' }), 3);
      assert.equal(findSamples(first.exposition, 'queue_depth', { queue: 'note' }).length, 0);
      answer = { mail: 7 };
      const second = await h.cycle();
      assert.equal(sampleValue(second.exposition, 'queue_depth', { queue: 'mail' }), 7);
      assert.equal(findSamples(second.exposition, 'queue_depth', { queue: 'render' }).length, 0);
      assert.equal(sampleValue(second.exposition, 'queue_polls_total'), 2);
      assertValidExposition(await h.text());
    } finally {
      await h.close();
    }
  });

  it('keeps only the configured queues', async () => {
    answer = { mail: 1, render: 2, billing: 3 };
    const h = await createHarness(plugin, { url, queues: ['billing'] });
    try {
      const { exposition } = await h.cycle();
      assert.deepEqual(findSamples(exposition, 'queue_depth').map((s) => s.labels.queue), ['billing']);
    } finally {
      await h.close();
    }
  });

  it('fails with the right reason when the API errs or answers nonsense', async () => {
    const h = await createHarness(plugin, { url }, { timeout: '2s' });
    try {
      status = 503;
      assert.equal((await h.cycle()).health.reason, 'backend-error');
      status = 200;
      answer = 'not an object';
      assert.equal((await h.cycle()).health.reason, 'bad-response');
    } finally {
      status = 200;
      await h.close();
    }
  });

  it('is the very code docs/plugins.md shows, and its sample config validates', () => {
    const guide = readFileSync(new URL('../../../docs/plugins.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    assert.ok(guide.includes(source.trim()), 'docs/plugins.md contains src/index.ts verbatim');
    assert.ok(source.split('\n').length <= 40, 'the complete example stays under 40 lines');
    const sample = readFileSync(new URL('../sample.yaml', import.meta.url), 'utf8');
    const url = /url: (\S+)/.exec(sample)?.[1];
    assert.equal(plugin.configSchema.safeParse({ url, queues: ['mail', 'render'] }).success, true);
    assert.equal(plugin.configSchema.safeParse({ url, queue: ['mail'] }).success, false, 'typos are errors');
  });
});
