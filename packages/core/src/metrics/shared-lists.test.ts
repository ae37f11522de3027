import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedByContent, sharedList, sharedSet } from './shared-lists.js';

describe('sharedList', () => {
  it('gives one frozen copy for equal lists, whatever the caller does with its array afterwards', () => {
    const mine = ['a', 'b'];
    const shared = sharedList(mine);
    assert.ok(Object.isFrozen(shared));
    assert.equal(sharedList(['a', 'b']), shared);
    mine.push('c');
    assert.deepEqual(shared, ['a', 'b']);
    assert.notEqual(sharedList(mine), shared);
    assert.deepEqual(sharedList(mine), ['a', 'b', 'c']);
    assert.notEqual(sharedList(['a,b']), sharedList(['a', 'b']));
    assert.equal(sharedList([]), sharedList([]));
  });

  it('still copies past the lists it keeps', () => {
    for (let i = 0; i < 1100; i++) assert.deepEqual(sharedList([`many${i}`]), [`many${i}`]);
    const late = sharedList(['late']);
    assert.deepEqual(late, ['late']);
    assert.ok(Object.isFrozen(late));
  });
});

describe('sharedSet', () => {
  it('gives one copy for sets of the same members, in any order, whatever the caller does with its set afterwards', () => {
    const mine = new Set(['collector', 'env']);
    const shared = sharedSet(mine);
    assert.notEqual(shared, mine);
    assert.equal(sharedSet(new Set(['env', 'collector'])), shared);
    mine.add('zone');
    assert.equal(shared.has('zone'), false);
    assert.deepEqual([...sharedSet(mine)].sort(), ['collector', 'env', 'zone']);
    assert.notEqual(sharedSet(new Set(['collector'])), shared);
  });
});

describe('SharedByContent', () => {
  it('hands the first value of a key to every later caller, and forgets the oldest key past its capacity', () => {
    const cache = new SharedByContent<{ key: string }>(3);
    let made = 0;
    const get = (key: string) =>
      cache.get(key, () => {
        made++;
        return { key };
      });
    const a = get('a');
    assert.equal(get('a'), a);
    get('b');
    get('c');
    assert.equal(made, 3);
    const d = get('d');
    assert.equal(get('d'), d, 'a new key past the capacity is shared too');
    assert.equal(made, 4);
    assert.notEqual(get('a'), a, 'the oldest key was forgotten: a new value');
    assert.equal(made, 5);
  });
});
