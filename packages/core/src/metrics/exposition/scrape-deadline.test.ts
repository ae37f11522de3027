import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrapeDeadline } from './scrape-deadline.js';

describe('scrapeDeadline', () => {
  it('turns the scrape timeout header into a deadline with a margin', () => {
    assert.equal(scrapeDeadline('10'), 9750);
    assert.equal(scrapeDeadline('0.2'), 100);
    assert.equal(scrapeDeadline('abc'), undefined);
    assert.equal(scrapeDeadline(undefined), undefined);
    assert.equal(scrapeDeadline(['5', '7']), 4750);
  });
});
