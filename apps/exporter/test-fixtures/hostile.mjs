// A test plugin written by a plugin author gone wrong, by `mode`: rejects with values that cannot
// be printed, throws from nextTick/setImmediate/queueMicrotask/an emitter/a stream, calls
// process.exit/abort, clears the process's listeners, patches globals, forges messages on its
// worker port (isolation: worker), puts a config secret in its errors, and (hang-close) has a
// close() that never returns.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { API_VERSION, definePlugin, z } from '@muster/sdk';
export default definePlugin({
  name: 'fixture-hostile', apiVersion: API_VERSION, description: 'hostile',
  configSchema: z.object({ mode: z.string(), secret: z.string().optional() }).strict(),
  create(ctx) {
    const c = ctx.config;
    const g = ctx.metrics.gauge({ name: 'fixture_hostile_value', help: 'v', labelNames: ['v'] });
    return {
      async collect() {
        const m = c.mode;
        if (m === 'ok' || m === 'hang-close') { g.set({ v: 'a' }, 1); return; }
        if (m === 'reject-undefined') { Promise.reject(undefined); return; }
        if (m === 'reject-string') { Promise.reject('plain string'); return; }
        if (m === 'reject-evil') { const o = {}; Object.defineProperty(o, 'message', { get() { throw new Error('getter'); } }); o.toString = () => { throw new Error('tostring'); }; Object.defineProperty(o, 'stack', { get() { throw new Error('stk'); } }); Promise.reject(o); return; }
        if (m === 'reject-proxy') { Promise.reject(new Proxy({}, { get() { throw new Error('proxy'); }, getPrototypeOf() { throw new Error('proto'); }, has() { throw new Error('has'); }, ownKeys() { throw new Error('keys'); } })); return; }
        if (m === 'throw-evil') { const o = Object.create(null); throw o; }
        if (m === 'nexttick') { process.nextTick(() => { throw new Error('nexttick boom'); }); return; }
        if (m === 'immediate') { setImmediate(() => { throw new Error('immediate boom'); }); return; }
        if (m === 'microtask') { queueMicrotask(() => { throw new Error('microtask boom'); }); return; }
        if (m === 'emitter') { const e = new EventEmitter(); setTimeout(() => e.emit('error', new Error('emitter boom')), 1); return; }
        if (m === 'stream') { const r = new Readable({ read() { this.destroy(new Error('stream boom')); } }); r.resume(); return; }
        if (m === 'secret') { setTimeout(() => { throw new Error(`connect failed password=${c.secret}`); }, 1); throw new Error(`auth with ${c.secret} failed`); }
        if (m === 'secret-reject') { Promise.reject(new Error(`rej ${c.secret}`)); return; }
        if (m === 'exitcode') { process.exitCode = 3; return; }
        if (m === 'exit') { process.exit(0); }
        if (m === 'abort') { process.abort(); }
        if (m === 'kill') { process.kill(process.pid, 'SIGTERM'); return; }
        if (m === 'own-handler') { process.on('uncaughtException', () => {}); setTimeout(() => { throw new Error('after own handler'); }, 1); return; }
        if (m === 'remove-all') { process.removeAllListeners('uncaughtException'); process.removeAllListeners('unhandledRejection'); setTimeout(() => { throw new Error('after remove all'); }, 5); return; }
        if (m === 'remove-signals') { process.removeAllListeners('SIGTERM'); process.removeAllListeners('SIGINT'); return; }
        if (m === 'patch-timeout') { globalThis.setTimeout = () => 0; globalThis.clearTimeout = () => {}; return; }
        if (m === 'patch-promise') { globalThis.Promise = function () { throw new Error('no promises'); }; return; }
        if (m === 'patch-then') { Promise.prototype.then = function () { return this; }; return; }
        if (m === 'labels') { g.set({ v: 'a\nb' }, 1); g.set({ v: 'nul\u0000x' }, 2); g.set({ v: '"}\\ {{x}} ${HOME}' }, 3); g.set({ v: '\ud800' }, 4); return; }
        if (m === 'forge-null') { parentPort.postMessage(null); return; }
        if (m === 'forge-level') { parentPort.postMessage({ type: 'log', level: 'nope', fields: {}, message: 'forged' }); return; }
        if (m === 'forge-result') { parentPort.postMessage({ type: 'result', id: 1, declared: 7, families: 'x' }); parentPort.postMessage({ type: 'ready', declared: null }); parentPort.postMessage({ type: 'closed' }); return; }
        if (m === 'forge-unhandled') { parentPort.postMessage({ type: 'unhandled', source: 'x', error: { a: 1 } }); return; }
        if (m === 'worker-exit') { process.exit(5); }
        if (m === 'never') { await new Promise(() => {}); }
        if (m === 'million') { for (let i = 0; i < 1_000_000; i++) g.set({ v: String(i) }, i); return; }
        throw new Error('unknown mode');
      },
      async close() { if (c.mode.startsWith('hang-close')) await new Promise(() => {}); },
    };
  },
});
