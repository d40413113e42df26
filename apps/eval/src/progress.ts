// One progress bar per task on a terminal (cli-progress), a line per task otherwise.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number): Progress {
  const started = Date.now();
  if (!process.stderr.isTTY) {
    return {
      update: () => undefined,
      stop: () => console.error(`${label}: ${total} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`),
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(16)} {bar} {value}/{total} docs | {duration_formatted} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}
