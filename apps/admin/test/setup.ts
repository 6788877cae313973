import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Without vitest globals Testing Library cannot register its own cleanup.
afterEach(cleanup);

// jsdom has no layout; the router restores scroll positions on navigation.
window.scrollTo = () => undefined;
