import { useCallback, useEffect, useState } from "react";

import { errorMessage } from "@voiceassist/client";

/** Loads data when `key` changes; the latest request wins if several overlap. */
export function useQuery<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((previous) => ({ ...previous, error: errorMessage(error), loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `key` says when what it loads really changed.
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setData = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, setData };
}
