import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useEffect, useRef, useState } from "react";

import type { RouterInputs, RouterOutputs } from "@voiceassist/client";
import { FormAlert, formErrors, Notice, Page, useFocusOnError, useFormErrors, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterClientChange } from "../data";
import { useFlash } from "../flash";
import { CopyButton } from "../ui/copy-button";
import { formatDate } from "../ui/format";
import { ClientSecretOnce } from "./client-secret-once";
import { ClientFields, NO_REDIRECT_URI, readClientFields } from "./connected-app-fields";
import type { OidcClient } from "./connected-apps";

type Notify = (message: string | null) => void;
type RotatedClient = RouterOutputs["oidc"]["clients"]["rotateSecret"];

const route = getRouteApi("/signed-in/connected-apps/$clientId");
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** One connected app: what it is registered with, edit, a new secret, removal. */
export function ConnectedAppPage() {
  const trpc = useTRPC();
  const { clientId } = route.useParams();
  // No procedure answers one client: the list is short, and shared with the list page's cache.
  const list = useQuery(trpc.oidc.clients.list.queryOptions());
  const client = list.data?.find((candidate) => candidate.clientId === clientId);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Page title={client ? `Connected app ${client.name}` : "Connected app"}>
      <p>
        <Link to="/connected-apps">← Back to connected apps</Link>
      </p>
      {list.isPending ? <p role="status">Loading…</p> : null}
      <FormAlert message={formErrors(list.error).message} />
      {list.data && !client ? (
        <p className="alert alert-warning">There is no connected app with this client ID; it may have been removed.</p>
      ) : null}
      <Notice message={notice} tone="success" />
      {client ? (
        <>
          <dl className="summary">
            <dt>Client ID</dt>
            <dd>
              <code>{client.clientId}</code> <CopyButton value={client.clientId} label="Copy client ID" />
            </dd>
            <dt>Created</dt>
            <dd>{formatDate(client.createdAt)}</dd>
            <dt>Last changed</dt>
            <dd>{formatDate(client.updatedAt)}</dd>
            <dt>Secret last rotated</dt>
            <dd>{formatDate(client.secretRotatedAt)}</dd>
          </dl>
          {/* Keyed by updatedAt so the form's initial values follow every saved change. */}
          <EditClient key={client.updatedAt.toISOString()} client={client} notify={setNotice} />
          <RotateSecret client={client} notify={setNotice} />
          <DeleteClient client={client} notify={setNotice} />
        </>
      ) : null}
    </Page>
  );
}

/** Only what changed is sent, so the audit log names exactly the fields the admin changed. */
function EditClient({ client, notify }: { client: OidcClient; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterClientChange();
  const [localError, setLocalError] = useState<Record<string, string[]> | null>(null);
  const update = useMutation(
    trpc.oidc.clients.update.mutationOptions({
      onSuccess: async () => {
        notify("Changes saved.");
        await invalidate();
      },
    }),
  );
  const serverErrors = useFormErrors(update.error);
  const form = useFocusOnError(update.error ?? localError);
  const fields = localError ?? serverErrors.fields;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    notify(null);
    const values = readClientFields(new FormData(event.currentTarget));
    if (values.redirectUris.length === 0) {
      update.reset();
      setLocalError({ redirectUris: [NO_REDIRECT_URI] });
      return;
    }
    setLocalError(null);
    const input: RouterInputs["oidc"]["clients"]["update"] = { clientId: client.clientId };
    if (values.name !== client.name) input.name = values.name;
    if (!sameList(values.redirectUris, client.redirectUris)) input.redirectUris = values.redirectUris;
    if (!sameList(values.postLogoutRedirectUris, client.postLogoutRedirectUris))
      input.postLogoutRedirectUris = values.postLogoutRedirectUris;
    if (values.backchannelLogoutUri !== client.backchannelLogoutUri) input.backchannelLogoutUri = values.backchannelLogoutUri;
    if (Object.keys(input).length === 1) {
      update.reset();
      notify("No changes to save.");
      return;
    }
    update.mutate(input);
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
      aria-labelledby="edit-client-title"
    >
      <h2 id="edit-client-title">Edit app</h2>
      <FormAlert message={localError ? "Please correct the highlighted fields." : serverErrors.message} fields={fields} />
      <ClientFields initial={client} errors={fields} />
      <button type="submit" disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}

/** Focus moves to the question when a confirmation opens, and back to its button on Cancel. */
function useConfirmFocus(confirming: boolean) {
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);
  return { question, opener, refocus: () => setTimeout(() => opener.current?.focus()) };
}

function RotateSecret({ client, notify }: { client: OidcClient; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterClientChange();
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState<RotatedClient | null>(null);
  const rotate = useMutation(
    trpc.oidc.clients.rotateSecret.mutationOptions({
      onSuccess: async (result) => {
        setConfirming(false);
        setRotated(result);
        await invalidate();
      },
    }),
  );
  const { question, opener, refocus } = useConfirmFocus(confirming);

  if (rotated) {
    return (
      <ClientSecretOnce
        title={`New secret for ${rotated.name}`}
        clientId={rotated.clientId}
        clientSecret={rotated.clientSecret}
        onDone={() => {
          setRotated(null);
          rotate.reset();
          refocus();
        }}
      />
    );
  }
  return (
    <section className="card" aria-labelledby="rotate-title">
      <h2 id="rotate-title">Client secret</h2>
      {confirming ? (
        <fieldset aria-labelledby="rotate-question" className="confirm">
          <p id="rotate-question" ref={question} tabIndex={-1}>
            Give <strong>{client.name}</strong> a new secret?
          </p>
          <p>
            The current secret stops working at once: until the app is configured with the new one, nobody can sign in to it through
            VoiceAssist. The new secret is shown once.
          </p>
          <FormAlert message={formErrors(rotate.error).message} />
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                notify(null);
                rotate.mutate({ clientId: client.clientId });
              }}
              disabled={rotate.isPending}
            >
              {rotate.isPending ? "Rotating…" : "Yes, rotate the secret"}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setConfirming(false);
                rotate.reset();
                refocus();
              }}
            >
              Cancel
            </button>
          </div>
        </fieldset>
      ) : (
        <>
          <p>
            The secret was last set on {formatDate(client.secretRotatedAt)}. It cannot be shown again; a lost or leaked one is replaced.
          </p>
          <button
            type="button"
            ref={opener}
            className="secondary"
            onClick={() => {
              notify(null);
              setConfirming(true);
            }}
          >
            Rotate secret…
          </button>
        </>
      )}
    </section>
  );
}

function DeleteClient({ client, notify }: { client: OidcClient; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterClientChange();
  const navigate = useNavigate();
  const { setFlash } = useFlash();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.oidc.clients.delete.mutationOptions({
      onSuccess: async () => {
        setFlash({ tone: "success", message: `${client.name} was removed: it can no longer sign anyone in.` });
        await navigate({ to: "/connected-apps" });
        await invalidate();
      },
    }),
  );
  const { question, opener, refocus } = useConfirmFocus(confirming);
  return (
    <section className="card danger" aria-labelledby="delete-client-title">
      <h2 id="delete-client-title">Remove app</h2>
      {confirming ? (
        <fieldset aria-labelledby="delete-client-question" className="confirm">
          <p id="delete-client-question" ref={question} tabIndex={-1}>
            Remove <strong>{client.name}</strong>?
          </p>
          <p>
            Its client ID and secret stop working at once: people can no longer sign in to this app with their VoiceAssist account. This
            cannot be undone; connecting it again gives it a new client ID and secret.
          </p>
          <FormAlert message={formErrors(remove.error).message} />
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                notify(null);
                remove.mutate({ clientId: client.clientId });
              }}
              disabled={remove.isPending}
            >
              {remove.isPending ? "Removing…" : `Yes, remove ${client.name}`}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setConfirming(false);
                remove.reset();
                refocus();
              }}
            >
              Cancel
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          type="button"
          ref={opener}
          className="danger"
          onClick={() => {
            notify(null);
            setConfirming(true);
          }}
        >
          Remove app…
        </button>
      )}
    </section>
  );
}
