import { Progress } from '../../src/cli/progress';

describe('progress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream };
  };

  test('on a terminal: the label while the work runs, then the line is cleared', async () => {
    const terminal = stream(true);
    await expect(new Progress(terminal.stream).during('terraform plan', Promise.resolve(7))).resolves.toBe(7);
    expect(terminal.written[0]).toContain('terraform plan… 0s');
    expect(terminal.written.at(-1)).toBe('\r\u001b[2K');
  });

  test('not a terminal (CI logs, pipes): nothing at all, and failures pass through', async () => {
    const pipe = stream(false);
    await expect(new Progress(pipe.stream).during('synth', Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(pipe.written).toEqual([]);
  });

  test('the elapsed seconds are redrawn every second until the work settles, then the timer is gone', async () => {
    jest.useFakeTimers();
    try {
      const terminal = stream(true);
      let finish!: (value: string) => void;
      const during = new Progress(terminal.stream).during('terraform init', new Promise<string>((resolve) => {
        finish = resolve;
      }));
      await jest.advanceTimersByTimeAsync(2_000);
      expect(terminal.written).toEqual(['\r\u001b[2Kterraform init… 0s', '\r\u001b[2Kterraform init… 1s', '\r\u001b[2Kterraform init… 2s']);
      finish('done');
      await expect(during).resolves.toBe('done');
      expect(terminal.written.at(-1)).toBe('\r\u001b[2K');
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
