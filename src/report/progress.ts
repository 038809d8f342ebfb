// The progress line `icp score` shows on a terminal: "scoring… 120,000 rows", redrawn at most twice a second.
import { formatCount } from '../values/index.js';

export class Progress {
  private last: number;
  private shown = false;

  constructor(
    private readonly out: { write(s: string): unknown },
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 500,
  ) {
    this.last = now();
  }

  /** Rows read so far; redraws the line when the interval has passed since the last drawing (or the start). */
  update(rows: number): void {
    const t = this.now();
    if (t - this.last <= this.intervalMs) return;
    this.last = t;
    this.shown = true;
    this.out.write(`\r\x1b[Kscoring… ${formatCount(rows)} rows`);
  }

  /** Erase the line, if one was drawn, so the summary starts on a clean line. */
  done(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
