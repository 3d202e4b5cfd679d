import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON lines with ISO times (`"time":"2026-12-02T06:33:17.593Z"`), to stdout unless a destination is given. */
export function createLogger(
  level: string = 'info',
  name = 'cairn',
  destination?: DestinationStream,
): Logger {
  const options = { name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
