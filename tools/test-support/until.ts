/**
 * Polls `check` until it holds; fails after `ms`, naming what never happened. For conditions that
 * live in a browser page, where the Node side of a test has no event to await.
 */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 15000,
  everyMs = 150,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
