import { useCallback, useState } from "react";

import { errorMessage, fieldErrors } from "@voiceassist/client";

/** Runs an API call for a form: pending flag, field errors and one message for the rest. */
export function useAction<Args extends unknown[], Result>(action: (...args: Args) => Promise<Result>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(
    async (...args: Args): Promise<{ ok: true; value: Result } | { ok: false }> => {
      setPending(true);
      setError(null);
      try {
        return { ok: true, value: await action(...args) };
      } catch (caught) {
        setError(caught);
        return { ok: false };
      } finally {
        setPending(false);
      }
    },
    [action],
  );

  return {
    run,
    pending,
    fieldErrors: error ? fieldErrors(error) : {},
    message: error ? errorMessage(error) : null,
    reset: () => setError(null),
  };
}
