// Loaded into a `muster start` under test with `--import` (NODE_OPTIONS). Host names under the
// special-use domain `.invalid` (RFC 6761 §6.4: never resolvable) are answered here, in the
// process, and never sent to the machine's resolver: ENOTFOUND, exactly as getaddrinfo reports
// an unknown host, unless the name is listed (one per line) in the file named by
// MUSTER_TEST_HOSTS_FILE, in which case it resolves to 127.0.0.1. The file is read at every
// lookup, so a test can make a name fail and come back. Every other name goes to the real lookup.
//
// Why: this machine's resolver forwards unknown names (`.invalid` included) to a DNS server off
// the machine; the tests must not send anything off loopback. got, fetch and pg all resolve
// through `dns.lookup`, so this covers every plugin's path to a DNS failure.
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const realLookup = dns.lookup;
const hostsFile = process.env.MUSTER_TEST_HOSTS_FILE;

function listed(name) {
  if (hostsFile === undefined) return false;
  try {
    return readFileSync(hostsFile, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .includes(name.toLowerCase().replace(/\.$/, ''));
  } catch {
    return false;
  }
}

function notFound(hostname) {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });
}

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof hostname !== 'string' || !/\.invalid\.?$/i.test(hostname)) return realLookup.apply(this, arguments);
  const done = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all === true;
  process.nextTick(() => {
    if (!listed(hostname)) done(notFound(hostname));
    else if (all) done(null, [{ address: '127.0.0.1', family: 4 }]);
    else done(null, '127.0.0.1', 4);
  });
  return {};
};

const realPromiseLookup = dns.promises.lookup;
dns.promises.lookup = async function lookup(hostname, options) {
  if (typeof hostname !== 'string' || !/\.invalid\.?$/i.test(hostname)) return realPromiseLookup.call(this, hostname, options);
  if (!listed(hostname)) throw notFound(hostname);
  const all = typeof options === 'object' && options !== null && options.all === true;
  return all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 };
};

syncBuiltinESMExports();
