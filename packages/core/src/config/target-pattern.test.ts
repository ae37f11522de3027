import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileTargetPattern, targetPatternError } from './target-pattern.js';

describe('allowedTargets patterns', () => {
  it('match a target whole: a suffix, prefix or fragment trick does not pass', () => {
    const p = compileTargetPattern('https://allowed\\.host/.*');
    assert.equal(p.test('https://allowed.host/healthz'), true);
    for (const t of ['https://allowed.host.evil.com/', 'https://evil.com#https://allowed.host/', 'xhttps://allowed.host/', 'https://allowed.host\n']) {
      assert.equal(p.test(t), false, JSON.stringify(t));
    }
  });

  it('take time linear in the target: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    // With RegExp, 30 "a"s cost seconds and every extra one doubles it; the longest target is 2048.
    const p = compileTargetPattern('(a+)+b');
    const before = process.cpuUsage();
    for (let i = 0; i < 10; i++) assert.equal(p.test(`${'a'.repeat(2048)}!`), false);
    const used = process.cpuUsage(before);
    assert.ok(used.user + used.system < 60_000_000, 'far below the hours a backtracking engine would take');
  });

  it('refuse what RE2 refuses, with its reason', () => {
    assert.match(targetPatternError('(') ?? '', /missing closing \)/);
    assert.match(targetPatternError('(?=x)y') ?? '', /unsupported Perl syntax/);
    assert.equal(targetPatternError('db-[0-9]+:5432'), undefined);
  });
});
