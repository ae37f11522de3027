import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configForTarget } from '@muster/sdk';
import { configSchema } from './config.js';
import { postgresTarget } from './target.js';

describe('postgres targets', () => {
  const module = { user: 'probe', password: 'secret' };
  it('reads host, port and database, credentials from the module', () => {
    assert.deepEqual(configForTarget(postgresTarget, 'db.example.com:6543/app', module), { ...module, host: 'db.example.com', port: 6543, database: 'app' });
    assert.deepEqual(configForTarget(postgresTarget, '[::1]:5432', module), { ...module, host: '::1', port: 5432 });
    assert.deepEqual(configForTarget(postgresTarget, '127.0.0.1', module), { ...module, host: '127.0.0.1' });
  });

  it('refuses what is not host[:port][/database], and the schema refuses a bad port', () => {
    for (const bad of ['', '/tmp/socket', 'postgres://u:p@h/db', 'h:port', 'h/a/b', 'h:5432?x=1']) {
      assert.throws(() => configForTarget(postgresTarget, bad, module), /expected host\[:port\]\[\/database\]/, bad);
    }
    assert.equal(configSchema.safeParse(configForTarget(postgresTarget, 'h:99999', module)).success, false);
    assert.equal(configSchema.safeParse(configForTarget(postgresTarget, 'h:5432/app', module)).success, true);
  });
});
