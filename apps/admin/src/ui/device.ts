// Shared with the web app's security page.
export { describeDevice } from "@voiceassist/ui";
