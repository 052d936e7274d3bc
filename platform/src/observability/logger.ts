import os from 'node:os';
import pino from 'pino';

export type Logger = pino.Logger;
/** The shape older call sites log in: `{ level, msg, ...fields }`. */
export type LogEntry = Record<string, unknown>;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** LOG_LEVEL (fatal, error, warn, info, debug, trace, silent); default info, warn under NODE_ENV=test (quiet test runs). */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = (env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (!raw) return env.NODE_ENV === 'test' ? 'warn' : 'info';
  if (!(LEVELS as readonly string[]).includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return raw as LogLevel;
}

/** Set by tracing (when on): the active span's ids, added to every line. */
let traceFields: (() => Record<string, string> | undefined) | undefined;

export function setTraceFields(provider: (() => Record<string, string> | undefined) | undefined): void {
  traceFields = provider;
}

const NO_FIELDS = {};
const services = new WeakMap<Logger, string>();

export interface LoggerOptions {
  env?: NodeJS.ProcessEnv;
  level?: LogLevel;
  /** Where lines go (tests); default stdout (see `stdoutDestination`). */
  destination?: pino.DestinationStream;
}

/**
 * One JSON line per event: `{"level":"info","time":"…","service":"land","pid":…,"hostname":…,"msg":…,…}`.
 * Every process makes its loggers here (see `logger`), so every line has the same shape and the service name.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const created = pino(
    {
      level: options.level ?? logLevelFromEnv(options.env),
      base: { service, pid: process.pid, hostname: os.hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => traceFields?.() ?? NO_FIELDS,
      // pino's default merge assigns into the mixin's object: never into the shared empty one
      mixinMergeStrategy: (fields, mixed) => (mixed === NO_FIELDS ? fields : Object.assign(mixed, fields)),
    },
    options.destination ?? stdoutDestination(options.env),
  );
  services.set(created, service);
  return created;
}

let stdout: pino.DestinationStream | undefined;

/**
 * Standard output, buffered: lines leave in writes of 8 KiB or more, at the latest 200 ms later, and what is left is
 * written synchronously when the process exits (a write per line cost about a twentieth of a busy service's CPU).
 * LOG_SYNC=true writes each line at once.
 */
export function stdoutDestination(env: NodeJS.ProcessEnv = process.env): pino.DestinationStream {
  if (stdout) return stdout;
  if (/^(1|true|on)$/i.test(env.LOG_SYNC ?? '')) return (stdout = pino.destination({ dest: 1, sync: true }));
  const buffered = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => buffered.flush(), 200).unref();
  process.on('exit', () => {
    try {
      buffered.flushSync();
    } catch {
      // stdout already closed
    }
  });
  return (stdout = buffered);
}

const loggers = new Map<string, Logger>();

/** The process's logger for a service (made once, level from LOG_LEVEL). */
export function logger(service: string): Logger {
  let found = loggers.get(service);
  if (!found) loggers.set(service, (found = createLogger(service)));
  return found;
}

/**
 * For call sites that log entries (`log({ level: 'warn', msg: 'access denied', … })`): the entry's own field order is
 * kept (msg first, so `access denied` precedes the request id on the line), `level` picks the method, and a `service`
 * equal to the logger's is not repeated (another one is kept as `source`).
 */
export function entryLog(target: Logger): (entry: LogEntry) => void {
  const service = services.get(target);
  return (entry) => {
    const { level, service: entryService, ...fields } = entry;
    const method = typeof level === 'string' && level !== 'silent' && (LEVELS as readonly string[]).includes(level) ? (level as Exclude<LogLevel, 'silent'>) : 'info';
    if (!target.isLevelEnabled(method)) return;
    target[method](entryService === undefined || entryService === service ? fields : { source: entryService, ...fields });
  };
}
