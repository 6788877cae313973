import { commonPasswordIndexPath, writeCommonPasswordIndex } from "@voiceassist/shared/common-passwords";

/**
 * Part of `npm run build -w @voiceassist/server`: the common-password index
 * the bundled server reads at start, written by the bundle's own code so that
 * its key (which includes the folding rule's text) is the one the server looks for.
 */
const path = commonPasswordIndexPath();
writeCommonPasswordIndex(path);
console.log(`common-password index: ${path}`);
