// A progress bar for people at a terminal (files, events, events/s, ETA). Off a TTY (a CronJob)
// nothing is drawn: the JSON log lines and the final summary carry the same facts.
import cliProgress from 'cli-progress';
import type { RunStats } from '../pipeline/run-stats.js';

export interface Progress {
  observe(stats: RunStats): void;
  stop(): void;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled) return { observe: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'sync |{bar}| {value}/{total} files | {records} events | {rate} ev/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  return {
    observe(stats) {
      bar.start(0, 0, { records: 0, rate: 0 });
      timer = setInterval(() => {
        const seconds = Math.max(1, (Date.now() - started) / 1000);
        // The listing streams, so the total grows as partitions are listed.
        bar.setTotal(stats.objectsListed);
        bar.update(stats.objectsRead + stats.objectsAlreadyDone + stats.objectsFailed, {
          records: stats.records,
          rate: Math.round(stats.records / seconds),
        });
      }, 250);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      bar.stop();
    },
  };
}
