import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grown, LabelSlots, SMALL_KEYS, SMALL_VALUES, type Values } from './label-slots.js';

/** Slots over a plain value array, recording what the table asked of it. */
function table() {
  const values: number[] = [];
  const released: number[] = [];
  const grows: number[] = [];
  const slots = new LabelSlots({
    grow: (capacity) => {
      grows.push(capacity);
      values.length = capacity;
    },
    clear: (slot) => {
      values[slot] = 0;
    },
    release: (slot) => released.push(slot),
  });
  return { slots, values, released, grows };
}

describe('LabelSlots', () => {
  it('gives one slot per label set, and the same one when written again in a cycle', () => {
    const { slots } = table();
    const a = slots.slot(['a', 'x']);
    const b = slots.slot(['b', 'x']);
    assert.notEqual(a, b);
    assert.equal(slots.slot(['a', 'x']), a);
    assert.equal(slots.live, 2);
    assert.deepEqual(slots.labelsOf(b), ['b', 'x']);
  });

  it('keeps label sets apart that would join to the same text', () => {
    const { slots } = table();
    assert.notEqual(slots.slot(['a,b', 'c']), slots.slot(['a', 'b,c']));
  });

  it('clears a slot written again in a new cycle, and sweeps the others when the cycle is rendered', () => {
    const { slots, values, released } = table();
    const a = slots.slot(['a']);
    const b = slots.slot(['b']);
    values[a] = 5;
    values[b] = 7;
    slots.reset();
    assert.equal(slots.slot(['a']), a);
    assert.equal(values[a], 0, 'a new cycle starts from zero');
    assert.deepEqual([...slots.slotsOf(slots.epoch)], [a]);
    assert.deepEqual(released, [b], 'b was not written again: swept');
    assert.equal(slots.slot(['c']), b, 'its slot is reused');
  });

  it('keeps one label set, its sweep and a second one in first-written order, with or without a map', () => {
    const { slots, released } = table();
    const only = slots.slot(['only']);
    assert.equal(slots.slot(['only']), only, 'the one label set is found again');
    slots.reset();
    const next = slots.slot(['next']);
    assert.deepEqual(slots.slotsOf(slots.epoch), [next]);
    assert.deepEqual(released, [only], 'the one label set, not written again, was swept');
    slots.reset();
    assert.equal(slots.slot(['next']), next, 'found again after its predecessor was swept');
    const second = slots.slot(['second']);
    const third = slots.slot(['third']);
    assert.equal(second, only, 'the swept slot is reused');
    assert.deepEqual(slots.slotsOf(slots.epoch), [next, second, third], 'first-written order across the change to a map');
    slots.reset();
    assert.equal(slots.slot(['third']), third);
    assert.equal(slots.slot(['next']), next);
    assert.deepEqual(slots.slotsOf(slots.epoch), [next, third]);
  });

  it('finds, sweeps and orders label sets as a map in first-written order would, below and past SMALL_KEYS', () => {
    // A small deterministic generator: the same cycles on every run.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (const universe of [2, 3, SMALL_KEYS, SMALL_KEYS + 1, 3 * SMALL_KEYS]) {
      const { slots } = table();
      // The model: key → epoch last written, in first-written order, as a Map keeps it.
      const model = new Map<string, number>();
      const slotOf = new Map<string, number>();
      let epoch = 0;
      let swept = 0;
      for (let cycle = 0; cycle < 200; cycle++) {
        const writes = random(universe + 1);
        for (let w = 0; w < writes; w++) {
          const key = `k${random(universe)}`;
          const slot = slots.slot([key]);
          if (model.has(key)) assert.equal(slot, slotOf.get(key), `${key} keeps its slot`);
          else model.set(key, epoch);
          model.set(key, epoch);
          slotOf.set(key, slot);
        }
        if (random(4) !== 0) {
          // Rendered: the cycle's label sets in first-written order; older ones swept.
          const expected: string[] = [];
          for (const [key, at] of model) {
            if (at === epoch) expected.push(key);
            else model.delete(key);
          }
          swept = epoch;
          assert.deepEqual(
            slots.slotsOf(epoch).map((slot) => slots.labelsOf(slot)[0]),
            expected,
            `universe ${universe}, cycle ${cycle}`,
          );
        }
        slots.reset();
        if (swept !== epoch) for (const [key, at] of model) if (at !== epoch) model.delete(key);
        epoch++;
      }
    }
  });

  it('sweeps what a failed (never rendered) cycle left behind at the next reset', () => {
    const { slots, released } = table();
    for (let cycle = 0; cycle < 5; cycle++) {
      slots.reset();
      // Every cycle writes label values never seen before and fails before it is rendered.
      for (let i = 0; i < 100; i++) slots.slot([`c${cycle}-${i}`]);
    }
    // Each reset keeps the ending cycle's label sets (they are that cycle's) and sweeps the older ones.
    assert.equal(released.length, 300, 'the label sets of cycles 0 to 2 are gone');
    assert.ok(Math.max(...[...slots.slotsOf(slots.epoch)]) < 200, 'slots are reused, not grown');
  });

  it('allocates nothing until the first label set, then room for one, doubling after', () => {
    const { slots, grows } = table();
    assert.deepEqual(grows, [], 'a declared family that is never written holds no arrays');
    slots.slot(['a']);
    assert.deepEqual(grows, [1]);
    slots.reset();
    slots.slot(['a']);
    assert.deepEqual(grows, [1], 'the same label set in the next cycle reuses its slot');
    slots.slot(['b']);
    slots.slot(['c']);
    assert.deepEqual(grows, [1, 2, 4]);
  });

  it('grows its arrays as label sets arrive', () => {
    const { slots, values } = table();
    for (let i = 0; i < 1000; i++) values[slots.slot([`s${i}`])] = i;
    assert.ok(values.length >= 1000);
    assert.equal(slots.live, 1000);
    assert.equal([...slots.slotsOf(slots.epoch)].length, 1000);
  });

  it('keeps every value written while the family grows (a SeriesMap of 1,000 label pairs)', async () => {
    const { SeriesMap } = await import('./series.js');
    const map = new SeriesMap('x', ['a', 'b']);
    let sum = 0;
    for (let i = 0; i < 1000; i++) {
      map.set([`a${i % 7}`, `b${i}`], i);
      sum += i;
    }
    assert.equal(
      map.samples().reduce((n, s) => n + s.value, 0),
      sum,
    );
  });
});

describe('LabelSlots keys', () => {
  it('keeps label sets apart whose values hold a NUL where another set splits them', () => {
    const { slots } = table();
    const a = slots.slot(['x\u0000y', 'z']);
    const b = slots.slot(['x', 'y\u0000z']);
    const c = slots.slot(['x\u0000y\u0000z', '']);
    assert.equal(new Set([a, b, c]).size, 3);
    assert.deepEqual(slots.labelsOf(b), ['x', 'y\u0000z']);
    assert.equal(slots.slot(['x', 'y\u0000z']), b, 'the same set again is the same slot');
    assert.equal(slots.live, 3);
  });
});

describe('grown values', () => {
  it('keep a plain array while small and a typed array past SMALL_VALUES, with every value kept and the new ones filled', () => {
    let values: Values = grown([], 1, 1, -1);
    assert.ok(Array.isArray(values), 'one label set: a plain array');
    assert.deepEqual([...values], [-1]);
    values[0] = 0.5;
    for (let capacity = 2; capacity <= SMALL_VALUES * 4; capacity *= 2) {
      const before: number[] = [...values];
      values = grown(values, capacity, 1, -1);
      assert.equal(values.length, capacity);
      assert.deepEqual([...values].slice(0, before.length), before, `values kept when grown to ${capacity}`);
      assert.ok([...values].slice(before.length).every((v) => v === -1), `new values filled when grown to ${capacity}`);
      assert.equal(values instanceof Float64Array, capacity > SMALL_VALUES, `representation at ${capacity}`);
      values[capacity - 1] = capacity + 0.25;
    }
    const wide = grown(grown([], 1, 12), 100, 12);
    assert.ok(wide instanceof Float64Array, 'a histogram of 100 label sets (1,200 counts) is a typed array');
    assert.equal(wide.length, 1200);
  });
});
