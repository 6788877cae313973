import { useEffect, useRef } from "react";

import { oidcDiscoveryUrl } from "../api";
import { CopyButton } from "../ui/copy-button";

/**
 * A client's secret, shown this once (after create or rotate): the server
 * keeps it sealed and never answers it again. With the client id and the
 * discovery URL, it is everything the app's own settings ask for.
 */
export function ClientSecretOnce({
  title,
  clientId,
  clientSecret,
  onDone,
}: {
  title: string;
  clientId: string;
  clientSecret: string;
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus lands on the secret's panel, so a keyboard or screen-reader user meets it first.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card secret-once" aria-labelledby="secret-once-title">
      <h2 id="secret-once-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p className="alert alert-warning">
        <strong>Store the secret now: it will not be shown again.</strong> Put it into the app's settings or a password manager before you
        leave this page. If it is lost, rotate the secret and configure the app with the new one.
      </p>
      <dl className="summary credentials">
        <dt>Client ID</dt>
        <dd>
          <code className="secret">{clientId}</code>
          <CopyButton value={clientId} label="Copy client ID" />
        </dd>
        <dt>Client secret</dt>
        <dd>
          <code className="secret" data-testid="client-secret">
            {clientSecret}
          </code>
          <CopyButton value={clientSecret} label="Copy client secret" />
        </dd>
        <dt>Discovery URL</dt>
        <dd>
          <code>{oidcDiscoveryUrl}</code>
          <CopyButton value={oidcDiscoveryUrl} label="Copy discovery URL" />
        </dd>
      </dl>
      <button type="button" onClick={onDone}>
        I have stored the secret
      </button>
    </section>
  );
}
