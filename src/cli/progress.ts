/**
 * A one-line "working…" indicator with elapsed seconds, on stderr, only
 * when stderr is a terminal: CI logs get no animation, and stdout stays
 * clean for --json.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY === true;
  }

  /** Shows `label` until the promise settles; returns its result. */
  async during<T>(label: string, work: Promise<T>): Promise<T> {
    if (!this.enabled) return work;
    const started = Date.now();
    const draw = () => this.stream.write(`\r\u001b[2K${label}… ${Math.round((Date.now() - started) / 1000)}s`);
    draw();
    this.timer = setInterval(draw, 1000);
    try {
      return await work;
    } finally {
      clearInterval(this.timer);
      this.stream.write('\r\u001b[2K');
    }
  }
}
