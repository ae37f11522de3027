/**
 * The loopback target every checker probes: `node target.js <port> <delayMs>` answers every path
 * with `ok` after `delayMs` (the "1 ms target"), and prints `ready` once it
 * listens. A process of its own, so its CPU is nobody's measurement.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const delayMs = Number(process.argv[3] ?? 1);
let answered = 0;
const server = createServer((req, res) => {
  if (req.url === '/__count') {
    res.end(String(answered));
    return;
  }
  answered++;
  setTimeout(() => res.end('ok'), delayMs);
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`ready ${typeof address === 'object' && address !== null ? address.port : port}`);
});
