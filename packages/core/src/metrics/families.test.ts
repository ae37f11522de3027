import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError } from '../errors.js';
import { FamilyRegistry } from './families.js';
import type { FamilyDefinition } from './types.js';

function def(overrides: Partial<FamilyDefinition> = {}): FamilyDefinition {
  return { name: 'jenkins_jobs', help: 'Jobs.', kind: 'gauge', labelNames: ['folder'], owner: 'jenkins', ...overrides };
}

function throwsConflict(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isMusterError(err, 'MUSTER_ERR_METRIC_CONFLICT'), String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

describe('FamilyRegistry', () => {
  it('lets two instances of the same plugin share a family', () => {
    const families = new FamilyRegistry();
    const first = families.declare(def(), 'j1');
    const second = families.declare(def(), 'j2');
    assert.equal(second, first, 'the second instance gets the first definition');
    assert.equal(families.get('jenkins_jobs'), first);
  });

  it('refuses the same family from another plugin, naming the first owner', () => {
    const families = new FamilyRegistry();
    families.declare(def(), 'j1');
    throwsConflict(() => families.declare(def({ owner: 'other-plugin' }), 'o1'), /plugin "jenkins".*"o1"/);
  });

  it('refuses the same plugin redeclaring a family with another kind or help, but allows other labels', () => {
    const families = new FamilyRegistry();
    families.declare(def(), 'j1');
    throwsConflict(() => families.declare(def({ kind: 'info' }), 'j2'), /gauge, not a info/);
    // One instance may add a label another does not have (e.g. jenkins' byFolder).
    families.declare(def({ labelNames: ['folder', 'status'] }), 'j3');
    throwsConflict(() => families.declare(def({ help: 'Other.' }), 'j2'), /different help/);
  });

  it('reserves the muster_ prefix for the exporter\'s own metrics', () => {
    const families = new FamilyRegistry();
    throwsConflict(() => families.declare(def({ name: 'muster_jobs' }), 'j1'), /reserved/);
    assert.doesNotThrow(() => families.declare(def({ name: 'muster_jobs', owner: 'muster' }), 'muster', true));
  });

  it('forgets a family once every instance using it is released', () => {
    const families = new FamilyRegistry();
    families.declare(def(), 'j1');
    families.declare(def(), 'j2');
    families.release('j1');
    assert.ok(families.get('jenkins_jobs') !== undefined, 'j2 still uses it');
    families.release('j2');
    assert.equal(families.get('jenkins_jobs'), undefined);
    // Now another plugin may take the name.
    assert.doesNotThrow(() => families.declare(def({ owner: 'other-plugin' }), 'o1'));
  });

  it(
    'refuses families whose OpenMetrics names collide (gauge x and counter x_total)',
        () => {
      const families = new FamilyRegistry();
      families.declare(def({ name: 'app_up', labelNames: [], owner: 'app' }), 'a');
      throwsConflict(() => families.declare(def({ name: 'app_up_total', kind: 'counter', labelNames: [], owner: 'app' }), 'a'), /app_up/);
    },
  );

  it('reserves the prefixes of the families muster exports itself, naming the family and its owner', () => {
    const families = new FamilyRegistry();
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'muster_collector_up']) {
      throwsConflict(() => families.declare(def({ name, labelNames: [], owner: 'squatter' }), 's'), new RegExp(`${name}.*owner: muster`));
    }
    families.declare(def({ name: 'muster_thing', labelNames: [], owner: 'muster' }), 'muster', true);
  });

  it('credits the instance that declared a family first in a clash', () => {
    const families = new FamilyRegistry();
    families.declare(def({ name: 'app_x', kind: 'gauge', labelNames: [], owner: 'first-plugin' }), 'early');
    throwsConflict(() => families.declare(def({ name: 'app_x', labelNames: [], owner: 'second-plugin' }), 'late'), /plugin "first-plugin" \(first by "early"\).*declared again by "late"/);
    throwsConflict(
      () => families.declare(def({ name: 'app_x_total', kind: 'counter', labelNames: [], owner: 'second-plugin' }), 'late'),
      /declared first by "early" of plugin "first-plugin"; declared again by "late"/,
    );
  });
});
