import { safeErrorMessage } from "@voiceassist/db";

import { writeTemplate } from "../pglite-template";

/** Part of `npm run build -w @voiceassist/server`: the template a fresh embedded data directory starts from. */
writeTemplate().then(
  (path) => console.log(`embedded database template: ${path}`),
  (error: unknown) => {
    console.error(`Could not build the embedded database template: ${safeErrorMessage(error)}`);
    process.exit(1);
  },
);
