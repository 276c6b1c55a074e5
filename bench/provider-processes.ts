import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What the provider processes of one Terraform run cost, sampled from /proc (Linux; 0 elsewhere). */
export interface ProviderProcessFigures {
  /** Distinct provider processes seen during the run. */
  started: number;
  /** Most provider processes alive at one sample. */
  maxAlive: number;
  /** Highest sum of resident memory (VmRSS) over the provider processes alive at one sample, MB. */
  peakTotalRssMb: number;
  /** Highest peak resident memory (VmHWM) of one provider process, MB. */
  peakProcessRssMb: number;
  /**
   * CPU time (user + system) the provider processes used, ms, as last sampled: a sample every
   * `intervalMs`, so the last few milliseconds of each process may be missed.
   */
  cpuMs: number;
}

/**
 * Watches the provider processes a Terraform run starts in `workingDirectory`
 * (those of other runs on the machine do not count), polling /proc from a
 * worker thread (./provider-sampler.js) every `intervalMs`.
 */
export class ProviderProcessMonitor {
  private readonly figures: Promise<ProviderProcessFigures>;

  private constructor(private readonly worker: Worker, private readonly stopFlag: Int32Array) {
    this.figures = new Promise((resolve, reject) => {
      worker.on('message', (message: 'sampling' | ProviderProcessFigures) => {
        if (message !== 'sampling') resolve(message);
      });
      worker.once('error', reject);
    });
  }

  /** Resolves once the first sample is taken, so that the run to watch can start. */
  static start(workingDirectory: string, intervalMs = 10): Promise<ProviderProcessMonitor> {
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(join(__dirname, 'provider-sampler.js'), { workerData: { workingDirectory: realpathSync(workingDirectory), intervalMs, stopFlag: stopFlag.buffer } });
    const monitor = new ProviderProcessMonitor(worker, stopFlag);
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(monitor));
      worker.once('error', reject);
    });
  }

  /** Takes a last sample, ends the thread, and returns what it saw. */
  async stop(): Promise<ProviderProcessFigures> {
    Atomics.store(this.stopFlag, 0, 1);
    Atomics.notify(this.stopFlag, 0);
    const figures = await this.figures;
    await this.worker.terminate();
    return figures;
  }
}
