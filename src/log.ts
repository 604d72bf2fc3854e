// Structured logging for every command: JSON lines on a non-TTY stderr (a CronJob's log
// collector), short coloured lines on a terminal. Secrets are redacted by path before anything is
// written, so an option object or error context logged by mistake cannot leak a key or password.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths pino removes from every log object (two levels deep is what our objects use). */
export const REDACTED_PATHS = [
  'password', '*.password', '*.*.password',
  'apiKey', '*.apiKey', '*.*.apiKey',
  'secretAccessKey', '*.secretAccessKey', '*.*.secretAccessKey',
  'sessionToken', '*.sessionToken', '*.*.sessionToken',
  'authorization', '*.authorization', '*.headers.authorization',
];

export interface LogOptions {
  readonly level?: string;
  /** `pretty` for people at a terminal, `json` for machines; `auto` picks by stderr being a TTY. */
  readonly format?: 'auto' | 'pretty' | 'json';
  /** Where lines go; defaults to stderr (fd 2) so stdout stays for command output. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LogOptions = {}): Logger {
  const format = options.format === 'auto' || options.format === undefined
    ? (process.stderr.isTTY ? 'pretty' : 'json')
    : options.format;
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { app: 'ctindex' },
  };
  if (format === 'pretty') {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname,app', translateTime: 'HH:MM:ss' } },
    });
  }
  return pino(base, options.destination ?? pino.destination({ dest: 2, sync: true }));
}

/** URL without user-info, for messages: `https://user:pw@host` → `https://host/`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '[unparseable URL]';
  }
}
