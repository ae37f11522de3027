import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import { BasicAuth } from './auth.js';
import { normalizeBcrypt } from './bcrypt-hash.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const HASH = bcrypt.hashSync('right', 4);

describe('BasicAuth', () => {
  it('lets the right password in, and answers it again from memory without bcrypt', async () => {
    const auth = new BasicAuth(new Map([['alice', HASH]]));
    assert.equal(await auth.check(basic('alice', 'right')), 'ok');
    const again = auth.check(basic('alice', 'right'));
    assert.equal(auth.inFlight, 0, 'no comparison started');
    assert.equal(await again, 'ok');
  });

  it('refuses wrong passwords, unknown users and malformed headers', async () => {
    const auth = new BasicAuth(new Map([['alice', HASH]]));
    for (const header of [basic('alice', 'wrong'), basic('bob', 'right'), undefined, 'Bearer x', 'Basic !!!', basic('', 'right')]) {
      assert.equal(await auth.check(header), 'denied', String(header));
    }
  });

  it('remembers a failure for a while: the same wrong password is refused without bcrypt', async () => {
    let now = 0;
    const auth = new BasicAuth(new Map([['alice', HASH]]), { failedTtlMs: 1000, now: () => now });
    assert.equal(await auth.check(basic('alice', 'wrong')), 'denied');
    const again = auth.check(basic('alice', 'wrong'));
    assert.equal(auth.inFlight, 0, 'answered from memory');
    assert.equal(await again, 'denied');
    now = 1001;
    const later = auth.check(basic('alice', 'wrong'));
    assert.equal(auth.inFlight, 1, 'checked again once the memory expired');
    assert.equal(await later, 'denied');
  });

  it('answers busy at once past the bounded number of checks, and never lets a busy one in', async () => {
    const auth = new BasicAuth(new Map([['alice', HASH]]), { maxInFlight: 1, maxQueued: 2 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => auth.check(basic('alice', `guess-${i}`))));
    assert.deepEqual(answers.filter((a) => a === 'denied').length, 3, 'one running and two waiting were checked');
    assert.deepEqual(answers.filter((a) => a === 'busy').length, 7);
    // Requests with the same credentials share one comparison instead of taking slots.
    const same = await Promise.all(Array.from({ length: 10 }, () => auth.check(basic('alice', 'right'))));
    assert.deepEqual(same, Array.from({ length: 10 }, () => 'ok'));
  });

  it('forgets answers for a changed hash, and checks $2y$ hashes as htpasswd writes them', async () => {
    const auth = new BasicAuth(new Map([['alice', HASH]]));
    assert.equal(await auth.check(basic('alice', 'right')), 'ok');
    const y = HASH.replace(/^\$2b\$/, '$2y$');
    auth.setUsers(new Map([['alice', normalizeBcrypt(bcrypt.hashSync('new', 4).replace(/^\$2b\$/, '$2y$'))]]));
    assert.equal(await auth.check(basic('alice', 'right')), 'denied', 'the old password no longer works');
    assert.equal(await auth.check(basic('alice', 'new')), 'ok');
    auth.setUsers(new Map([['alice', normalizeBcrypt(y)]]));
    assert.equal(await auth.check(basic('alice', 'right')), 'ok');
  });

  it('keeps the memory of failures bounded under a flood of wrong passwords from many distinct users', async () => {
    const auth = new BasicAuth(new Map([['alice', HASH]]), { maxInFlight: 4, maxQueued: 100, failedCacheSize: 8 });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => auth.check(basic(`user-${i}`, `guess-${i}`))));
    assert.ok(answers.every((a) => a === 'denied'), answers.join());
    assert.equal(auth.rememberedFailures, 8, 'the oldest failures were forgotten');
    // The oldest one is checked by bcrypt again; the newest is still answered from memory.
    const oldest = auth.check(basic('user-0', 'guess-0'));
    assert.equal(auth.inFlight, 1);
    const newest = auth.check(basic('user-29', 'guess-29'));
    assert.equal(auth.inFlight, 1);
    assert.deepEqual([await oldest, await newest], ['denied', 'denied']);
  });

  it('compares password bytes as Go does: a Latin-1 password matches, other bad bytes do not', async () => {
    const latin1 = Buffer.from('caf\xe9', 'latin1');
    const auth = new BasicAuth(new Map([['alice', bcrypt.hashSync(latin1, 4)], ['bob', bcrypt.hashSync('caf\ufffd', 4)]]));
    const raw = (user: string, password: Buffer) => `Basic ${Buffer.concat([Buffer.from(`${user}:`), password]).toString('base64')}`;
    assert.equal(await auth.check(raw('alice', latin1)), 'ok');
    assert.equal(await auth.check(raw('alice', Buffer.from('caf\xe8', 'latin1'))), 'denied');
    assert.equal(await auth.check(raw('bob', Buffer.from('caf\xff', 'latin1'))), 'denied', 'an invalid byte is not U+FFFD');
  });

  it('reads odd Authorization headers as Go does: any case of Basic, a colon in the password, no empty user', async () => {
    const auth = new BasicAuth(new Map([['alice', bcrypt.hashSync('a:b:c', 4)]]));
    const b64 = Buffer.from('alice:a:b:c').toString('base64');
    assert.equal(await auth.check(`basic ${b64}`), 'ok');
    assert.equal(await auth.check(`BASIC ${b64}`), 'ok');
    assert.equal(await auth.check(`Basic${b64}`), 'denied');
    assert.equal(await auth.check(`Basic ${Buffer.from(':a:b:c').toString('base64')}`), 'denied');
    assert.equal(await auth.check(`Basic ${'A'.repeat(64 * 1024)}`), 'denied');
  });
});
