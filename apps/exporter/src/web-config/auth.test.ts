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
});
