import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

/** Bolt logs through our pino logger, so its lines share our format and level. */
export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ component: 'bolt' });
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      child[level](
        msg
          .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.stack : JSON.stringify(m)))
          .join(' '),
      );
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    setLevel: () => undefined, // our LOG_LEVEL governs
    getLevel: () => (log.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: (name: string) => {
      child = log.child({ component: name });
    },
  };
}
