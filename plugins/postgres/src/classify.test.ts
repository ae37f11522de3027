import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { classifyError, FAILURE_REASONS, isBrokenConnection, MUSTER_REASON } from './classify.js';

/** A server error as node-postgres builds it from an ErrorResponse. */
function serverError(code: string, message = 'server error'): pg.DatabaseError {
  const err = new pg.DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = 'FATAL';
  return err;
}

function nodeError(code: string, message = code): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('classifying ping failures', () => {
  test('server errors by SQLSTATE', () => {
    assert.equal(classifyError(serverError('28P01'), 'connect'), 'auth');
    assert.equal(classifyError(serverError('28000'), 'connect'), 'auth');
    assert.equal(classifyError(serverError('42501'), 'connect'), 'auth', 'no CONNECT privilege');
    assert.equal(classifyError(serverError('3D000'), 'connect'), 'database-missing');
    assert.equal(classifyError(serverError('57014'), 'query'), 'timeout');
    assert.equal(classifyError(serverError('55P03'), 'query'), 'timeout');
    assert.equal(classifyError(serverError('57P03'), 'connect'), 'unavailable');
    assert.equal(classifyError(serverError('53300'), 'connect'), 'unavailable');
    assert.equal(classifyError(serverError('57P01'), 'query'), 'unavailable');
    assert.equal(classifyError(serverError('42P01'), 'query'), 'query-error');
    assert.equal(classifyError(serverError('25006'), 'query'), 'query-error');
    assert.equal(classifyError(serverError('42501'), 'query'), 'query-error', 'a permission error of the query itself');
    assert.equal(classifyError(serverError('08P01'), 'query'), 'error');
  });

  test('network errors by code, also inside an AggregateError or a cause', () => {
    assert.equal(classifyError(nodeError('ECONNREFUSED'), 'connect'), 'connection-refused');
    assert.equal(classifyError(nodeError('ENOENT'), 'connect'), 'connection-refused', 'no unix socket');
    assert.equal(classifyError(new AggregateError([nodeError('ECONNREFUSED'), nodeError('ECONNREFUSED')]), 'connect'), 'connection-refused');
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) assert.equal(classifyError(nodeError(code), 'connect'), 'dns');
    assert.equal(classifyError(nodeError('ETIMEDOUT'), 'connect'), 'timeout');
    assert.equal(classifyError(new Error('wrapped', { cause: nodeError('ECONNREFUSED') }), 'connect'), 'connection-refused');
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'ERR_SSL_WRONG_VERSION_NUMBER']) {
      assert.equal(classifyError(nodeError(code), 'connect'), 'tls', code);
    }
    assert.equal(classifyError(nodeError('ECONNRESET'), 'query'), 'error');
  });

  test("node-postgres' own errors by their text, and aborts", () => {
    assert.equal(classifyError(new Error('Connection terminated due to connection timeout'), 'connect'), 'timeout');
    assert.equal(classifyError(new Error('timeout exceeded when trying to connect'), 'connect'), 'timeout');
    assert.equal(classifyError(new Error('Query read timeout'), 'query'), 'timeout');
    assert.equal(classifyError(new Error('The server does not support SSL connections'), 'connect'), 'tls');
    assert.equal(classifyError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'connect'), 'auth');
    assert.equal(classifyError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'query'), 'timeout');
    assert.equal(classifyError(new Error('Connection terminated unexpectedly'), 'query'), 'error');
    assert.equal(classifyError('a string', 'query'), 'error');
  });

  test('a broken pooled connection is worth one retry; a server answer or a timeout is not', () => {
    assert.equal(isBrokenConnection(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isBrokenConnection(nodeError('ECONNRESET')), true);
    assert.equal(isBrokenConnection(serverError('57P01')), true);
    assert.equal(isBrokenConnection(serverError('42P01')), false);
    assert.equal(isBrokenConnection(serverError('57014')), false);
    assert.equal(isBrokenConnection(new Error('Query read timeout')), false);
  });

  test("a pooler's own errors (08P01) by their message; the database's errors it relays keep their reasons", () => {
    const pooler = (message: string, phase: 'connect' | 'query' = 'connect') => classifyError(serverError('08P01', message), phase);
    // PgBouncer 1.18's wording, and that of later versions.
    assert.equal(pooler('unsupported startup parameter: statement_timeout'), 'pooler-refused');
    assert.equal(pooler('unsupported startup parameter in options: default_transaction_read_only'), 'pooler-refused');
    assert.equal(pooler('no such database: orders'), 'pooler-refused');
    assert.equal(pooler('database "orders" is disabled'), 'pooler-refused');
    assert.equal(pooler('pooler is shutting down'), 'pooler-refused');
    assert.equal(pooler('transaction blocks not allowed in statement pooling mode', 'query'), 'pooler-refused');
    assert.equal(pooler('SASL authentication failed'), 'pooler-auth');
    assert.equal(pooler('password authentication failed'), 'pooler-auth');
    assert.equal(pooler('no such user'), 'pooler-auth');
    assert.equal(pooler('no more connections allowed (max_client_conn)'), 'pooler-full');
    assert.equal(pooler('client connections exceeded (max_db_client_connections)'), 'pooler-full');
    assert.equal(pooler('query_wait_timeout', 'query'), 'pooler-full');
    assert.equal(pooler('server login has been failing, try again later (server_login_retry)', 'query'), 'pooler-server-down');
    assert.equal(pooler('server login has been failing, cached error: connect failed (server_login_retry)', 'query'), 'pooler-server-down');
    assert.equal(pooler('pgbouncer cannot connect to server'), 'pooler-server-down');
    assert.equal(pooler('client_login_timeout (server down)'), 'pooler-server-down');
    assert.equal(pooler('server conn crashed?', 'query'), 'pooler-server-down');
    assert.equal(pooler('query_timeout', 'query'), 'timeout');
    // The server's login errors, relayed under 08P01 by PgBouncer before 1.19.
    assert.equal(pooler('database "orders" does not exist'), 'database-missing');
    assert.equal(pooler('password authentication failed for user "muster_ping"'), 'auth');
    assert.equal(pooler('the database system is shutting down'), 'unavailable');
    assert.equal(pooler('sorry, too many clients already'), 'unavailable');
    // An unknown 08P01 at login can only be a pooler's; during a query it stays a protocol error.
    assert.equal(pooler('route for "orders.muster" is not found'), 'pooler-refused');
    assert.equal(pooler('something unexpected', 'query'), 'error');
  });

  test('every reason but none maps to one of muster reasons', () => {
    for (const reason of FAILURE_REASONS) {
      if (reason === 'none') continue;
      assert.ok(MUSTER_REASON[reason] !== undefined, reason);
    }
  });
});
