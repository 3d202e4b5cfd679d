/**
 * Cairn as a user starts it: its entry point in a child process, configured by environment variables
 * only (none of this shell's Slack, database or port settings leak in), its JSON log lines read back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface Started {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Every process started, so that `stopAll` leaves none running (nor its database) after a failure. */
const started: ChildProcess[] = [];

/** Runs `args` (after node's own path) with `env` over a cleaned copy of this process's environment. */
export function startCairnProcess(args: string[], env: Record<string, string>): Started {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(SLACK_|MONGODB_|CAIRN_DATA_DIR|PORT$|LOG_LEVEL$|PLAYGROUND_)/.test(k),
    ),
  );
  const child = spawn(process.execPath, args, {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ msg: part });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, lines, stderr: () => stderr, exited };
}

export const logged = (s: Started, msg: string) => s.lines.find((l) => l.msg === msg);

/** Stops every process started here that is still running. */
export function stopCairnProcesses(): void {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
