'use strict';
/**
 * Worker thread of ProviderProcessMonitor (provider-processes.ts): polls /proc
 * every `intervalMs` for the provider processes of one Terraform run until the
 * shared flag is set, then posts its figures. A thread of its own, so that the
 * emulator serving the run from the main thread cannot delay the samples and
 * let a short-lived provider process go unseen. Plain JavaScript: it runs the
 * same under ts-node and jest.
 */
const { readFileSync, readdirSync, readlinkSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');

const PROVIDER_NAME = 'terraform-provider-apikeys';
const { workingDirectory, intervalMs, stopFlag } = workerData;
const stop = new Int32Array(stopFlag);
const seen = new Map(); // pid → highest VmHWM / VmRSS seen, MB
const cpuTicks = new Map(); // pid → CPU time used (user + system), clock ticks, as last seen
const others = new Set(); // pids known not to be ours
let maxAlive = 0;
let peakTotal = 0;

/** A process older than this has exec'd what it runs (fork to exec takes milliseconds). */
const SETTLED_SECONDS = 1;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node.js supports

/** The fields of /proc/<pid>/stat after the parenthesized name: index 0 is field 3 (state). */
const statFields = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** Seconds since the process started (field 22 of /proc/<pid>/stat); 0 when unknown. */
function ageSeconds(pid) {
  try {
    const startTicks = Number(statFields(pid)[19]);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return Number.isFinite(startTicks) && Number.isFinite(uptime) ? uptime - startTicks / CLOCK_TICKS_PER_SECOND : 0;
  } catch {
    return 0;
  }
}

/** VmHWM and VmRSS of a process in MB; undefined once it is gone. */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
    const rssMb = field('VmRSS');
    return Number.isFinite(rssMb) ? { hwmMb: field('VmHWM'), rssMb } : undefined;
  } catch {
    return undefined;
  }
}

/** Ours: the command line names the provider and the working directory is the run's (Terraform starts providers in its own). */
function isOurs(pid) {
  if (seen.has(pid)) return true;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!commandLine.includes(PROVIDER_NAME)) {
      // A child forked but not yet exec'd shows its parent's command line: only a process old enough is settled.
      if (ageSeconds(pid) > SETTLED_SECONDS) others.add(pid);
      return false;
    }
    if (readlinkSync(`/proc/${pid}/cwd`) !== workingDirectory) {
      others.add(pid);
      return false;
    }
    return true;
  } catch {
    return false;
  }
}

function sample() {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return; // no /proc: not Linux, every figure stays 0
  }
  let alive = 0;
  let total = 0;
  for (const pid of pids) {
    if (others.has(pid) || !isOurs(pid)) continue;
    const memory = memoryOf(pid);
    if (!memory) continue;
    alive++;
    total += memory.rssMb;
    try {
      const fields = statFields(pid);
      cpuTicks.set(pid, Number(fields[11]) + Number(fields[12])); // utime + stime (fields 14, 15)
    } catch {
      // gone since: its last reading stands
    }
    seen.set(pid, Math.max(seen.get(pid) ?? 0, Number.isFinite(memory.hwmMb) ? memory.hwmMb : 0, memory.rssMb));
  }
  maxAlive = Math.max(maxAlive, alive);
  peakTotal = Math.max(peakTotal, total);
}

sample();
parentPort.postMessage('sampling');
while (Atomics.wait(stop, 0, 0, intervalMs) === 'timed-out') sample();
sample();
const cpuMs = ([...cpuTicks.values()].reduce((sum, ticks) => sum + ticks, 0) * 1000) / CLOCK_TICKS_PER_SECOND;
parentPort.postMessage({ started: seen.size, maxAlive, peakTotalRssMb: peakTotal, peakProcessRssMb: Math.max(0, ...seen.values()), cpuMs });
