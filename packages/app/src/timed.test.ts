import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError } from '@muster/core';
import { parseExposition, sampleValue } from '@muster/testing';
import { consoleLogger } from './logger.js';
import { createMuster } from './muster.js';
import { timed, timedMethod } from './timed.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Declared at module level, as the Flask example did: createMuster() is synchronous.
const muster = createMuster({ logger: consoleLogger('silent'), httpMetrics: false, uptime: false });
const renderSeconds = muster.metrics.histogram({
  name: 'app_render_seconds',
  help: 'Time spent rendering a page, in seconds.',
  labelNames: ['page'],
  buckets: [0.001, 0.01, 0.1, 1],
});

class Pages {
  readonly greeting = 'hello';

  @timedMethod(renderSeconds, { page: 'home' })
  async home(name: string): Promise<string> {
    await sleep(15);
    return `${this.greeting} ${name}`;
  }

  @timedMethod(renderSeconds, { page: 'about' })
  about(): string {
    return this.greeting;
  }
}

async function samples() {
  return parseExposition(String((await muster.scrape()).body));
}

describe('timed', () => {
  it('observes sync and async calls, keeping this, arguments and the result', async () => {
    const page = { title: 'x', render(this: { title: string }, n: number) { return `${this.title}${n}`; } };
    const render = timed(renderSeconds, page.render, () => ({ page: 'sync' }));
    assert.equal(render.call(page, 3), 'x3');
    const slow = async (ms: number) => {
      await sleep(ms);
      return ms;
    };
    const timedSlow = timed(renderSeconds, slow, (ms) => ({ page: `slow-${ms}` }));
    assert.equal(await timedSlow(20), 20);
    let returned: Promise<number> | undefined;
    const same = timed(renderSeconds, () => (returned = slow(1)), { page: 'same' });
    const got = same();
    assert.equal(got, returned, 'the caller gets the very promise fn returned');
    await got;
    const parsed = await samples();
    assert.equal(sampleValue(parsed, 'app_render_seconds_count', { page: 'sync' }), 1);
    assert.equal(sampleValue(parsed, 'app_render_seconds_count', { page: 'slow-20' }), 1);
    assert.ok(sampleValue(parsed, 'app_render_seconds_sum', { page: 'slow-20' }) >= 0.015, 'waited for the promise');
    assert.equal(sampleValue(parsed, 'app_render_seconds_bucket', { page: 'slow-20', le: '0.01' }), 0);
  });

  it('observes calls that throw or reject, and rethrows', async () => {
    const boom = timed(renderSeconds, () => {
      throw new Error('sync boom');
    }, { page: 'throws' });
    assert.throws(() => boom(), /sync boom/);
    const rejects = timed(renderSeconds, async () => {
      await sleep(1);
      throw new Error('async boom');
    }, { page: 'rejects' });
    await assert.rejects(rejects(), /async boom/);
    const parsed = await samples();
    assert.equal(sampleValue(parsed, 'app_render_seconds_count', { page: 'throws' }), 1);
    assert.equal(sampleValue(parsed, 'app_render_seconds_count', { page: 'rejects' }), 1);
  });

  it('works as a TC39 method decorator', async () => {
    const pages = new Pages();
    assert.equal(await pages.home('ada'), 'hello ada');
    assert.equal(await pages.home('bob'), 'hello bob');
    assert.equal(pages.about(), 'hello');
    const parsed = await samples();
    assert.equal(sampleValue(parsed, 'app_render_seconds_count', { page: 'home' }), 2);
    assert.ok(sampleValue(parsed, 'app_render_seconds_sum', { page: 'home' }) >= 0.025);
    assert.equal(sampleValue(parsed, 'app_render_seconds_count', { page: 'about' }), 1);
  });

  it('works as a legacy (experimentalDecorators) method decorator', async () => {
    class Legacy {
      twice(n: number) {
        return n * 2;
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(Legacy.prototype, 'twice') as PropertyDescriptor;
    const decorated = timedMethod(renderSeconds, { page: 'legacy' })(Legacy.prototype, 'twice', descriptor);
    Object.defineProperty(Legacy.prototype, 'twice', decorated);
    assert.equal(new Legacy().twice(21), 42);
    assert.equal(sampleValue(await samples(), 'app_render_seconds_count', { page: 'legacy' }), 1);
    assert.throws(() => timedMethod(renderSeconds)(Legacy.prototype, 'nothing', { value: 1 }), (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /decorates methods only/.test(err.message));
  });
});
