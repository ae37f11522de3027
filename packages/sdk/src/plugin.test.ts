import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { API_VERSION, definePlugin, PLUGIN_MARK, type PluginDefinition } from './plugin.js';

describe('definePlugin', () => {
  const definition: PluginDefinition = {
    name: 'hello',
    apiVersion: API_VERSION,
    configSchema: z.object({ greeting: z.string().default('hi') }),
    defaults: { schedule: '30s' },
    create: () => ({ collect() {} }),
  };

  it('returns a frozen copy marked with PLUGIN_MARK', () => {
    const plugin = definePlugin(definition);
    assert.equal(Object.isFrozen(plugin), true);
    assert.equal(plugin[PLUGIN_MARK], true);
    assert.equal(PLUGIN_MARK, Symbol.for('muster.plugin'), 'a global symbol, shared by every copy of the SDK');
    assert.equal(plugin.name, 'hello');
    assert.equal(plugin.apiVersion, API_VERSION);
    assert.equal(plugin.configSchema, definition.configSchema);
    assert.equal(plugin.create, definition.create);
    assert.deepEqual(plugin.defaults, { schedule: '30s' });
  });

  it('does not change the definition it was given', () => {
    definePlugin(definition);
    assert.equal(Object.isFrozen(definition), false);
    assert.equal(PLUGIN_MARK in definition, false);
  });

  it('cannot be modified afterwards', () => {
    const plugin = definePlugin(definition);
    assert.throws(() => {
      (plugin as { name: string }).name = 'other';
    }, TypeError);
    assert.equal(plugin.name, 'hello');
  });

  it('keeps the config schema usable for typed parsing', () => {
    const plugin = definePlugin(definition);
    assert.deepEqual(plugin.configSchema.parse({}), { greeting: 'hi' });
  });

  it('declares API version 1', () => {
    assert.equal(API_VERSION, 1);
  });
});
