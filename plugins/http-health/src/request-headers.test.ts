import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCEPT_ENCODING } from './decode.js';
import { requestHeaders } from './request-headers.js';

test('lower-case names; the later of two names differing in case wins; defaults only where unset', () => {
  assert.deepEqual({ ...requestHeaders({ 'X-Token': 'a', 'x-token': 'b', Accept: 'text/plain' }, 'muster/1.2.3') }, {
    'x-token': 'b',
    accept: 'text/plain',
    'user-agent': 'muster/1.2.3',
    'accept-encoding': ACCEPT_ENCODING,
  });
  assert.deepEqual({ ...requestHeaders({ 'User-Agent': 'probe/1', 'ACCEPT-ENCODING': 'identity' }, 'muster/1.2.3') }, {
    'user-agent': 'probe/1',
    'accept-encoding': 'identity',
  });
});

test('a host that gives no user agent leaves the header out instead of sending an empty one', () => {
  assert.equal('user-agent' in requestHeaders({}, undefined), false);
  assert.equal('user-agent' in requestHeaders({}, ''), false);
});
