/**
 * Children started `detached` lead their own process group (wrangler dev with the workerd and
 * esbuild it starts): signalling `-pid` reaches all of them, and nothing is left behind.
 */

/** Whether a process (pid) or a process group (-pid) still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the whole process group: SIGTERM, then SIGKILL after `graceMs`. True when nothing is left. */
export async function stopGroup(pid: number, graceMs = 4000): Promise<boolean> {
  if (!alive(-pid)) return true;
  process.kill(-pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(-pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(-pid)) process.kill(-pid, "SIGKILL");
  for (let i = 0; i < 40 && alive(-pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(-pid);
}

/** For `process.on("exit")`, where nothing can be awaited: kills the group at once, if it is there. */
export function killGroupNow(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
