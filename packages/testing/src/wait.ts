// The one way the tests wait: for a condition (`until`), for a promise with a deadline (`within`), or for a
// while (`sleep`, only where time itself is what is tested). It imports nothing of Switchyard, so core's own
// tests use it too.

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `check()` holds (it may return a promise); rejects after `ms` naming `what`, or the check's
 * own source when no `what` is given.
 */
export async function until(check: () => boolean | Promise<boolean>, what?: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what ?? String(check)}`);
    await sleep(10);
  }
}

/** Rejects when `promise` has not settled within `ms`, naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
