import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawEncode } from './encode.js';
import { Store } from './store.js';

describe('rawEncode', () => {
  it('encodes names as Jenkins’ Util.rawEncode does', () => {
    assert.equal(rawEncode('plain-name_1.0'), 'plain-name_1.0');
    assert.equal(rawEncode('ipone-b2b (staging)'), 'ipone-b2b%20(staging)');
    assert.equal(rawEncode('🚀 ipone'), '%F0%9F%9A%80%20ipone');
    assert.equal(rawEncode('feature%2Flogin'), 'feature%252Flogin');
    assert.equal(rawEncode('a#b?c:d;e[f]g{h}|~'), 'a%23b%3Fc%3Ad%3Be%5Bf%5Dg%7Bh%7D%7C%7E');
    assert.equal(rawEncode("keep!$&'()*+,=@"), "keep!$&'()*+,=@");
    assert.equal(rawEncode('déploiement'), 'd%C3%A9ploiement');
  });
});

describe('Store', () => {
  it('derives colors from builds as Jenkins does', () => {
    const s = new Store([
      { name: 'none', kind: 'freestyle' },
      { name: 'ok', kind: 'freestyle', lastBuild: { number: 1, result: 'SUCCESS' } },
      { name: 'unstable', kind: 'pipeline', lastBuild: { number: 4, result: 'UNSTABLE' } },
      { name: 'aborted', kind: 'pipeline', lastBuild: { number: 4, result: 'ABORTED' } },
      {
        name: 'failing-now-running',
        kind: 'freestyle',
        builds: [
          { number: 1, result: 'FAILURE' },
          { number: 2, result: null },
        ],
      },
      { name: 'off', kind: 'freestyle', disabled: true, lastBuild: { number: 1, result: 'SUCCESS' } },
      { name: 'forced', kind: 'matrix', color: 'yellow_anime' },
    ]);
    const color = (n: string) => s.find(n)!.color;
    assert.equal(color('none'), 'notbuilt');
    assert.equal(color('ok'), 'blue');
    assert.equal(color('unstable'), 'yellow');
    assert.equal(color('aborted'), 'aborted');
    assert.equal(color('failing-now-running'), 'red_anime');
    assert.equal(color('off'), 'disabled');
    assert.equal(color('forced'), 'yellow_anime');
  });

  it('rejects invalid trees and leaves the old tree in place', () => {
    const s = new Store([{ name: 'keep', kind: 'freestyle' }]);
    const bad = [
      [{ name: '', kind: 'freestyle' }],
      [{ name: 'a/b', kind: 'freestyle' }],
      [{ name: 'x', kind: 'nope' }],
      [
        { name: 'x', kind: 'freestyle' },
        { name: 'x', kind: 'pipeline' },
      ],
      [{ name: 'f', kind: 'folder', color: 'blue' }],
      [{ name: 'j', kind: 'freestyle', children: [{ name: 'c', kind: 'freestyle' }] }],
      [{ name: 'mb', kind: 'multibranch', children: [{ name: 'c', kind: 'freestyle' }] }],
      [{ name: 'org', kind: 'organization-folder', children: [{ name: 'c', kind: 'folder' }] }],
      [{ name: 'j', kind: 'freestyle', color: 'green' }],
      [{ name: 'j', kind: 'freestyle', builds: [{ number: 0 }] }],
    ];
    for (const items of bad) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      assert.throws(() => s.setTree(items as any), Error, JSON.stringify(items));
    }
    assert.deepEqual(
      s.children.map((c) => c.name),
      ['keep'],
    );
  });

  it('computes full names and URL paths once, encoded', () => {
    const s = new Store([{ name: 'a b', kind: 'folder', children: [{ name: 'c#1', kind: 'freestyle' }] }]);
    const n = s.find('a b/c#1')!;
    assert.equal(n.fullName, 'a b/c#1');
    assert.equal(n.path, 'job/a%20b/job/c%231/');
    assert.equal(n.fullDisplayName, 'a b » c#1');
  });

  it('adds, deletes and recolors items', () => {
    const s = new Store([{ name: 'f', kind: 'folder' }]);
    s.add('f', { name: 'j', kind: 'freestyle' });
    s.add('', { name: 'root', kind: 'pipeline' });
    assert.equal(s.stats().jobs, 2);
    s.setColor('f/j', 'red');
    assert.equal(s.find('f/j')!.color, 'red');
    s.addBuild('f/j', { number: 3, result: 'SUCCESS' });
    s.setColor('f/j', undefined);
    assert.equal(s.find('f/j')!.color, 'blue');
    s.delete('f');
    assert.equal(s.find('f/j'), undefined);
    assert.deepEqual(s.stats().byKind.pipeline, 1);
    assert.throws(() => s.delete('f'), /no item named "f"/);
    assert.throws(() => s.add('root', { name: 'x', kind: 'freestyle' }), /no folder named "root"/);
    assert.throws(() => s.setColor('nope', 'red'), /no job named/);
  });
});
