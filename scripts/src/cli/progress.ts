import { Presets, SingleBar } from 'cli-progress';

/** Where progress goes: stderr unless told, so that what a script prints on stdout (results, tables) stays clean when piped. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface Progress {
  /** Counts `n` more (default 1); `detail`, when given, replaces the text after the bar (what is being done now). */
  increment(n?: number, detail?: string): void;
  /** Sets the count; `detail` as for increment. */
  update(value: number, detail?: string): void;
  /** Ends it: a terminal keeps the bar's last state on its line; elsewhere the one summary line is written. Idempotent. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** What is counted, after the numbers: `rows`, `runs`… */
  unit?: string;
}

const number = (value: number) => Math.round(value).toLocaleString('en');

/**
 * A progress bar (cli-progress) on a terminal. On anything else (a pipe, a file, CI) nothing is written until `stop()`,
 * which writes one line, `label: done/total unit in N s`, and no carriage return ever. Always `stop()` it (in a `finally`):
 * a running bar redraws on a timer. Write nothing else to the terminal while it runs.
 */
export function progressBar(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const unit = options.unit ? ` ${options.unit}` : '';
  const started = Date.now();
  let value = 0;
  let detail = '';
  let stopped = false;
  const bar = stream.isTTY
    ? new SingleBar({
      stream,
      // a line longer than the terminal is cut, not wrapped: the detail goes last
      format: `{label} [{bar}] {percentage}% {value}/{total}${unit}, ETA {eta_formatted} | {detail}`,
      formatValue: (v, _options, type) => (type === 'value' || type === 'total' ? number(v) : String(v)),
      barsize: 20,
      // the terminal's own settings stay as they are (no hidden cursor, no line-wrap switch), even after Ctrl+C
      hideCursor: false,
      linewrap: true,
      gracefulExit: false,
    }, Presets.shades_classic)
    : undefined;
  bar?.start(total, 0, { label, detail });
  const show = (next: number, text?: string) => {
    value = next;
    if (text !== undefined) detail = text;
    bar?.update(value, { detail });
  };
  return {
    increment: (n = 1, text) => show(value + n, text),
    update: (next, text) => show(next, text),
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (bar) bar.stop();
      else stream.write(`${label}: ${number(value)}/${number(total)}${unit} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
