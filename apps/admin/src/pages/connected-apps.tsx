import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { FormAlert, formErrors, Notice, Page, useFocusOnError, useFormErrors, useTRPC } from "@voiceassist/ui";

import { oidcDiscoveryUrl } from "../api";
import { useInvalidateAfterClientChange } from "../data";
import { useFlash } from "../flash";
import { CopyButton } from "../ui/copy-button";
import { formatDate } from "../ui/format";
import { TableScroll } from "../ui/table-scroll";
import { ClientSecretOnce } from "./client-secret-once";
import { ClientFields, NO_REDIRECT_URI, readClientFields } from "./connected-app-fields";

export type OidcClient = RouterOutputs["oidc"]["clients"]["list"][number];
type CreatedClient = RouterOutputs["oidc"]["clients"]["create"];

/** The applications that sign people in through VoiceAssist (OpenID Connect clients). */
export function ConnectedAppsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.oidc.clients.list.queryOptions());
  const { flash, setFlash } = useFlash();
  // A flash (the app just removed) is for this visit only: kept here, cleared from the frame
  // (clearing on unmount would not do: StrictMode's trial unmount would clear it at once).
  const [notice] = useState(flash);
  useEffect(() => setFlash(null), [setFlash]);
  const clients = list.data;
  return (
    <Page title="Connected apps">
      <p>
        Applications that sign people in with their VoiceAssist account (single sign-on through OpenID Connect), such as Nextcloud with its{" "}
        <code>user_oidc</code> app. Each app gets a client ID and a secret to put into its settings, with this discovery URL:
      </p>
      <p className="discovery">
        <code>{oidcDiscoveryUrl}</code> <CopyButton value={oidcDiscoveryUrl} label="Copy discovery URL" />
      </p>
      <Notice message={notice?.message} tone={notice?.tone} />
      <CreateClient />
      <FormAlert message={formErrors(list.error).message} />
      {list.isPending ? <p role="status">Loading connected apps…</p> : null}
      {clients && clients.length === 0 ? (
        <div className="empty">
          <p>No app is connected yet.</p>
          <p>
            Connect one to let people sign in to it with their VoiceAssist account and second factor; when their VoiceAssist sessions end,
            the app is told to sign them out. For Nextcloud, connect an app here, then give its client ID, secret and the discovery URL to
            Nextcloud's <code>user_oidc</code> app (the SSO guide in the docs has the exact steps).
          </p>
        </div>
      ) : null}
      {clients && clients.length > 0 ? <ClientsTable clients={clients} /> : null}
    </Page>
  );
}

function ClientsTable({ clients }: { clients: OidcClient[] }) {
  return (
    <TableScroll label="Connected apps table">
      <table className="stack clients">
        <caption className="visually-hidden">Connected apps, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Client ID</th>
            <th scope="col">Redirect URIs</th>
            <th scope="col">Back-channel logout</th>
            <th scope="col">Created</th>
            <th scope="col">Secret last rotated</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => (
            <tr key={client.clientId}>
              <td data-label="Name">
                <Link to="/connected-apps/$clientId" params={{ clientId: client.clientId }}>
                  {client.name}
                </Link>
              </td>
              <td data-label="Client ID">
                <div className="client-id">
                  <code>{client.clientId}</code>
                  <CopyButton value={client.clientId} label={`Copy client ID of ${client.name}`} text="Copy" />
                </div>
              </td>
              <td data-label="Redirect URIs">
                <ul className="plain-list uri-list">
                  {client.redirectUris.map((uri) => (
                    <li key={uri}>{uri}</li>
                  ))}
                </ul>
              </td>
              <td data-label="Back-channel logout">
                <span className="uri-list">{client.backchannelLogoutUri ?? "—"}</span>
              </td>
              <td data-label="Created">{formatDate(client.createdAt)}</td>
              <td data-label="Secret last rotated">{formatDate(client.secretRotatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** "Connect an app": the form, then the new client's secret, shown once, in its place. */
function CreateClient() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterClientChange();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreatedClient | null>(null);
  const [localError, setLocalError] = useState<Record<string, string[]> | null>(null);
  const create = useMutation(trpc.oidc.clients.create.mutationOptions({ onSuccess: invalidate }));
  const serverErrors = useFormErrors(create.error);
  const form = useFocusOnError(create.error ?? localError);
  const fields = localError ?? serverErrors.fields;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = readClientFields(new FormData(event.currentTarget));
    if (values.redirectUris.length === 0) {
      create.reset();
      setLocalError({ redirectUris: [NO_REDIRECT_URI] });
      return;
    }
    setLocalError(null);
    create.mutate(
      {
        name: values.name,
        redirectUris: values.redirectUris,
        ...(values.postLogoutRedirectUris.length ? { postLogoutRedirectUris: values.postLogoutRedirectUris } : {}),
        ...(values.backchannelLogoutUri ? { backchannelLogoutUri: values.backchannelLogoutUri } : {}),
      },
      { onSuccess: (client) => setCreated(client) },
    );
  }

  if (created) {
    return (
      <ClientSecretOnce
        title={`${created.name} is connected`}
        clientId={created.clientId}
        clientSecret={created.clientSecret}
        onDone={() => {
          setCreated(null);
          setOpen(false);
          create.reset();
        }}
      />
    );
  }
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          Connect an app…
        </button>
      </p>
    );
  }
  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      onInput={(event) => {
        setLocalError(null);
        serverErrors.onInput(event);
      }}
      noValidate
      className="card"
      aria-labelledby="create-client-title"
    >
      <h2 id="create-client-title">Connect an app</h2>
      <FormAlert message={localError ? "Please correct the highlighted fields." : serverErrors.message} fields={fields} />
      <ClientFields errors={fields} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Connecting…" : "Connect app"}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
            setLocalError(null);
            create.reset();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
