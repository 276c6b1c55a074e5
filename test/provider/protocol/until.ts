/** Polls until `check` holds; fails after a generous bound (no timing is asserted). */
export async function until(check: () => boolean, boundMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > boundMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
