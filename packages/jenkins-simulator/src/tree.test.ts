import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyRange, parseTree, type TreeSpec, TreeSyntaxError, treeToString } from './tree.js';

function range(spec: TreeSpec, ...path: string[]) {
  let at = spec;
  for (const p of path) at = at.children.get(p)!;
  return at.range;
}

describe('parseTree', () => {
  it('parses what Jenkins’ own NamedPathPrunerTest parses, to the same tree', () => {
    assert.equal(treeToString(parseTree('a,b[c]')), '{a={}, b={c={}}}');
    assert.equal(treeToString(parseTree('a,b[c,d]')), '{a={}, b={c={}, d={}}}');
    assert.equal(treeToString(parseTree('a,b[c,d],e')), '{a={}, b={c={}, d={}}, e={}}');
    assert.equal(treeToString(parseTree('a,b[c,d]{,10},e')), '{a={}, b={c={}, d={}}, e={}}');
  });

  it('rejects what Jenkins rejects', () => {
    for (const bad of ['', 'a,', ',b', 'a[', 'a[b,c', 'a[]', 'a[b,,]', 'a]', 'a{}', 'a{b}']) {
      assert.throws(() => parseTree(bad), TreeSyntaxError, `should reject ${JSON.stringify(bad)}`);
    }
  });

  it('reports the position and Jenkins’ token names', () => {
    assert.throws(() => parseTree(''), { message: 'expected name at 0', position: 0 });
    assert.throws(() => parseTree('a[b'), { message: 'expected RBRACE at 3' });
    assert.throws(() => parseTree('a]'), { message: 'expected EOF at 1' });
    assert.throws(() => parseTree('a{x}'), { message: 'expected number at 2' });
    assert.throws(() => parseTree('a{1,2'), { message: 'expected QRBRACE at 5' });
  });

  it('nests to any depth', () => {
    const t = parseTree('jobs[name,color,jobs[name,color,jobs[name,jobs[name]]]]');
    assert.equal(treeToString(t), '{jobs={color={}, jobs={color={}, jobs={jobs={name={}}, name={}}, name={}}, name={}}}');
  });

  it('parses the four range forms as half-open [min, max)', () => {
    assert.deepEqual(range(parseTree('jobs[name]{,3}'), 'jobs'), { min: 0, max: 3 });
    assert.deepEqual(range(parseTree('jobs[name]{3,6}'), 'jobs'), { min: 3, max: 6 });
    assert.deepEqual(range(parseTree('jobs[name]{38}'), 'jobs'), { min: 38, max: 39 });
    assert.deepEqual(range(parseTree('jobs[name]{97,}'), 'jobs'), { min: 97, max: Number.POSITIVE_INFINITY });
    assert.deepEqual(range(parseTree('jobs'), 'jobs'), { min: 0, max: Number.POSITIVE_INFINITY });
  });

  it('allows a range on a leaf and on nested arrays', () => {
    const t = parseTree('builds{0,5},jobs[builds[number]{1}]{2,4}');
    assert.deepEqual(range(t, 'builds'), { min: 0, max: 5 });
    assert.deepEqual(range(t, 'jobs'), { min: 2, max: 4 });
    assert.deepEqual(range(t, 'jobs', 'builds'), { min: 1, max: 2 });
  });

  it('rejects a range before the sub-selection, and ranges with spaces or signs', () => {
    for (const bad of ['a{1}[b]', 'a{ 1}', 'a{1 }', 'a{-1}', 'a{1,2,3}', 'a{,}', 'a{99999999999}']) {
      assert.throws(() => parseTree(bad), TreeSyntaxError, `should reject ${JSON.stringify(bad)}`);
    }
  });

  it('does not trim whitespace: it becomes part of the name, as in Jenkins', () => {
    const t = parseTree('jobs[name, color]');
    assert.deepEqual([...t.children.get('jobs')!.children.keys()], ['name', ' color']);
    assert.deepEqual([...parseTree(' name').children.keys()], [' name']);
  });

  it('keeps the last selection of a repeated name', () => {
    assert.equal(treeToString(parseTree('a[b],a[c]')), '{a={c={}}}');
    assert.equal(treeToString(parseTree('a[b,b[c]]')), '{a={b={c={}}}}');
  });

  it('takes any other character as part of a name', () => {
    assert.deepEqual([...parseTree('*,_class,a.b,x-y').children.keys()], ['*', '_class', 'a.b', 'x-y']);
  });
});

describe('applyRange', () => {
  const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  it('cuts like Stapler’s Range.apply', () => {
    assert.deepEqual(applyRange(xs, { min: 0, max: 3 }), [0, 1, 2]);
    assert.deepEqual(applyRange(xs, { min: 3, max: 6 }), [3, 4, 5]);
    assert.deepEqual(applyRange(xs, { min: 8, max: Number.POSITIVE_INFINITY }), [8, 9]);
    assert.deepEqual(applyRange(xs, { min: 10, max: 11 }), []);
    assert.deepEqual(applyRange(xs, { min: 6, max: 2 }), []);
    assert.equal(applyRange(xs, { min: 0, max: Number.POSITIVE_INFINITY }), xs);
  });
});
