/** A @slack/web-api logger that says nothing: for WebClients the tests make themselves. */
import { LogLevel, type Logger } from '@slack/web-api';

export const silentSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
