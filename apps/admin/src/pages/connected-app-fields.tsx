import { Field, TextAreaField } from "@voiceassist/ui";

/** A connected app as the forms see it (the fields an admin types). */
export interface ClientFieldValues {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
}

/** One URI per line; blank lines and surrounding spaces do not count. */
export const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The fields of a submitted create or edit form. */
export function readClientFields(data: FormData): ClientFieldValues {
  const get = (name: string) => {
    const value = data.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    name: get("name").trim(),
    redirectUris: lines(get("redirectUris")),
    postLogoutRedirectUris: lines(get("postLogoutRedirectUris")),
    backchannelLogoutUri: get("backchannelLogoutUri").trim() || null,
  };
}

/** zod reports each bad line of a list under the list's name: one message per kind is enough. */
const distinct = (errors: string[] | undefined) => (errors ? [...new Set(errors)] : undefined);

/** Name, redirect URIs, post-logout redirect URIs and back-channel logout URI, with the server's errors under each. */
export function ClientFields({ initial, errors }: { initial?: ClientFieldValues; errors: Record<string, string[]> }) {
  return (
    <>
      <Field
        label="Name"
        name="name"
        autoComplete="off"
        required
        defaultValue={initial?.name ?? ""}
        hint="Shown to people when they sign in, e.g. “Nextcloud”."
        errors={distinct(errors.name)}
      />
      <TextAreaField
        label="Redirect URIs"
        name="redirectUris"
        rows={3}
        required
        spellCheck={false}
        defaultValue={initial?.redirectUris.join("\n") ?? ""}
        hint="One per line. Where the app receives people after sign-in, exactly as the app sends it, e.g. https://cloud.example.org/apps/user_oidc/code."
        errors={distinct(errors.redirectUris)}
      />
      <TextAreaField
        label="Post-logout redirect URIs (optional)"
        name="postLogoutRedirectUris"
        rows={2}
        spellCheck={false}
        defaultValue={initial?.postLogoutRedirectUris.join("\n") ?? ""}
        hint="One per line. Where the app may send people after they sign out through VoiceAssist."
        errors={distinct(errors.postLogoutRedirectUris)}
      />
      <Field
        label="Back-channel logout URI (optional)"
        name="backchannelLogoutUri"
        type="url"
        autoComplete="off"
        spellCheck={false}
        defaultValue={initial?.backchannelLogoutUri ?? ""}
        hint="VoiceAssist posts a logout token here when someone's sessions end, so the app signs them out too."
        errors={distinct(errors.backchannelLogoutUri)}
      />
    </>
  );
}

/** The one rule the form checks itself: the server's message for an empty list would name array sizes. */
export const NO_REDIRECT_URI = "Give at least one redirect URI.";
