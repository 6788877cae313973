import { useMutation, useQuery } from "@tanstack/react-query";
import { useLocation } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";

import { errorCode, errorReason } from "@voiceassist/client";
import { FormAlert, formErrors, Page, useHasSession, useSession, useTRPC } from "@voiceassist/ui";

import { SignInSteps } from "./sign-in-steps";

const SIGN_IN_AGAIN = "For your safety, this application asks you to sign in again.";

/** A top-level navigation: the provider's cookies for this request ride on it, which a fetch would not carry. */
function leaveFor(url: string) {
  window.location.assign(url);
}

/**
 * `/oidc/login?uid=…`: another clinic application (a relying party) sent the browser here to sign
 * in with VoiceAssist. A live session that is fresh enough completes the request at once; otherwise
 * the usual sign-in runs here, and then completes it. Reachable signed in or not.
 */
export function OidcLoginPage() {
  const uid = useLocation({ select: (location) => new URLSearchParams(location.searchStr).get("uid") ?? "" });
  const session = useSession();
  const hasSession = useHasSession(session);
  const trpc = useTRPC();
  const interaction = useQuery({
    ...trpc.oidc.interaction.get.queryOptions({ uid }),
    enabled: uid !== "",
    // Read once: what it says about the session is settled by signing in here, not by a refetch.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  // Signed in on this page: fresh whatever the application asked for.
  const [signedInHere, setSignedInHere] = useState(false);
  // The server said the session is too old after all (e.g. the request's max_age passed meanwhile).
  const [signInAgain, setSignInAgain] = useState(false);
  const complete = useMutation(
    trpc.oidc.interaction.complete.mutationOptions({
      onSuccess: ({ redirectTo }) => leaveFor(redirectTo),
      onError: (error) => {
        if (errorReason(error) === "FRESH_SIGN_IN_REQUIRED") setSignInAgain(true);
      },
    }),
  );
  const data = interaction.data;
  // `signedIn: false` with tokens held means the access token had expired: `complete` renews it
  // (or, when the session is over, the store empties and the form shows), so it is tried first.
  const needsSignIn = !hasSession || signInAgain || (data !== undefined && !signedInHere && data.freshSignInRequired);
  const ready = data !== undefined && !needsSignIn;

  useEffect(() => {
    if (ready && complete.isIdle) complete.mutate({ uid });
  }, [ready, complete.isIdle, complete.mutate, uid]);

  // A sign-in from signed out completes by itself (the tokens arrive, `ready` turns true); this is
  // for a session that was too old: it is fresh now, and a refused completion is tried again.
  const completeFailed = complete.isError;
  const gate = useMemo(
    () => ({
      onSignedIn: () => {
        setSignedInHere(true);
        setSignInAgain(false);
        if (completeFailed) complete.reset();
      },
    }),
    [completeFailed, complete.reset],
  );

  if (uid === "") return <Expired incomplete />;
  if (errorCode(interaction.error) === "NOT_FOUND" || errorCode(complete.error) === "NOT_FOUND") return <Expired />;
  if (interaction.error) return <Unavailable error={interaction.error} retry={() => void interaction.refetch()} />;
  if (!data) return <Page title="Sign in">{<p role="status">Loading the sign-in request…</p>}</Page>;
  const name = data.client.name;

  if (errorCode(complete.error) === "FORBIDDEN" && !signInAgain) return <Refused name={name} />;
  if (needsSignIn) {
    return (
      <SignInSteps
        title="Sign in"
        gate={gate}
        notice={signInAgain || (hasSession && data.freshSignInRequired && !signedInHere) ? SIGN_IN_AGAIN : null}
        intro={
          <p className="lead">
            <strong>{name}</strong> wants you to sign in with your VoiceAssist account.
          </p>
        }
      />
    );
  }
  if (complete.error) return <Unavailable error={complete.error} retry={() => complete.reset()} />;
  return (
    <Page title={`Signing you in to ${name}…`}>
      <p role="status">You will be taken back to {name} in a moment.</p>
      {complete.data ? (
        <p>
          Nothing happening? <a href={complete.data.redirectTo}>Continue to {name}</a>
        </p>
      ) : null}
    </Page>
  );
}

/** The request is gone (sign-in requests last 10 minutes and are used once), or the link lost its uid. */
function Expired({ incomplete = false }: { incomplete?: boolean }) {
  return (
    <Page title={incomplete ? "This sign-in link is incomplete" : "This sign-in request has expired"}>
      <p role="alert" className="alert alert-error">
        {incomplete
          ? "The address is missing part of the sign-in request."
          : "A sign-in request from another application is valid for 10 minutes and can be used once."}
      </p>
      <p>Go back to the application you came from and start signing in there again.</p>
    </Page>
  );
}

function Refused({ name }: { name: string }) {
  return (
    <Page title={`You cannot sign in to ${name}`}>
      <p role="alert" className="alert alert-error">
        Your VoiceAssist account may not sign in to other applications right now: it may be deactivated, locked after too many failed
        sign-ins, or not yet set up.
      </p>
      <p>Ask your clinic's VoiceAssist administrator for help.</p>
    </Page>
  );
}

function Unavailable({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <Page title="Sign in">
      <FormAlert message={formErrors(error).message ?? "Something went wrong. Try again."} />
      <button type="button" onClick={retry}>
        Try again
      </button>
    </Page>
  );
}
