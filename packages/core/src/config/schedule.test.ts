import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { msUntilNextCron, parseSchedule } from './schedule.js';

describe('parseSchedule', () => {
  it('parses intervals', () => {
    assert.deepEqual(parseSchedule('15s'), { kind: 'interval', everyMs: 15_000, text: '15s' });
    assert.deepEqual(parseSchedule(' 1m '), { kind: 'interval', everyMs: 60_000, text: '1m' });
    assert.deepEqual(parseSchedule('100ms'), { kind: 'interval', everyMs: 100, text: '100ms' });
  });

  it('refuses intervals shorter than 100ms with a message naming the input', () => {
    const result = parseSchedule('50ms');
    assert.equal(typeof result, 'string');
    assert.match(result as string, /at least 100ms/);
    assert.match(result as string, /"50ms"/);
  });

  it('parses 5-field and 6-field (seconds first) cron expressions', () => {
    assert.deepEqual(parseSchedule('*/5 * * * *'), { kind: 'cron', expression: '*/5 * * * *', text: '*/5 * * * *' });
    assert.deepEqual(parseSchedule('*/30 * * * * *'), {
      kind: 'cron',
      expression: '*/30 * * * * *',
      text: '*/30 * * * * *',
    });
    assert.deepEqual(parseSchedule('0 9 * * 1-5'), { kind: 'cron', expression: '0 9 * * 1-5', text: '0 9 * * 1-5' });
  });

  it('refuses invalid cron expressions with a message naming the input', () => {
    for (const text of ['61 * * * *', '* * * * * 99', '*/0 * * * *', 'a b c d e']) {
      const result = parseSchedule(text);
      assert.equal(typeof result, 'string', `"${text}" should not parse`);
      assert.match(result as string, /cron/);
      assert.ok((result as string).includes(text));
    }
  });

  it('refuses a cron expression that never fires (February 31st), which the scheduler could not plan', () => {
    for (const text of ['0 0 31 2 *', '0 0 0 30 2 *']) {
      const result = parseSchedule(text);
      assert.equal(typeof result, 'string', `"${text}" should not parse`);
      assert.match(result as string, /never fires/);
      assert.ok((result as string).includes(text));
    }
  });

  it('parses on-scrape', () => {
    assert.deepEqual(parseSchedule('on-scrape'), { kind: 'on-scrape', text: 'on-scrape' });
    assert.deepEqual(parseSchedule(' on-scrape '), { kind: 'on-scrape', text: 'on-scrape' });
  });

  it('refuses everything else with a message listing what is accepted', () => {
    for (const text of ['', 'often', 'onscrape', '15', '* * * *', '* * * * * * *']) {
      const result = parseSchedule(text);
      assert.equal(typeof result, 'string', `"${text}" should not parse`);
      assert.match(result as string, /on-scrape/);
    }
  });
});

describe('msUntilNextCron', () => {
  it('is within one second for an every-second expression', () => {
    for (let i = 0; i < 20; i++) {
      const from = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i * 50));
      const wait = msUntilNextCron('* * * * * *', from);
      assert.ok(wait > 0 && wait <= 1000, `wait ${wait} from ${from.toISOString()}`);
      assert.equal(wait, 1000 - ((i * 50) % 1000));
    }
  });

  it('counts to the next matching second, not just the next second', () => {
    // Second 0 of every minute; from hh:mm:30.250 that is 29.75 s away (independent of time zone).
    const from = new Date(Date.UTC(2024, 5, 15, 12, 34, 30, 250));
    assert.equal(msUntilNextCron('0 * * * * *', from), 29_750);
    assert.equal(msUntilNextCron('*/15 * * * * *', from), 14_750);
  });

  it('handles 5-field expressions (minute resolution)', () => {
    const from = new Date(Date.UTC(2024, 5, 15, 12, 34, 30, 0));
    const wait = msUntilNextCron('* * * * *', from);
    assert.equal(wait, 30_000);
    const every5 = msUntilNextCron('*/5 * * * *', from);
    assert.ok(every5 > 0 && every5 <= 5 * 60_000, `wait ${every5}`);
    assert.equal(every5, 30_000); // 12:35:00, a multiple of 5 minutes
  });

  it('defaults to now and never returns a negative wait', () => {
    const wait = msUntilNextCron('* * * * * *');
    assert.ok(wait >= 0 && wait <= 1000, `wait ${wait}`);
  });
});
