/**
 * Notices when Terraform has gone away without shutting the provider down
 * (killed, crashed): the provider's parent process changes. go-plugin starts
 * the provider as Terraform's child, so when Terraform dies the provider is
 * re-parented (to init or a subreaper) and `process.ppid` changes. Polling
 * getppid() is one cheap system call.
 */
export const PARENT_POLL_MS = 250;

export interface TerraformWatch {
  stop(): void;
}

export function watchTerraform(onGone: () => void, options: { pollMs?: number; parentPid?: () => number } = {}): TerraformWatch {
  const parentPid = options.parentPid ?? (() => process.ppid);
  const original = parentPid();
  // Already orphaned at start (debug reattach, odd launchers): there is no Terraform parent to watch.
  if (original <= 1) return { stop: () => undefined };
  let fired = false;
  const timer = setInterval(() => {
    if (fired || parentPid() === original) return;
    fired = true;
    clearInterval(timer);
    onGone();
  }, options.pollMs ?? PARENT_POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
