// Shared with the web app's security page.
export { downloadText } from "@voiceassist/ui";
