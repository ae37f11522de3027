import pg from 'pg';

/** The parts of node-postgres' `Connection` a cancel request uses (its typings leave them out). */
interface CancelConnection {
  readonly stream: { destroy(): void };
  connect(portOrPath: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: 'connect' | 'end', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

/** The backend key a server (or a pooler) gave a connection, read from node-postgres' client. */
export function backendKey(client: pg.ClientBase): { processID: number; secretKey: number } | undefined {
  const { processID, secretKey } = client as unknown as { processID?: unknown; secretKey?: unknown };
  return typeof processID === 'number' && typeof secretKey === 'number' ? { processID, secretKey } : undefined;
}

/**
 * Sends a PostgreSQL cancel request for the query running on the connection with `key`, on a
 * new connection to `host` and `port` (a unix socket folder when `host` starts with `/`), as
 * libpq's `PQcancel` does: plain, no login. A pooler forwards it to the server the query runs on.
 * Resolves once the other end has closed the request's connection (as `PQcancel` waits for), or
 * after `timeoutMs`; never rejects (a cancel is best effort: the statement timeout stops the
 * query anyway). Closing the request early, or the cancelled connection before the request is
 * done, makes PgBouncer 1.18 abort ("bad client state", "bad server state"): wait for this first.
 */
export function sendCancel(host: string, port: number, key: { processID: number; secretKey: number }, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const con = new pg.Connection() as unknown as CancelConnection;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      con.stream.destroy();
      resolve();
    };
    timer = setTimeout(finish, timeoutMs);
    timer.unref();
    con.on('error', finish);
    con.on('end', finish);
    con.on('connect', () => con.cancel(key.processID, key.secretKey));
    try {
      if (host.startsWith('/')) con.connect(`${host}/.s.PGSQL.${port}`);
      else con.connect(port, host);
    } catch {
      finish();
    }
  });
}
