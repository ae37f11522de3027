import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { toolSkip } from '@muster/testing';
import { type FixtureCerts, makeFixtureCerts } from './conformance/fixture-certs.js';
import { LiveWebConfig } from './live.js';
import { loadWebConfig } from './load.js';

describe('LiveWebConfig', { skip: toolSkip('openssl') }, () => {
  let certs: FixtureCerts;
  before(() => {
    certs = makeFixtureCerts();
  });

  it('picks up a refused version once the new files it names appear, logging each refusal once', () => {
    const web = join(certs.dir, 'live-new-path.yml');
    writeFileSync(web, 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n');
    const errors: string[] = [];
    const infos: string[] = [];
    const results: boolean[] = [];
    const logger = { info: (_: object, msg: string) => infos.push(msg), warn: () => undefined, error: (obj: object) => errors.push((obj as { err: string }).err) };
    const live = new LiveWebConfig(loadWebConfig(web), { logger, record: (ok) => results.push(ok), requestCheckMs: 0 });
    // The new version names files that do not exist yet (written by a later step of a rollout).
    writeFileSync(web, 'tls_server_config:\n  cert_file: next.crt\n  key_file: next.key\n');
    live.refresh();
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /cert_file: cannot read next\.crt/);
    live.refresh();
    live.refresh();
    assert.equal(errors.length, 1, 'the same refusal is not logged again');
    assert.deepEqual(results, [false]);
    copyFileSync(join(certs.dir, 'server.crt'), join(certs.dir, 'next.crt'));
    copyFileSync(join(certs.dir, 'server.key'), join(certs.dir, 'next.key'));
    live.refresh();
    assert.deepEqual(results, [false, true], 'applied once its files appeared');
    assert.ok(live.current.files.some((f) => f.endsWith('next.crt')));
  });
});
