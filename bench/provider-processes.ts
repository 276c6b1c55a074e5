import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** What the provider processes of one Terraform run cost, sampled from /proc. */
export interface ProviderProcessFigures {
  /** Distinct provider processes seen during the run. */
  started: number;
  /** Most provider processes alive at one sample. */
  maxAlive: number;
  /** Highest sum of resident memory over the provider processes alive at one sample, MB. */
  peakTotalRssMb: number;
  /** Highest peak resident memory (VmHWM) of one provider process, MB. */
  peakProcessRssMb: number;
}

const PROVIDER_NAME = 'terraform-provider-apikeys';

/** VmHWM and VmRSS of a process in MB; undefined once it is gone. */
function memoryOf(pid: string): { hwmMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
    const figures = { hwmMb: field('VmHWM'), rssMb: field('VmRSS') };
    return Number.isFinite(figures.rssMb) ? figures : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls /proc while a Terraform run goes on, for the provider processes it
 * starts: those whose command line names terraform-provider-apikeys and whose
 * working directory is the run's (Terraform starts providers in its own), so
 * the providers of other runs on the machine do not count. Linux only; on
 * other systems every figure stays 0.
 */
export class ProviderProcessMonitor {
  private readonly seen = new Map<string, number>(); // pid → its highest VmHWM, MB
  private readonly others = new Set<string>(); // pids known not to be ours
  private maxAlive = 0;
  private peakTotal = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly workingDirectory: string, private readonly intervalMs = 20) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): ProviderProcessFigures {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return {
      started: this.seen.size,
      maxAlive: this.maxAlive,
      peakTotalRssMb: this.peakTotal,
      peakProcessRssMb: Math.max(0, ...this.seen.values()),
    };
  }

  private sample(): void {
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    let alive = 0;
    let total = 0;
    for (const pid of pids) {
      if (this.others.has(pid) || !this.isOurs(pid)) continue;
      const memory = memoryOf(pid);
      if (!memory) continue;
      alive++;
      total += memory.rssMb;
      this.seen.set(pid, Math.max(this.seen.get(pid) ?? 0, memory.hwmMb, memory.rssMb));
    }
    this.maxAlive = Math.max(this.maxAlive, alive);
    this.peakTotal = Math.max(this.peakTotal, total);
  }

  private isOurs(pid: string): boolean {
    if (this.seen.has(pid)) return true;
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!commandLine.includes(PROVIDER_NAME)) {
        // A child Terraform forked but has not exec'd yet still shows Terraform's command line: look again next sample.
        if (!commandLine.includes('terraform')) this.others.add(pid);
        return false;
      }
      if (readlinkSync(`/proc/${pid}/cwd`) !== this.workingDirectory) {
        this.others.add(pid);
        return false;
      }
      return true;
    } catch {
      return false;
    }
  }
}
