import { useSyncExternalStore } from "react";

/** Hash routes (#/profile) keep the app servable from any static host without rewrites. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};

const currentHash = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?");
  return { path: path || "/", query: new URLSearchParams(search) };
}

/** Goes to `path`; `replace` keeps redirects out of the back-button history. */
export function navigate(path: string, options: { replace?: boolean } = {}) {
  const target = `#${path}`;
  if (window.location.hash === target) return;
  if (options.replace) window.location.replace(target);
  else window.location.hash = target;
}
