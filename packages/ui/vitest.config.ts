import { componentTestConfig } from "../../vitest.shared.ts";

export default componentTestConfig;
