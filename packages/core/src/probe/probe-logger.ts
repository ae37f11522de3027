import type { Logger } from '@muster/sdk';

/**
 * The logger of probe collectors: their warnings are debug lines. A failed probe is already told
 * by `muster_probe_success 0`, its reason and the status page's recent probes; a warning per
 * failed probe would let anyone who can call `/probe` flood the log (blackbox_exporter logs
 * failed probes at debug too). Errors stay errors.
 */
export function probeLogger(logger: Logger): Logger {
  return {
    debug: logger.debug.bind(logger),
    info: logger.debug.bind(logger),
    warn: logger.debug.bind(logger),
    error: logger.error.bind(logger),
    child: (fields) => probeLogger(logger.child(fields)),
  };
}
