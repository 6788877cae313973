/**
 * Runs `main` with a stack of undo steps (stop servers, drop databases) that
 * run in reverse order on success, failure or Ctrl-C; then the process exits.
 */
export async function withCleanup(main: (defer: (step: () => Promise<unknown>) => void) => Promise<void>) {
  const steps: Array<() => Promise<unknown>> = [];
  let done = false;
  const runSteps = async () => {
    if (done) return;
    done = true;
    for (const step of steps.reverse()) {
      await step().catch((error: unknown) => console.error("cleanup step failed:", error));
    }
  };
  const onSignal = () => void runSteps().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // Output piped into `head` and closed early: clean up instead of dying on EPIPE.
  process.stdout.once("error", onSignal);

  let code = 0;
  try {
    await main((step) => steps.push(step));
  } catch (error) {
    console.error(error);
    code = 1;
  } finally {
    await runSteps();
  }
  process.exit(code);
}
