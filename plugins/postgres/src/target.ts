import type { TargetSupport } from '@muster/sdk';

/** `host[:port][/database]`; an IPv6 address in brackets (`[::1]:5432/app`). No unix sockets. */
const TARGET = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9][A-Za-z0-9._-]*))(?::(\d{1,5}))?(?:\/([^/?#\s]+))?$/;

/**
 * A probe target for the postgres plugin: `host[:port][/database]`; the user, password and TLS
 * settings come from the module's config.
 */
export const postgresTarget: TargetSupport = {
  keys: ['host', 'port', 'database', 'connectionString'],
  example: 'db.example.com:5432/app',
  fromTarget(target, moduleConfig) {
    const m = TARGET.exec(target);
    if (m === null) throw new Error('expected host[:port][/database], e.g. db.example.com:5432/app');
    const [, bracketed, plain, port, database] = m;
    return {
      ...moduleConfig,
      host: bracketed ?? plain,
      ...(port === undefined ? {} : { port: Number(port) }),
      ...(database === undefined ? {} : { database: decodeURIComponent(database) }),
    };
  },
};
